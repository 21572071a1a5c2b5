// The response cache serves repeated anonymous reads from memory, never an authenticated caller's, and
// forgets everything when a write succeeds.
import type { ApolloServer } from '@apollo/server';
import { Role, type Viewer } from '../../src/auth/viewer';
import type { Context } from '../../src/context';
import { createApolloServer } from '../../src/server';
import { openTestApi, silentLogger, type TestApi } from '../support/harness';

const QUERY = '{ province(code: "35") { name hub { stage } regencyCount } }';
const MINISTRY: Viewer = { role: Role.MINISTRY_ADMIN, keyId: 1, keyLabel: 'ministry', provinceCode: null, universityId: null };

describe('the response cache', () => {
  let api: TestApi;
  let cached: ApolloServer<Context>;

  async function run(query: string, viewer?: Viewer) {
    const contextValue = api.context({ viewer });
    const response = await cached.executeOperation({ query }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return { data: response.body.singleResult.data, errors: response.body.singleResult.errors, statements: contextValue.sqlStatements, headers: response.http.headers };
  }

  beforeAll(async () => {
    api = await openTestApi();
    cached = await createApolloServer(api.engine, silentLogger, { responseCacheSeconds: 30 });
  });
  afterAll(async () => {
    await cached.stop();
    await api.close();
  });

  it('answers a repeated anonymous query from memory, with the same data and a public Cache-Control', async () => {
    const first = await run(QUERY);
    const second = await run(QUERY);
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(0);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('cache-control')).toBe('max-age=30, public');
  });

  it('reads without forking an EntityManager, from memory or not (Apollo copies the context of every operation)', async () => {
    await run(QUERY);
    const fork = jest.spyOn(api.orm.em, 'fork');
    try {
      expect((await run(QUERY)).statements).toBe(0);
      expect((await run('{ province(code: "51") { name } }')).statements).toBe(1);
      expect(fork).not.toHaveBeenCalled();
    } finally {
      fork.mockRestore();
    }
  });

  it('never serves or stores an authenticated caller\'s answer, and tells shared caches not to keep it', async () => {
    const first = await run(QUERY, MINISTRY);
    const second = await run(QUERY, MINISTRY);
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(first.statements);
    expect(second.headers.get('cache-control')).toBe('no-store');
  });

  it('forgets everything after a successful write', async () => {
    await run(QUERY);
    expect((await run(QUERY)).statements).toBe(0);
    const write = await run(
      `mutation { designateHub(input: { provinceCode: "11", cohortYear: 2026, stage: COMMITTED, committedOn: "2026-11-01",
         sources: ["test"] }) { hub { stage } userErrors { code } } }`,
      MINISTRY,
    );
    expect(write.errors).toBeUndefined();
    expect(write.data).toEqual({ designateHub: { hub: { stage: 'COMMITTED' }, userErrors: [] } });
    expect((await run(QUERY)).statements).toBeGreaterThan(0);
  });

  it('answers each mutation of an operation on its own, and forgets what the ones that committed changed', async () => {
    const operator: Viewer = { role: Role.HUB_OPERATOR, keyId: 3, keyLabel: 'jatim', provinceCode: '35', universityId: null };
    // The first mutation commits (an innovation in the operator's province); the second is refused
    // (designating a hub is the ministry's). Each has its own answer; the committed one is not lost in a
    // data: null.
    const both = await run(
      `mutation {
        created: createInnovation(input: { title: "Inovasi dua mutasi", owner: { name: "Pemerintah Kabupaten Gresik" }, regencyCode: "35.25", sources: ["test"] }) {
          innovation { title } userErrors { code } }
        refused: designateHub(input: { provinceCode: "92", cohortYear: 2026, stage: COMMITTED, sources: ["test"] }) { hub { stage } } }`,
      operator,
    );
    expect(both.data).toEqual({ created: { innovation: { title: 'Inovasi dua mutasi' }, userErrors: [] }, refused: null });
    expect(both.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['refused'], 'FORBIDDEN']]);
    // An anonymous reader sees the committed write at once, not a cached answer from before it.
    const count = '{ innovations(filter: { regencyCode: "35.25" }) { totalCount } }';
    const before = (await run(count)).data as { innovations: { totalCount: number } };
    await run(
      `mutation { a: createInnovation(input: { title: "Inovasi kedua", owner: { name: "Pemerintah Kabupaten Gresik" }, regencyCode: "35.25", sources: ["test"] }) { userErrors { code } }
        b: designateHub(input: { provinceCode: "92", cohortYear: 2026, stage: COMMITTED, sources: ["test"] }) { userErrors { code } } }`,
      operator,
    );
    expect((await run(count)).data).toEqual({ innovations: { totalCount: before.innovations.totalCount + 1 } });
  });
});
