// Expected failures come back as userErrors that name the field; the lifecycle only moves forward.
import { isForward } from '../../src/modules/replication/replication.writes';
import { ReplicationStatus } from '../../src/modules/replication/replication.entity';
import { toGlobalId } from '../../src/graphql/global-id';
import { openTestApi, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';

const CREATE = `mutation($i: CreateInnovationInput!) { createInnovation(input: $i) { innovation { id } userErrors { field code } } }`;
const RECORD = `mutation($i: RecordReplicationInput!) { recordReplication(input: $i) { replication { id } userErrors { field code } } }`;

describe('userErrors', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi();
  });
  afterAll(() => api.close());

  const base = { title: 'Baru', owner: { name: 'Pemerintah Kabupaten Gresik' }, regencyCode: '35.25', sources: ['test'] };

  it.each([
    [{ title: '   ' }, [['input.title', 'BAD_USER_INPUT']]],
    [{ regencyCode: '35.2' }, [['input.regencyCode', 'BAD_USER_INPUT']]],
    [{ provinceCode: '33' }, [['input.regencyCode', 'BAD_USER_INPUT']]],
    [{ regencyCode: '35.98' }, [['input.regencyCode', 'NOT_FOUND']]],
    [{ launchYear: 1800 }, [['input.launchYear', 'BAD_USER_INPUT']]],
    [{ sources: [] }, [['input.sources', 'BAD_USER_INPUT']]],
    [{ externalId: 'A-1' }, [['input.registry', 'BAD_USER_INPUT']]],
    [{ owner: { id: toGlobalId('Institution', 99999) } }, [['input.owner.id', 'NOT_FOUND']]],
    [{ owner: {} }, [['input.owner', 'BAD_USER_INPUT']]],
    [{ title: '', launchYear: 3000 }, [['input.title', 'BAD_USER_INPUT'], ['input.launchYear', 'BAD_USER_INPUT']]],
  ])('createInnovation %j -> %j, nothing written', async (change, errors) => {
    const before = (await api.sql<{ n: string }>('select count(*) as n from innovation'))[0].n;
    const result = await api.run(CREATE, { i: { ...base, ...change } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual({ data: { createInnovation: { innovation: null, userErrors: errors.map(([field, code]) => ({ field, code })) } } });
    expect((await api.sql<{ n: string }>('select count(*) as n from innovation'))[0].n).toBe(before);
  });

  it('refuses a duplicate registry id as a CONFLICT', async () => {
    const first = await api.run(CREATE, { i: { ...base, registry: 'KIPP', externalId: 'K-1' } }, VIEWERS.jatimOperator);
    expect((first.body.data as { createInnovation: { userErrors: unknown[] } }).createInnovation.userErrors).toEqual([]);
    const second = await api.run(CREATE, { i: { ...base, registry: 'KIPP', externalId: 'K-1' } }, VIEWERS.jatimOperator);
    expect(second.body).toEqual({ data: { createInnovation: { innovation: null, userErrors: [{ field: 'input.externalId', code: 'CONFLICT' }] } } });
  });

  it('refuses replicating an innovation to its own region by its own owner, but records a SCALING_UP there', async () => {
    const [{ id }] = await api.sql<{ id: number }>(`select id from innovation where reference_key = 'kakeku-datang'`);
    const adopter = { scope: 'REGENCY', regencyCode: '35.25' };
    const replication = await api.run(RECORD, { i: { sourceId: toGlobalId('Innovation', id), adopter, kind: 'REPLICATION', year: 2025, sources: ['t'] } }, VIEWERS.jatimOperator);
    expect(replication.body).toEqual({ data: { recordReplication: { replication: null, userErrors: [{ field: 'input.adopter', code: 'BAD_USER_INPUT' }] } } });
    const scaling = await api.run(RECORD, { i: { sourceId: toGlobalId('Innovation', id), adopter, kind: 'SCALING_UP', year: 2025, sources: ['t'] } }, VIEWERS.jatimOperator);
    expect((scaling.body.data as { recordReplication: { userErrors: unknown[] } }).recordReplication.userErrors).toEqual([]);
  });

  it('lets only the ministry correct a curated reference record', async () => {
    const [{ id, version }] = await api.sql<{ id: number; version: number }>(`select id, version from innovation where reference_key = 'kakeku-datang'`);
    const update = `mutation($i: UpdateInnovationInput!) { updateInnovation(input: $i) { innovation { summary } userErrors { code } } }`;
    const i = { id: toGlobalId('Innovation', id), version, summary: 'Koreksi' };
    const operator = await api.run(update, { i }, VIEWERS.jatimOperator);
    expect(operator.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    const ministry = await api.run(update, { i }, VIEWERS.ministry);
    expect(ministry.body).toEqual({ data: { updateInnovation: { innovation: { summary: 'Koreksi' }, userErrors: [] } } });
  });
});

describe('the replication lifecycle', () => {
  const S = ReplicationStatus;
  const ALLOWED = new Set([
    'PROPOSED>COMMITTED', 'PROPOSED>IMPLEMENTED', 'PROPOSED>INSTITUTIONALIZED', 'PROPOSED>DISCONTINUED',
    'COMMITTED>IMPLEMENTED', 'COMMITTED>INSTITUTIONALIZED', 'COMMITTED>DISCONTINUED',
    'IMPLEMENTED>INSTITUTIONALIZED', 'IMPLEMENTED>DISCONTINUED', 'INSTITUTIONALIZED>DISCONTINUED',
  ]);
  const pairs = Object.values(S).flatMap((from) => Object.values(S).map((to) => [from, to] as const));
  it.each(pairs)('%s -> %s', (from, to) => {
    expect(isForward(from, to)).toBe(ALLOWED.has(`${from}>${to}`));
  });
});
