// Who may write what: every mutation x every role x in scope / out of scope, and nothing is written on a refusal.
import { toGlobalId } from '../../src/graphql/global-id';
import { openTestApi, type TestApi } from '../support/harness';
import { VIEWERS, type ViewerName } from '../support/viewers';

type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN';

interface Case {
  mutation: string;
  /** GraphQL document and variables; built lazily because some ids come from the seeded database. */
  build: (ids: Ids, version: (table: string, globalId: string) => Promise<number>) => Promise<{ query: string; variables: Record<string, unknown> }> | { query: string; variables: Record<string, unknown> };
  table: string;
  expected: Record<ViewerName, Outcome>;
}

interface Ids {
  gresikInnovation: string;
  jatengInnovation: string;
  jatimReplication: string;
  untanProgramme: string;
}

const NEW_INNOVATION = (regencyCode: string) => ({
  query: `mutation($i: CreateInnovationInput!) { createInnovation(input: $i) { innovation { id } userErrors { code } } }`,
  variables: { i: { title: 'Layanan Uji', owner: { name: `Pemerintah Uji ${regencyCode}`, kind: 'OTHER' }, regencyCode, sources: ['test'] } },
});

const CASES: Case[] = [
  {
    mutation: 'createInnovation in 35',
    build: () => NEW_INNOVATION('35.25'),
    table: 'innovation',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'ok', jatengOperator: 'FORBIDDEN', untan: 'FORBIDDEN', ubb: 'FORBIDDEN' },
  },
  {
    mutation: 'updateInnovation in 35',
    build: async (ids, version) => ({
      query: `mutation($i: UpdateInnovationInput!) { updateInnovation(input: $i) { innovation { id } userErrors { code } } }`,
      variables: { i: { id: ids.gresikInnovation, version: await version('innovation', ids.gresikInnovation), summary: 'diubah' } },
    }),
    table: 'audit_event',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'ok', jatengOperator: 'FORBIDDEN', untan: 'FORBIDDEN', ubb: 'FORBIDDEN' },
  },
  {
    mutation: 'recordReplication adopted in 35 of an innovation from 33',
    build: (ids) => ({
      query: `mutation($i: RecordReplicationInput!) { recordReplication(input: $i) { replication { id } userErrors { code } } }`,
      variables: { i: { sourceId: ids.jatengInnovation, adopter: { scope: 'REGENCY', regencyCode: '35.15' }, kind: 'REPLICATION', year: 2025, sources: ['test'] } },
    }),
    table: 'replication',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'ok', jatengOperator: 'FORBIDDEN', untan: 'FORBIDDEN', ubb: 'FORBIDDEN' },
  },
  {
    mutation: 'updateReplicationStatus of a replication adopted in 35',
    build: async (ids, version) => ({
      query: `mutation($i: UpdateReplicationStatusInput!) { updateReplicationStatus(input: $i) { replication { id } userErrors { code } } }`,
      // Reset to PROPOSED first, so every allowed caller has a forward move left to make.
      variables: { i: { id: ids.jatimReplication, version: await version('replication', ids.jatimReplication), status: 'COMMITTED' } },
    }),
    table: 'audit_event',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'ok', jatengOperator: 'FORBIDDEN', untan: 'FORBIDDEN', ubb: 'FORBIDDEN' },
  },
  {
    mutation: 'designateHub',
    build: () => ({
      query: `mutation($i: DesignateHubInput!) { designateHub(input: $i) { hub { id } userErrors { code } } }`,
      variables: { i: { provinceCode: '11', cohortYear: 2026, stage: 'COMMITTED', sources: ['test'] } },
    }),
    table: 'hub',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'FORBIDDEN', jatengOperator: 'FORBIDDEN', untan: 'FORBIDDEN', ubb: 'FORBIDDEN' },
  },
  {
    mutation: 'createMentoringProgramme for UNTAN',
    build: () => ({
      query: `mutation($i: CreateMentoringProgrammeInput!) { createMentoringProgramme(input: $i) { programme { id } userErrors { code } } }`,
      variables: { i: { year: 2026, provinceCode: '61', universityId: toGlobalId('University', 1), sources: ['test'] } },
    }),
    table: 'mentoring_programme',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'FORBIDDEN', jatengOperator: 'FORBIDDEN', untan: 'ok', ubb: 'FORBIDDEN' },
  },
  {
    mutation: "recordMentoringSession on UNTAN's programme",
    build: (ids) => ({
      query: `mutation($i: RecordMentoringSessionInput!) { recordMentoringSession(input: $i) { session { id } userErrors { code } } }`,
      variables: { i: { programmeId: ids.untanProgramme, heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Rencana aksi', mentorNames: ['Dr. Rahasia'] } },
    }),
    table: 'mentoring_session',
    expected: { public: 'UNAUTHENTICATED', ministry: 'ok', integration: 'FORBIDDEN', jatimOperator: 'FORBIDDEN', jatengOperator: 'FORBIDDEN', untan: 'ok', ubb: 'FORBIDDEN' },
  },
];

const MATRIX = CASES.flatMap((c) => (Object.keys(c.expected) as ViewerName[]).map((who) => [c.mutation, who, c.expected[who], c] as const));

describe('authorization of every mutation', () => {
  let api: TestApi;
  let ids: Ids;

  beforeAll(async () => {
    api = await openTestApi();
    const one = async (sql: string) => (await api.sql<{ id: number }>(sql))[0].id;
    const [{ id: gresik }] = await api.sql<{ id: number }>(
      `insert into innovation (title, owner_id, province_code, regency_code, dataset, sources)
       select 'Gresik Uji', id, '35', '35.25', 'IMPORTED', '{test}' from institution where name = 'Pemerintah Kabupaten Gresik' returning id`,
    );
    const jateng = await one(`select id from innovation where reference_key = 'kudu-sekolah'`);
    const [{ id: replication }] = await api.sql<{ id: number }>(
      `insert into replication (source_id, adopter_scope, adopter_province_code, adopter_regency_code, kind, status, year, dataset, sources)
       values (${jateng}, 'REGENCY', '35', '35.17', 'REPLICATION', 'PROPOSED', 2024, 'IMPORTED', '{test}') returning id`,
    );
    const programme = await one(`select id from mentoring_programme where university_id = 1`);
    ids = {
      gresikInnovation: toGlobalId('Innovation', gresik),
      jatengInnovation: toGlobalId('Innovation', jateng),
      jatimReplication: toGlobalId('Replication', replication),
      untanProgramme: toGlobalId('MentoringProgramme', programme),
    };
  });
  afterAll(() => api.close());

  it.each(MATRIX)('%s as %s: %s', async (_name, who, outcome, c) => {
    const count = async () => Number((await api.sql<{ n: string }>(`select count(*) as n from ${c.table}`))[0].n);
    const before = await count();
    const version = async (table: string, globalId: string) => {
      const key = Buffer.from(globalId, 'base64url').toString().split(':')[1];
      if (table === 'replication') await api.sql(`update replication set status = 'PROPOSED' where id = ${Number(key)}`);
      return (await api.sql<{ version: number }>(`select version from ${table} where id = ${Number(key)}`))[0].version;
    };
    const { query, variables } = await c.build(ids, version);
    const result = await api.run(query, variables, VIEWERS[who]);
    if (outcome === 'ok') {
      expect(result.body.errors).toBeUndefined();
      const payload = Object.values(result.body.data ?? {})[0] as { userErrors: unknown[] };
      expect(payload.userErrors).toEqual([]);
      expect(await count()).toBeGreaterThan(before);
    } else {
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual([outcome]);
      expect(Object.values(result.body.data ?? {})).toEqual([null]);
      expect(await count()).toBe(before);
    }
  });
});

describe('personal data', () => {
  let api: TestApi;
  let sessionId: string;

  beforeAll(async () => {
    api = await openTestApi();
    const [{ id }] = await api.sql<{ id: number }>(
      `insert into mentoring_session (programme_id, held_on, mode, topic, mentor_names, dataset, sources)
       select id, '2021-08-01', 'ONLINE', 'Pendampingan', '{"Dr. Rahasia"}', 'IMPORTED', '{test}' from mentoring_programme where university_id = 1 returning id`,
    );
    sessionId = toGlobalId('MentoringSession', id);
  });
  afterAll(() => api.close());

  const SEES: Record<ViewerName, boolean> = {
    public: false, ministry: true, integration: false, jatimOperator: false, jatengOperator: false, untan: true, ubb: false,
  };

  it.each(Object.entries(SEES) as [ViewerName, boolean][])('mentor names through node() and nested lists, as %s: visible %s', async (who, visible) => {
    const expected = visible ? ['Dr. Rahasia'] : null;
    const byNode = await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringSession { mentorNames } } }`, { id: sessionId }, VIEWERS[who]);
    expect(byNode.body).toEqual({ data: { node: { mentorNames: expected } } });
    const nested = await api.run(
      `{ universities { acronym programmes { sessions { nodes { mentorNames } } } } }`,
      {},
      VIEWERS[who],
    );
    const untan = (nested.body.data as { universities: { acronym: string; programmes: { sessions: { nodes: { mentorNames: unknown }[] } }[] }[] }).universities.find((u) => u.acronym === 'UNTAN')!;
    expect(untan.programmes.flatMap((p) => p.sessions.nodes.map((s) => s.mentorNames))).toEqual([expected]);
  });

  it.each(['public', 'integration', 'jatimOperator', 'untan'] as ViewerName[])('refuses the audit log to %s', async (who) => {
    const result = await api.run(`{ auditEvents { totalCount } }`, {}, VIEWERS[who]);
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual([who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN']);
  });
});
