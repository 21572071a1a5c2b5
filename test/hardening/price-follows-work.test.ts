// What a request may make the server do matches what it pays, for anonymous callers most of all: searches
// that no index can answer are refused, analytics and introspection are priced by what they read and
// return, an answer has a size limit, and expensive statements run a few at a time (overall and per
// caller) so cheap questions and the readiness probe keep flowing while they run.
import { createTestDatabase } from '../support/harness';
import { codes, lockProvinces, postGraphQL, send, sleep, startTestServer, type Reply, type TestServer } from './support';

const POOL_MAX = 4;

let database: { url: string; drop: () => Promise<void> };
let api: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await startTestServer({
    databaseUrl: database.url,
    orm: { poolMax: POOL_MAX, acquireTimeoutMs: 1_500, statementTimeoutMs: 10_000 },
    engine: { maxAnswerChars: 50_000, heavy: { overall: 2, perCaller: 1, waitMs: 1_500 } },
  });
});
afterAll(async () => {
  await api.close();
  await database.drop();
});

const firstError = (reply: Reply) => reply.body.errors?.[0];

describe('searches', () => {
  it.each(['a', '?!', 'ab', '%%%', '  x y z  '])('refuses the term %p, which no index can answer, running no SQL', async (term) => {
    const reply = await postGraphQL(api.url, 'query($s: String) { innovations(filter: { search: $s }) { totalCount } }', { s: term });
    expect([reply.status, reply.body.data, codes(reply)]).toEqual([200, null, ['BAD_USER_INPUT']]);
    expect(firstError(reply).extensions.argument).toBe('filter.search');
    expect(reply.body.extensions.sqlStatements).toBe(0);
  });

  it('answers a term with a word of three letters, and prices it as the work it is', async () => {
    const reply = await postGraphQL(api.url, '{ innovations(first: 5, filter: { search: "toss" }) { totalCount } }');
    expect([reply.status, codes(reply), reply.body.data.innovations.totalCount]).toEqual([200, [], 1]);
    // A page of 5 plus the search's weight.
    expect(reply.body.extensions.cost.requested).toBe(5 + 100);
  });
});

describe('prices', () => {
  it('prices a graph by what it reads: the province rollups cheaply, regency flows more, the replications (a filter no rollup keeps) dearly', async () => {
    const price = async (query: string) => (await postGraphQL(api.url, query)).body.extensions.cost.requested;
    expect([
      await price('{ replicationGraph { totals { replications } } }'),
      await price('{ replicationGraph(filter: { kind: [SCALING_UP], yearFrom: 2018, sourceProvinceCode: "35" }) { totals { innovations } } }'),
      await price('{ replicationGraph(filter: { kind: REPLICATION }) { totals { innovations } } }'),
      await price('{ replicationGraph(level: REGENCY) { totals { replications } } }'),
      await price('{ replicationGraph(filter: { adopterScope: [NATIONAL] }) { totals { innovations } } }'),
      await price('{ replicationGraph(filter: { sourceRegencyCode: "35.25" }) { totals { replications } } }'),
      await price('{ replicationGraph(level: REGENCY, filter: { status: [IMPLEMENTED] }) { totals { replications } } }'),
    ]).toEqual([10, 10, 10, 100, 500, 100, 500]);
  });

  it('prices introspection: five whole schemas make the limit, thirty aliases of it are refused before anything runs', async () => {
    const schemas = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `s${i}: __schema { types { name fields { name } } }`).join(' ')} }`;
    const one = await postGraphQL(api.url, schemas(1));
    expect([one.status, one.body.extensions.cost.requested]).toEqual([200, 10_000]);
    const thirty = await postGraphQL(api.url, schemas(30));
    expect([thirty.status, codes(thirty), thirty.body.extensions.cost.requested]).toEqual([400, ['QUERY_TOO_COMPLEX'], 300_000]);
  });
});

describe('the size of an answer', () => {
  it('refuses an answer past the limit with QUERY_TOO_COMPLEX, saying how large it was', async () => {
    const reply = await postGraphQL(api.url, '{ replicationGraph(level: REGENCY, includeIsolated: true) { nodes { code name level isHub outgoing incoming } } }');
    expect([reply.status, reply.body.data, codes(reply)]).toEqual([200, null, ['QUERY_TOO_COMPLEX']]);
    expect(firstError(reply).extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', reason: 'ANSWER_TOO_LARGE', size: expect.any(Number), limit: 50_000 });
    expect(firstError(reply).extensions.size).toBeGreaterThan(50_000);
    const small = await postGraphQL(api.url, '{ regencies(first: 10) { nodes { code } } }');
    expect(codes(small)).toEqual([]);
  });
});

describe('expensive statements at once', () => {
  it('keeps cheap questions and readiness flowing while the heaviest an anonymous budget allows pile up', async () => {
    // Every read of the regency flows waits on this lock: the graphs hold their connections until it goes.
    const lock = await lockProvinces(database.url, 'replication_regency_flow_rollup');
    // Each a different question (the same one asked again would join the one running, costing nothing).
    let asked = 0;
    const heavy = (address: string) =>
      postGraphQL(api.url, `{ replicationGraph(level: REGENCY, filter: { yearTo: ${2030 + asked++} }) { totals { replications innovations } } }`, undefined, {
        localAddress: address,
        timeoutMs: 20_000,
      });
    let results: Reply[];
    let cheap: Reply[];
    let ready: Reply;
    try {
      // Three callers, three heavy requests each: two run (the overall bound), one per caller at most.
      const pending = ['127.0.0.2', '127.0.0.3', '127.0.0.4'].flatMap((address) => [heavy(address), heavy(address), heavy(address)]);
      await sleep(300);
      cheap = [];
      for (let i = 0; i < 5; i += 1) cheap.push(await postGraphQL(api.url, '{ provinces { code } hubs { name } }', undefined, { localAddress: '127.0.0.5' }));
      ready = await send(`${api.base}/readyz`);
      // Let the waiters time out while the lock holds the two running ones.
      await sleep(1_800);
      await lock.release();
      results = await Promise.all(pending);
    } finally {
      await lock.release().catch(() => {});
    }

    for (const reply of cheap!) {
      expect([reply.status, codes(reply), reply.body.data.provinces.length]).toEqual([200, [], 38]);
      expect(reply.ms).toBeLessThan(1_000);
    }
    expect([ready!.status, ready!.body]).toEqual([200, { status: 'ready' }]);
    const outcomes = results!.map((reply) => codes(reply)[0] ?? 'ok');
    // Two ran to the end; the second and third of their callers waited for their caller's slot and were
    // refused as over their limit (429); the third caller, with nothing running, waited for an overall
    // slot and was told the database is busy, a fault to retry.
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(4);
    expect(outcomes.filter((o) => o === 'INTERNAL_SERVER_ERROR')).toHaveLength(3);
    const busy = results!.find((reply) => codes(reply)[0] === 'INTERNAL_SERVER_ERROR')!;
    expect(firstError(busy).extensions.reason).toBe('DATABASE_BUSY');
    const limited = results!.find((reply) => codes(reply)[0] === 'RATE_LIMITED')!;
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '1']);
    expect(api.engine.heavy.active).toBe(0);
  });
});

describe('bad input', () => {
  it.each([
    ['a search', '{ innovations(filter: { search: "sam\\u0000pah" }) { totalCount } }'],
    ['a name filter', '{ regencies(filter: { nameContains: "gre\\u0000sik" }) { totalCount } }'],
    ['a hub filter', '{ hubs(filter: { instrumentNumber: "94\\u0000" }) { name } }'],
  ])('refuses a NUL character in %s as BAD_USER_INPUT, never a 500', async (_name, query) => {
    const reply = await postGraphQL(api.url, query);
    expect(reply.status).toBe(200);
    expect(codes(reply)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses variables nested 10,000 levels deep (20 KB) with 400 BAD_REQUEST, and as deep as a URL allows in a GET', async () => {
    const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    const query = 'query($f: InnovationFilter) { innovations(filter: $f) { totalCount } }';
    const post = await send(api.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"query":${JSON.stringify(query)},"variables":{"f":${deep(10_000)}}}` });
    const get = await send(`${api.url}?query=${encodeURIComponent(query)}&variables=${encodeURIComponent(`{"f":${deep(500)}}`)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    for (const reply of [post, get]) expect([reply.status, codes(reply)]).toEqual([400, ['BAD_REQUEST']]);
  });
});
