// The response cache serves repeated anonymous reads from memory, never an authenticated caller's, and
// forgets everything when a write succeeds.
import type { ApolloServer } from '@apollo/server';
import { Role, type Viewer } from '../../src/auth/viewer';
import { createContext, type Context } from '../../src/context';
import { countStatements, type StatementTally } from '../../src/db/statement-counter';
import { createApolloServer } from '../../src/server';
import { openTestApi, silentLogger, type TestApi } from '../support/harness';

const QUERY = '{ province(code: "35") { name hub { stage } regencyCount } }';
const MINISTRY: Viewer = { role: Role.MINISTRY_ADMIN, keyId: 1, keyLabel: 'ministry', provinceCode: null, universityId: null };

describe('the response cache', () => {
  let api: TestApi;
  let cached: ApolloServer<Context>;

  async function run(query: string, viewer?: Viewer) {
    const tally = { count: 0 };
    const response = await countStatements(tally, () => cached.executeOperation({ query }, { contextValue: createContext(api.orm, { viewer, tally }) }));
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return { data: response.body.singleResult.data, errors: response.body.singleResult.errors, statements: tally.count, headers: response.http.headers };
  }

  beforeAll(async () => {
    api = await openTestApi();
    cached = await createApolloServer(silentLogger, { responseCacheSeconds: 30 });
  });
  afterAll(async () => {
    await cached.stop();
    await api.close();
  });

  it('keeps the data object for answers it caches; the HTTP front splices PostgreSQL\'s text into the others', async () => {
    const spliced = async (viewer?: Viewer) => {
      const tally: StatementTally = { count: 0, spliceData: true };
      const query = '{ province(code: "19") { name } }';
      const response = await countStatements(tally, () => cached.executeOperation({ query }, { contextValue: createContext(api.orm, { viewer, tally }) }));
      return { body: response.body, text: tally.dataText };
    };
    // Anonymous: cacheable, so the cache keeps real data (and the next anonymous caller gets it).
    const anonymous = await spliced();
    expect(anonymous.text).toBeUndefined();
    expect(anonymous.body).toMatchObject({ singleResult: { data: { province: { name: 'KEPULAUAN BANGKA BELITUNG' } } } });
    // A key holder's answer is never cached: its data is a placeholder, the text travels beside it.
    const ministry = await spliced(MINISTRY);
    expect((ministry.body as { singleResult: { data: unknown } }).singleResult.data).toEqual({});
    expect(JSON.parse(ministry.text!)).toEqual({ province: { name: 'KEPULAUAN BANGKA BELITUNG' } });
  });

  it('answers a repeated anonymous query from memory, with the same data and a public Cache-Control', async () => {
    const first = await run(QUERY);
    const second = await run(QUERY);
    expect(first.statements).toBeGreaterThan(0);
    expect(second.statements).toBe(0);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('cache-control')).toBe('max-age=30, public');
  });

  it('answers from memory without forking an EntityManager (Apollo copies the context of every operation)', async () => {
    await run(QUERY);
    const fork = jest.spyOn(api.orm.em, 'fork');
    try {
      expect((await run(QUERY)).statements).toBe(0);
      expect(fork).not.toHaveBeenCalled();
      await run('{ province(code: "51") { name } }');
      expect(fork).toHaveBeenCalledTimes(1);
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
});
