// Relay object identification: node(id:) and nodes(ids:) for every type that implements Node.
import { toGlobalId } from '../../src/graphql/global-id';
import { dataOf, openTestApi, type TestApi } from '../support/harness';

let api: TestApi;

/** One id of every node type, taken from the API itself, with what identifies the object. */
const samples = new Map<string, { id: string; identity: Record<string, unknown> }>();

/** What node(id:) selects of each type to tell the object apart. */
const FRAGMENTS: Record<string, string> = {
  Province: '... on Province { code }',
  Regency: '... on Regency { code }',
  LegalInstrument: '... on LegalInstrument { key }',
  Hub: '... on Hub { hubProvince: province { code } }', // aliased: Hub.province is nullable, MentoringProgramme.province is not
  Institution: '... on Institution { name }',
  Innovation: '... on Innovation { title }',
  Award: '... on Award { competition year tier }',
  Replication: '... on Replication { year kind status }',
  University: '... on University { acronym }',
  MentoringProgramme: '... on MentoringProgramme { year province { code } }',
  MentoringSession: '... on MentoringSession { heldOn topic }',
};
const TYPES = Object.keys(FRAGMENTS);

beforeAll(async () => {
  api = await openTestApi();
  // No mentoring session is in the reference data: add one to the first programme.
  await api.sql(
    `insert into mentoring_session (programme_id, held_on, mode, topic, participant_count, mentor_names, dataset, confidence, sources)
     select id, '2021-08-10', 'ONLINE', 'Rencana aksi replikasi', 12, '{"Dr. Mentor"}', 'IMPORTED', 'REPORTED', '{"test fixture"}'
       from mentoring_programme where reference_key = '2021-61-UNTAN'`,
  );
  const data = dataOf(
    await api.run(`{
      province(code: "35") { id code }
      regency(code: "35.25") { id code }
      legalInstruments { id key }
      hubs(filter: {isPilot: true}) { id province { code } }
      innovations(first: 100) { nodes { id title owner { id name } awards { id competition year tier } replications(first: 1) { nodes { id year kind status } } } }
      universities { id acronym }
      mentoringProgrammes(filter: {provinceCode: "61"}) { nodes { id year province { code } sessions { nodes { id heldOn topic } } } }
    }`),
  );
  const awarded = data.innovations.nodes.find((i: { awards: unknown[] }) => i.awards.length > 0);
  const replicated = data.innovations.nodes.find((i: { replications: { nodes: unknown[] } }) => i.replications.nodes.length > 0);
  const programme = data.mentoringProgrammes.nodes[0];
  const { id: awardId, ...award } = awarded.awards[0];
  const { id: replicationId, ...replication } = replicated.replications.nodes[0];
  const sessionId: string = programme.sessions.nodes[0].id;
  samples.set('Province', { id: data.province.id, identity: { code: '35' } });
  samples.set('Regency', { id: data.regency.id, identity: { code: '35.25' } });
  samples.set('LegalInstrument', { id: data.legalInstruments[0].id, identity: { key: data.legalInstruments[0].key } });
  samples.set('Hub', { id: data.hubs[0].id, identity: { hubProvince: { code: '13' } } });
  samples.set('Institution', { id: awarded.owner.id, identity: { name: awarded.owner.name } });
  samples.set('Innovation', { id: awarded.id, identity: { title: awarded.title } });
  samples.set('Award', { id: awardId, identity: award });
  samples.set('Replication', { id: replicationId, identity: replication });
  samples.set('University', { id: data.universities[0].id, identity: { acronym: data.universities[0].acronym } });
  samples.set('MentoringProgramme', { id: programme.id, identity: { year: 2021, province: { code: '61' } } });
  samples.set('MentoringSession', { id: sessionId, identity: { heldOn: '2021-08-10', topic: 'Rencana aksi replikasi' } });
});

afterAll(async () => {
  await api.close();
});

function sample(type: string) {
  const found = samples.get(type);
  if (!found) throw new Error(`no sample id of ${type}`);
  return found;
}

function badInput(field: string, argument: string) {
  return {
    message: expect.any(String),
    locations: expect.any(Array),
    path: [field],
    extensions: { code: 'BAD_USER_INPUT', argument },
  };
}

const NODE = `query($id: ID!) { node(id: $id) { __typename id ${Object.values(FRAGMENTS).join(' ')} } }`;
const NODES = `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ${Object.values(FRAGMENTS).join(' ')} } }`;

/** Another spelling of the same base64url bytes (the spare bits of the last character set differently). */
function aliasOf(id: string): string | null {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const bytes = Buffer.from(id, 'base64url');
  for (const last of alphabet) {
    const candidate = id.slice(0, -1) + last;
    if (candidate !== id && Buffer.from(candidate, 'base64url').equals(bytes)) return candidate;
  }
  return null;
}

describe('Query.node', () => {
  it('has a sample of every node type', () => {
    expect([...samples.keys()].sort()).toEqual([...TYPES].sort());
    expect(new Set([...samples.values()].map((s) => s.id)).size).toBe(TYPES.length);
  });

  it.each(TYPES)('round-trips a %s id', async (type) => {
    const { id, identity } = sample(type);
    const result = await api.run(NODE, { id });
    expect(result.body).toEqual({ data: { node: { __typename: type, id, ...identity } } });
  });

  it('reads a province in one statement', async () => {
    const result = await api.run(`query($id: ID!) { node(id: $id) { id } }`, { id: sample('Province').id });
    expect(result.statements).toBe(1);
  });

  it.each([
    ['Province', '99'],
    ['Regency', '35.99'],
    ['Hub', 999_999],
    ['Innovation', 2_147_483_647],
    ['MentoringSession', 424_242],
  ] as const)('answers null for a well-formed %s id that names nothing', async (type, key) => {
    const result = await api.run(NODE, { id: toGlobalId(type, key) });
    expect(result.body).toEqual({ data: { node: null } });
  });

  it.each([
    ['not base64url', 'not an id!'],
    ['empty', ''],
    ['an unknown type', Buffer.from('Foo:1').toString('base64url')],
    ['no type separator', Buffer.from('Hub1').toString('base64url')],
    ['a non-numeric key', Buffer.from('Hub:abc').toString('base64url')],
    ['a zero key', Buffer.from('Hub:0').toString('base64url')],
    ['a key beyond int4', Buffer.from('Hub:2147483648').toString('base64url')],
    ['a malformed province code', Buffer.from('Province:355').toString('base64url')],
    ['a malformed regency code', Buffer.from('Regency:3525').toString('base64url')],
    ['standard base64 with padding', Buffer.from('Hub:1').toString('base64')],
    ['a very long string', 'A'.repeat(200)],
  ])('rejects an id with %s as BAD_USER_INPUT', async (_what, id) => {
    const result = await api.run(NODE, { id });
    expect(result.body).toEqual({ data: { node: null }, errors: [badInput('node', 'id')] });
    expect(result.statements).toBe(0);
  });

  it('accepts only the canonical spelling of an id', async () => {
    const { id } = sample('Hub');
    const alias = aliasOf(id);
    expect(alias).not.toBeNull();
    const result = await api.run(NODE, { id: alias });
    expect(result.body).toEqual({ data: { node: null }, errors: [badInput('node', 'id')] });
  });

  it('exposes no mentor names to the public through a mentoring session', async () => {
    const result = await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringSession { mentorNames } } }`, {
      id: sample('MentoringSession').id,
    });
    expect(result.body).toEqual({ data: { node: { mentorNames: null } } });
    expect(JSON.stringify(result.body)).not.toContain('Dr. Mentor');
  });
});

describe('Query.nodes', () => {
  it('round-trips one id of every type, in the order asked, in one statement', async () => {
    const ids = TYPES.map((type) => sample(type).id).reverse();
    const result = await api.run(NODES, { ids });
    expect(result.body).toEqual({
      data: { nodes: [...TYPES].reverse().map((type) => ({ __typename: type, id: sample(type).id, ...sample(type).identity })) },
    });
    expect(result.statements).toBe(1);
    const bare = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    expect(dataOf(bare).nodes.map((n: { __typename: string }) => n.__typename)).toEqual([...TYPES].reverse());
    expect(bare.statements).toBe(1);
  });

  it('answers ids of several types, unknown ones null, in one statement', async () => {
    const ids = [
      toGlobalId('Province', '35'),
      toGlobalId('Hub', 1),
      toGlobalId('Province', '11'),
      toGlobalId('Regency', '35.25'),
      toGlobalId('Hub', 2),
      toGlobalId('Province', '99'),
      toGlobalId('Regency', '19.71'),
    ];
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids });
    const nodes = dataOf(result).nodes;
    expect(nodes.map((n: { __typename: string } | null) => n?.__typename ?? null)).toEqual([
      'Province',
      'Hub',
      'Province',
      'Regency',
      'Hub',
      null,
      'Regency',
    ]);
    expect(nodes.map((n: { id: string } | null) => n?.id ?? null)).toEqual(ids.map((id, i) => (i === 5 ? null : id)));
    expect(result.statements).toBe(1);
  });

  it('takes 100 ids in a single statement, null where nothing matches', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => toGlobalId('Hub', i + 1));
    const [{ count }] = await api.sql<{ count: number }>('select count(*)::int as count from hub where id <= 100');
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    const nodes = dataOf(result).nodes as ({ id: string } | null)[];
    expect(nodes).toHaveLength(100);
    expect(nodes.filter((n) => n !== null)).toHaveLength(count);
    nodes.forEach((node, i) => {
      if (node) expect(node.id).toBe(ids[i]);
    });
    expect(result.statements).toBe(1);
  });

  it('answers the same object twice for a repeated id', async () => {
    const { id } = sample('Innovation');
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [id, id] });
    expect(result.body).toEqual({ data: { nodes: [{ id }, { id }] } });
    expect(result.statements).toBe(1);
  });

  it('answers an empty list for no ids', async () => {
    const result = await api.run(`{ nodes(ids: []) { id } }`);
    expect(result.body).toEqual({ data: { nodes: [] } });
  });

  it('rejects more than 100 ids as BAD_USER_INPUT', async () => {
    const ids = Array.from({ length: 101 }, (_, i) => toGlobalId('Hub', i + 1));
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.body).toEqual({ data: null, errors: [badInput('nodes', 'ids')] });
    expect(result.statements).toBe(0);
  });

  it('rejects a list with one malformed id as BAD_USER_INPUT naming its position', async () => {
    const ids = [sample('Hub').id, sample('Province').id, 'garbage'];
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(result.body).toEqual({ data: null, errors: [badInput('nodes', 'ids[2]')] });
    expect(result.statements).toBe(0);
  });

});
