// The request's reads: what graphql-js does with the engine's answer when it has to walk it (a root field
// for resolvers beside the dashboard fields, a refused argument, a failed statement), and the plan cache.
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { PUBLIC_VIEWER } from '../../src/auth/viewer';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import { lockProvinces } from '../hardening/support';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
});
afterAll(() => api.close());

describe('an operation with a root field for resolvers beside SQL fields', () => {
  it('answers the SQL fields in one statement and reads aliases with different arguments by response name', async () => {
    const result = await api.run(`{
      viewer { role }
      east: province(code: "35") { n: name cities: regencies(kind: KOTA) { code } all: regencies { code } count: regencyCount }
      west: province(code: "31") { n: name } }`);
    const data = dataOf(result);
    expect(result.statements).toBe(1);
    expect(data.viewer).toEqual({ role: 'PUBLIC' });
    expect(data.east.n).toBe('JAWA TIMUR');
    expect(data.east.cities).toHaveLength(9);
    expect(data.east.all).toHaveLength(38);
    expect(data.east.count).toBe(38);
    expect(data.west).toEqual({ n: 'DKI JAKARTA' });
  });

  it('resolves the type of each node of an abstract field', async () => {
    const result = await api.run(`{ viewer { role } nodes(ids: ["UHJvdmluY2U6MzU", "UmVnZW5jeTozNS4yNQ"]) { __typename id ... on Regency { name } } }`);
    expect(dataOf(result).nodes).toEqual([
      { __typename: 'Province', id: 'UHJvdmluY2U6MzU' },
      { __typename: 'Regency', id: 'UmVnZW5jeTozNS4yNQ', name: 'KABUPATEN GRESIK' },
    ]);
  });
});

describe('a refused argument inside a list', () => {
  it('raises its error at every occurrence, nulls up to the nearest nullable field, and keeps the other fields', async () => {
    const result = await api.run(`{ hubs(filter: { cohortYear: 2020 }) { province { code statistics(yearFrom: 2030, yearTo: 2020) { innovations } } } legalInstruments { key } }`);
    expect(result.body.data!.hubs).toHaveLength(8);
    // RegionStatistics is non-null, so each province is null (it is nullable); the hubs and the rest stand.
    expect((result.body.data!.hubs as { province: unknown }[]).every((h) => h.province === null)).toBe(true);
    expect(result.body.data!.legalInstruments).toEqual(expect.arrayContaining([{ key: 'KEPMENPANRB-94-2020' }]));
    expect(result.body.errors).toHaveLength(8);
    expect(result.body.errors![0]).toEqual({
      message: 'yearFrom (2030) is after yearTo (2020).',
      locations: [{ line: 1, column: 56 }],
      path: ['hubs', 0, 'province', 'statistics'],
      extensions: { code: 'BAD_USER_INPUT', argument: 'yearFrom' },
    });
    expect(result.statements).toBe(1);
  });
});

describe('the plan cache', () => {
  const operation = (query: string) => parse(query).definitions[0] as OperationDefinitionNode;

  it('plans an operation once per set of variables', () => {
    const op = operation('query($code: String!) { province(code: $code) { name } }');
    expect(op.kind).toBe(Kind.OPERATION_DEFINITION);
    const east = api.engine.plan(op, {}, { code: '35' }, PUBLIC_VIEWER);
    expect(api.engine.plan(op, {}, { code: '35' }, PUBLIC_VIEWER)).toBe(east);
    const west = api.engine.plan(op, {}, { code: '31' }, PUBLIC_VIEWER);
    expect(west).not.toBe(east);
    expect([east.complete, east.viewerDependent, east.text]).toEqual([true, false, expect.stringContaining("'35'")]);
  });

  it('keeps a plan per caller where a field reads the caller (mentor names)', () => {
    const op = operation('{ mentoringProgrammes(first: 50) { nodes { sessions { nodes { mentorNames } } } } }');
    const untan = api.engine.plan(op, {}, {}, VIEWERS.untan);
    expect(untan.viewerDependent).toBe(true);
    expect(api.engine.plan(op, {}, {}, VIEWERS.untan)).toBe(untan);
    const ubb = api.engine.plan(op, {}, {}, VIEWERS.ubb);
    expect(ubb).not.toBe(untan);
    expect(api.engine.plan(op, {}, {}, PUBLIC_VIEWER).text).toContain('null::text[]');
  });
});

describe('the same question asked while it runs', () => {
  const question = '{ replicationGraph(level: REGENCY) { totals { replications regions } } }';
  /** Statements of the question waiting on the lock, as PostgreSQL sees them. */
  const waiting = async () =>
    (
      await api.sql<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%replication_regency_flow_rollup%'`,
      )
    )[0].n;
  const until = async (what: string, done: () => Promise<boolean> | boolean) => {
    for (let i = 0; i < 200; i += 1) {
      if (await done()) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };
  /** Holds every read of the regency flows until released. */
  const lock = async () => (await lockProvinces(api.databaseUrl, 'replication_regency_flow_rollup')).release;

  it('runs it once for everyone asking, and gives each the whole answer', async () => {
    const expected = (await api.run(question)).body;
    const joined = api.engine.joined;
    const release = await lock();
    const first = api.run(question, undefined, VIEWERS.ministry);
    await until('the first statement to wait on the lock', async () => (await waiting()) === 1);
    const others = [api.run(question), api.run(question, undefined, VIEWERS.untan)];
    await until('the others to join it', () => api.engine.joined === joined + 2);
    expect(await waiting()).toBe(1);
    await release();
    for (const result of await Promise.all([first, ...others])) expect(result.body).toEqual(expected);
  });

  it('runs it again for a question asked after a commit, which the running statement may not see', async () => {
    const release = await lock();
    const first = api.run(question);
    await until('the first statement to wait on the lock', async () => (await waiting()) === 1);
    const created = await api.run(
      `mutation { createInnovation(input: { title: "Inovasi baru", owner: { name: "Pemerintah Kabupaten Gresik" }, regencyCode: "35.25", sources: ["test"] }) { userErrors { code } } }`,
      undefined,
      VIEWERS.jatimOperator,
    );
    expect(created.body).toEqual({ data: { createInnovation: { userErrors: [] } } });
    const joined = api.engine.joined;
    const second = api.run(question);
    await until('a second statement', async () => (await waiting()) === 2);
    expect(api.engine.joined).toBe(joined);
    await release();
    expect((await first).body).toEqual((await second).body);
  });
});
