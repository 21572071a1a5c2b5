// Who may write and read what: every mutation and every protected field, for every role, in scope and out
// of scope, generated as one table. A refusal is a whole coded error and leaves every table as it was.
import { toGlobalId } from '../../src/graphql/global-id';
import { getSchema } from '../../src/schema';
import type { GraphQLResponse } from '../support/harness';
import { openTestApi, type TestApi } from '../support/harness';
import { VIEWERS, type ViewerName } from '../support/viewers';
import { dbId, Fixtures, refused } from '../support/writes';

/** Webhook registrations are no records of the network: test/changes/webhooks.test.ts checks who may make them. */
const WEBHOOK_WRITES = new Set(['registerWebhook', 'enableWebhook', 'deleteWebhook']);

let api: TestApi;
let fx: Fixtures;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
  // The viewers' scopes name universities by database id: make sure they are the ones meant.
  expect([await fx.universityId('UNTAN'), await fx.universityId('UBB')]).toEqual([VIEWERS.untan.universityId, VIEWERS.ubb.universityId]);
});
afterAll(() => api.close());

const ALL_VIEWERS = Object.keys(VIEWERS) as ViewerName[];

interface Prepared {
  variables: Record<string, unknown>;
  /** Rows an allowed call changes (and a refused one must leave as they were). */
  rows?: { table: string; id: string }[];
}

interface MutationCase {
  mutation: string;
  payload: string;
  scope: string;
  /** Who succeeds; PUBLIC is always UNAUTHENTICATED and everybody else FORBIDDEN. */
  allowed: ViewerName[];
  /** Builds fresh rows for each call, so every allowed caller has something left to do. */
  prepare: () => Promise<Prepared>;
  /** The table that gains a row (creates) or the row whose version goes up (updates). */
  effect: { creates: string } | { updates: string };
}

const document = (mutation: string, input: string, payload: string) =>
  `mutation($input: ${input}!) { ${mutation}(input: $input) { ${payload} { id } userErrors { field message code } } }`;

const src = { sources: ['https://example.org/sumber'] };

const MUTATIONS: MutationCase[] = [
  {
    mutation: 'createInnovation',
    payload: 'innovation',
    scope: 'in 35 (Kabupaten Gresik)',
    allowed: ['ministry', 'jatimOperator'],
    prepare: async () => ({
      variables: { title: 'Layanan Uji Gresik', owner: { id: toGlobalId('Institution', await fx.institutionId('Pemerintah Kabupaten Gresik')) }, regencyCode: '35.25', ...src },
    }),
    effect: { creates: 'innovation' },
  },
  {
    mutation: 'createInnovation',
    payload: 'innovation',
    scope: 'in 33 (Kabupaten Pekalongan)',
    allowed: ['ministry', 'jatengOperator'],
    prepare: async () => ({
      variables: { title: 'Layanan Uji Pekalongan', owner: { id: toGlobalId('Institution', await fx.institutionId('Pemerintah Kabupaten Pekalongan')) }, regencyCode: '33.26', ...src },
    }),
    effect: { creates: 'innovation' },
  },
  {
    mutation: 'createInnovation',
    payload: 'innovation',
    scope: 'national (no region)',
    allowed: ['ministry'],
    prepare: async () => ({
      variables: { title: 'Layanan Nasional Uji', owner: { id: toGlobalId('Institution', await fx.institutionId('Kementerian Kesehatan')) }, ...src },
    }),
    effect: { creates: 'innovation' },
  },
  {
    mutation: 'updateInnovation',
    payload: 'innovation',
    scope: 'of an innovation in 35',
    allowed: ['ministry', 'jatimOperator'],
    prepare: async () => {
      const id = await fx.innovation({ regencyCode: '35.25' });
      return { variables: { id, version: 1, summary: 'Diperbarui' }, rows: [{ table: 'innovation', id }] };
    },
    effect: { updates: 'innovation' },
  },
  {
    mutation: 'updateInnovation',
    payload: 'innovation',
    scope: 'moving an innovation from 35 to 33',
    allowed: ['ministry'],
    prepare: async () => {
      const id = await fx.innovation({ regencyCode: '35.25' });
      return { variables: { id, version: 1, regencyCode: '33.26' }, rows: [{ table: 'innovation', id }] };
    },
    effect: { updates: 'innovation' },
  },
  {
    mutation: 'updateInnovation',
    payload: 'innovation',
    scope: 'of a curated REFERENCE innovation in 35',
    allowed: ['ministry'],
    prepare: async () => {
      const id = await fx.innovation({ regencyCode: '35.25', dataset: 'REFERENCE' });
      return { variables: { id, version: 1, summary: 'Koreksi' }, rows: [{ table: 'innovation', id }] };
    },
    effect: { updates: 'innovation' },
  },
  {
    mutation: 'recordReplication',
    payload: 'replication',
    scope: 'adopted in 35 of an innovation from 33',
    allowed: ['ministry', 'jatimOperator'],
    prepare: async () => ({
      variables: { sourceId: await fx.innovation({ regencyCode: '33.26' }), adopter: { scope: 'REGENCY', regencyCode: '35.15' }, kind: 'REPLICATION', year: 2025, ...src },
    }),
    effect: { creates: 'replication' },
  },
  {
    mutation: 'recordReplication',
    payload: 'replication',
    scope: 'adopted in 33 of an innovation from 35',
    allowed: ['ministry', 'jatengOperator'],
    prepare: async () => ({
      variables: { sourceId: await fx.innovation({ regencyCode: '35.25' }), adopter: { scope: 'PROVINCE', provinceCode: '33' }, kind: 'REPLICATION', year: 2025, ...src },
    }),
    effect: { creates: 'replication' },
  },
  {
    mutation: 'recordReplication',
    payload: 'replication',
    scope: 'adopted nationally',
    allowed: ['ministry'],
    prepare: async () => ({
      variables: { sourceId: await fx.innovation({ regencyCode: '35.25' }), adopter: { scope: 'NATIONAL' }, kind: 'SCALING_UP', year: 2025, ...src },
    }),
    effect: { creates: 'replication' },
  },
  {
    mutation: 'updateReplicationStatus',
    payload: 'replication',
    scope: 'of a replication adopted in 35 (source in 33)',
    allowed: ['ministry', 'jatimOperator'],
    prepare: async () => {
      const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15' });
      return { variables: { id, version: 1, status: 'COMMITTED' }, rows: [{ table: 'replication', id }] };
    },
    effect: { updates: 'replication' },
  },
  {
    mutation: 'updateReplicationStatus',
    payload: 'replication',
    scope: 'of a replication adopted in 33 (source in 35)',
    allowed: ['ministry', 'jatengOperator'],
    prepare: async () => {
      const id = await fx.replication(await fx.innovation({ regencyCode: '35.25' }), { regencyCode: '33.26' });
      return { variables: { id, version: 1, status: 'COMMITTED' }, rows: [{ table: 'replication', id }] };
    },
    effect: { updates: 'replication' },
  },
  {
    mutation: 'updateReplicationStatus',
    payload: 'replication',
    scope: 'of a curated REFERENCE replication adopted in 35',
    allowed: ['ministry'],
    prepare: async () => {
      const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15', dataset: 'REFERENCE' });
      return { variables: { id, version: 1, status: 'COMMITTED' }, rows: [{ table: 'replication', id }] };
    },
    effect: { updates: 'replication' },
  },
  {
    mutation: 'designateHub',
    payload: 'hub',
    scope: 'of a province without a hub',
    allowed: ['ministry'],
    prepare: async () => ({ variables: { provinceCode: await fx.provinceWithoutHub(), cohortYear: 2026, stage: 'COMMITTED', ...src } }),
    effect: { creates: 'hub' },
  },
  {
    mutation: 'designateHub',
    payload: 'hub',
    scope: 'changing the hub of 35',
    allowed: ['ministry'],
    prepare: async () => {
      const [{ id, version, instrument_id }] = await api.sql<{ id: number; version: number; instrument_id: number }>(
        `select id, version, instrument_id from hub where province_code = '35'`,
      );
      const [instrument] = await api.sql(`select kind, number, year, title, issuer from legal_instrument where id = ?`, [instrument_id]);
      return {
        variables: { provinceCode: '35', cohortYear: 2020, stage: 'DESIGNATED', isPilot: true, instrument, version, ...src },
        rows: [{ table: 'hub', id: toGlobalId('Hub', id) }],
      };
    },
    effect: { updates: 'hub' },
  },
  {
    mutation: 'createMentoringProgramme',
    payload: 'programme',
    scope: 'for UNTAN',
    allowed: ['ministry', 'untan'],
    prepare: async () => ({ variables: { year: 2026, provinceCode: '61', universityId: toGlobalId('University', await fx.universityId('UNTAN')), ...src } }),
    effect: { creates: 'mentoring_programme' },
  },
  {
    mutation: 'createMentoringProgramme',
    payload: 'programme',
    scope: 'for UBB',
    allowed: ['ministry', 'ubb'],
    prepare: async () => ({ variables: { year: 2026, provinceCode: '19', universityId: toGlobalId('University', await fx.universityId('UBB')), ...src } }),
    effect: { creates: 'mentoring_programme' },
  },
  {
    mutation: 'recordMentoringSession',
    payload: 'session',
    scope: 'on an UNTAN programme',
    allowed: ['ministry', 'untan'],
    prepare: async () => ({
      variables: { programmeId: await fx.programme('UNTAN'), heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Rencana aksi', mentorNames: ['Dr. Rahasia'] },
    }),
    effect: { creates: 'mentoring_session' },
  },
  {
    mutation: 'recordMentoringSession',
    payload: 'session',
    scope: 'on a programme without a university (another partner)',
    allowed: ['ministry'],
    prepare: async () => ({
      variables: { programmeId: await fx.programme(null, '33'), heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Rencana aksi', mentorNames: ['Dr. Rahasia'] },
    }),
    effect: { creates: 'mentoring_session' },
  },
];

const INPUT_TYPE: Record<string, string> = {
  createInnovation: 'CreateInnovationInput',
  updateInnovation: 'UpdateInnovationInput',
  recordReplication: 'RecordReplicationInput',
  updateReplicationStatus: 'UpdateReplicationStatusInput',
  designateHub: 'DesignateHubInput',
  createMentoringProgramme: 'CreateMentoringProgrammeInput',
  recordMentoringSession: 'RecordMentoringSessionInput',
};

type Outcome = 'writes' | 'UNAUTHENTICATED' | 'FORBIDDEN';
const outcome = (c: { allowed: ViewerName[] }, who: ViewerName): Outcome =>
  who === 'public' ? 'UNAUTHENTICATED' : c.allowed.includes(who) ? 'writes' : 'FORBIDDEN';

const MUTATION_MATRIX = MUTATIONS.flatMap((c) => ALL_VIEWERS.map((who) => [c.mutation, c.scope, who, outcome(c, who), c] as const));

describe('every mutation, for every role, in and out of scope', () => {
  it('covers every mutation of the schema but the imports (tested with the imports)', async () => {
    // Key management is the ministry's alone and claims nothing of a scope: test/writes/api-keys.test.ts has its role matrix.
    const mutations = Object.keys((await getSchema()).getMutationType()!.getFields()).filter((name) => !name.startsWith('import') && !WEBHOOK_WRITES.has(name) && !name.endsWith('ApiKey'));
    expect([...new Set(MUTATIONS.map((c) => c.mutation))].sort()).toEqual(mutations.sort());
  });

  it.each(MUTATION_MATRIX)('%s %s as %s: %s', async (mutation, _scope, who, expected, c) => {
    const { variables, rows = [] } = await c.prepare();
    const before = await fx.picture(rows);
    const result = await api.run(document(mutation, INPUT_TYPE[mutation], c.payload), { input: variables }, VIEWERS[who]);

    if (expected !== 'writes') {
      expect(result.body).toEqual(refused(mutation, expected));
      expect(await fx.picture(rows)).toEqual(before);
      return;
    }
    expect(result.body).toEqual({ data: { [mutation]: { [c.payload]: { id: expect.any(String) }, userErrors: [] } } });
    const after = await fx.picture(rows);
    expect(Number(after.audit_event)).toBe(Number(before.audit_event) + 1);
    if ('creates' in c.effect) {
      expect(Number(after[c.effect.creates])).toBe(Number(before[c.effect.creates]) + 1);
    } else {
      const [row] = after[`${c.effect.updates}:${rows[0].id}`] as { row: { version: number } }[];
      const [old] = before[`${c.effect.updates}:${rows[0].id}`] as { row: { version: number } }[];
      expect(row.row.version).toBe(old.row.version + 1);
    }
  });
});

describe('protected fields, for every role, in and out of scope', () => {
  const MENTORS = ['Dr. Rahasia Pendamping', 'Ir. Nama Pribadi'];
  let untanSession: string;
  let otherSession: string;
  let untanProgramme: string;
  let otherProgramme: string;
  let untanReplication: string;

  beforeAll(async () => {
    untanProgramme = await fx.programme('UNTAN', '61');
    otherProgramme = await fx.programme(null, '33');
    untanSession = await fx.session(untanProgramme, MENTORS);
    otherSession = await fx.session(otherProgramme, MENTORS);
    untanReplication = await fx.replication(await fx.innovation({ regencyCode: '35.25' }), { regencyCode: '61.71' });
    await api.sql(`update replication set mentoring_programme_id = ? where id = ?`, [dbId(untanProgramme), dbId(untanReplication)]);
  });

  interface FieldCase {
    path: string;
    scope: string;
    readers: ViewerName[];
    run: (who: ViewerName) => Promise<GraphQLResponse>;
    /** The whole response when the caller may read (`visible`) or may not. */
    expected: (visible: boolean) => GraphQLResponse;
  }

  const names = (visible: boolean) => (visible ? MENTORS : null);

  const sessionCases = (scope: string, readers: ViewerName[], session: () => string, programme: () => string): FieldCase[] => [
    {
      path: 'node(id:) { ... on MentoringSession { mentorNames } }',
      scope,
      readers,
      run: async (who) => (await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringSession { id mentorNames } } }`, { id: session() }, VIEWERS[who])).body,
      expected: (visible) => ({ data: { node: { id: session(), mentorNames: names(visible) } } }),
    },
    {
      path: 'nodes(ids:) { ... on MentoringSession { mentorNames } }',
      scope,
      readers,
      run: async (who) => (await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on MentoringSession { mentorNames } } }`, { ids: [session(), session()] }, VIEWERS[who])).body,
      expected: (visible) => ({ data: { nodes: [{ mentorNames: names(visible) }, { mentorNames: names(visible) }] } }),
    },
    {
      path: 'node(id:) { ... on MentoringProgramme { sessions { nodes { mentorNames } } } }',
      scope,
      readers,
      run: async (who) =>
        (await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringProgramme { sessions { totalCount nodes { mentorNames } } } } }`, { id: programme() }, VIEWERS[who])).body,
      expected: (visible) => ({ data: { node: { sessions: { totalCount: 1, nodes: [{ mentorNames: names(visible) }] } } } }),
    },
    {
      path: 'mentoringProgrammes { nodes { sessions { edges { node { mentorNames } } } } }',
      scope,
      readers,
      run: async (who) =>
        (
          await api.run(
            `{ mentoringProgrammes(filter: { year: 2025 }) { nodes { id sessions { edges { node { mentorNames } } } } } }`,
            {},
            VIEWERS[who],
          )
        ).body,
      expected: (visible) => ({
        data: {
          mentoringProgrammes: {
            nodes: expect.arrayContaining([{ id: programme(), sessions: { edges: [{ node: { mentorNames: names(visible) } }] } }]),
          },
        },
      }),
    },
    {
      path: 'node(id:) { ... on MentoringSession { programme { sessions { nodes { mentorNames } } } } }',
      scope,
      readers,
      run: async (who) =>
        (await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringSession { programme { sessions { nodes { mentorNames } } } } } }`, { id: session() }, VIEWERS[who])).body,
      expected: (visible) => ({ data: { node: { programme: { sessions: { nodes: [{ mentorNames: names(visible) }] } } } } }),
    },
  ];

  const FIELDS: FieldCase[] = [
    ...sessionCases('of an UNTAN programme', ['ministry', 'untan'], () => untanSession, () => untanProgramme),
    ...sessionCases('of a programme without a university', ['ministry'], () => otherSession, () => otherProgramme),
    {
      path: 'universities { programmes { sessions { nodes { mentorNames } } } }',
      scope: 'of an UNTAN programme',
      readers: ['ministry', 'untan'],
      run: async (who) => (await api.run(`{ universities { acronym programmes { id sessions { nodes { mentorNames } } } } }`, {}, VIEWERS[who])).body,
      expected: (visible) => ({
        data: {
          universities: expect.arrayContaining([
            { acronym: 'UNTAN', programmes: expect.arrayContaining([{ id: untanProgramme, sessions: { nodes: [{ mentorNames: names(visible) }] } }]) },
          ]),
        },
      }),
    },
    {
      path: 'node(id:) { ... on Replication { mentoringProgramme { sessions { nodes { mentorNames } } } } }',
      scope: 'of an UNTAN programme',
      readers: ['ministry', 'untan'],
      run: async (who) =>
        (
          await api.run(
            `query($id: ID!) { node(id: $id) { ... on Replication { mentoringProgramme { sessions { nodes { mentorNames } } } } } }`,
            { id: untanReplication },
            VIEWERS[who],
          )
        ).body,
      expected: (visible) => ({ data: { node: { mentoringProgramme: { sessions: { nodes: [{ mentorNames: names(visible) }] } } } } }),
    },
    {
      path: 'viewer { canReadPersonalData }',
      scope: 'of the caller',
      readers: ['ministry', 'untan', 'ubb'],
      run: async (who) => (await api.run(`{ viewer { canReadPersonalData } }`, {}, VIEWERS[who])).body,
      expected: (visible) => ({ data: { viewer: { canReadPersonalData: visible } } }),
    },
  ];

  const FIELD_MATRIX = FIELDS.flatMap((c) => ALL_VIEWERS.map((who) => [c.path, c.scope, who, c.readers.includes(who), c] as const));

  it.each(FIELD_MATRIX)('%s %s as %s: readable %s', async (_path, _scope, who, visible, c) => {
    expect(await c.run(who)).toEqual(c.expected(visible));
  });

  const AUDIT_QUERIES = [
    ['auditEvents { totalCount }', `{ auditEvents { totalCount } }`],
    ['auditEvents { nodes { before after } }', `{ auditEvents(first: 5) { nodes { actor before after } } }`],
    ['auditEvents(filter:) { edges { node { entityId } } }', `{ auditEvents(filter: { action: "innovation.create" }) { edges { node { entityId } } } }`],
  ] as const;
  const AUDIT_MATRIX = AUDIT_QUERIES.flatMap(([path, query]) =>
    ALL_VIEWERS.map((who) => [path, who, who === 'ministry' ? 'readable' : who === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN', query] as const),
  );

  it.each(AUDIT_MATRIX)('%s as %s: %s', async (_path, who, expected, query) => {
    const result = await api.run(query, {}, VIEWERS[who]);
    if (expected === 'readable') {
      expect(result.body.errors).toBeUndefined();
      expect(result.body.data).toEqual({ auditEvents: expect.any(Object) });
    } else {
      // auditEvents is non-null: refused, it nulls the whole data.
      expect(result.body).toEqual({ ...refused('auditEvents', expected), data: null });
    }
  });
});
