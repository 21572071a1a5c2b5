// A slow statement and an exhausted pool, over real HTTP. Another session holds an exclusive lock on the
// province table, so every query that reads it waits: with a statement timeout it is cancelled and its
// connection comes back; with the pool (2 connections) held by waiting queries, further requests fail
// fast with a coded, retryable error instead of hanging, and the held ones finish once the lock goes.
import { createTestDatabase } from '../support/harness';
import { lockProvinces, postGraphQL, send, sleep, startTestServer, type Reply, type TestServer } from './support';

const STATEMENT_TIMEOUT_MS = 3_000;
const ACQUIRE_TIMEOUT_MS = 500;
const PROVINCES = '{ provinces { code } }';

let database: { url: string; drop: () => Promise<void> };
let api: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await startTestServer({
    databaseUrl: database.url,
    orm: { poolMax: 2, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS, statementTimeoutMs: STATEMENT_TIMEOUT_MS },
  });
});
afterAll(async () => {
  await api.close();
  await database.drop();
});


/** The read pool's connections: lent out, and requests waiting for one. */
const pool = () => {
  const { total, idle, waiting } = api.engine.pool.stats();
  return { busy: total - idle, waiting };
};

function fault(reply: Reply) {
  const [error] = reply.body.errors ?? [];
  return { status: reply.status, data: reply.body.data, code: error?.extensions?.code, reason: error?.extensions?.reason };
}

it('cancels a statement that runs past the statement timeout with a coded error, and gets its connection back', async () => {
  const lock = await lockProvinces(database.url);
  let reply: Reply;
  try {
    reply = await postGraphQL(api.url, PROVINCES);
  } finally {
    await lock.release();
  }

  expect(fault(reply)).toEqual({ status: 200, data: null, code: 'INTERNAL_SERVER_ERROR', reason: 'STATEMENT_TIMEOUT' });
  expect(reply.body.errors[0].message).toBe(
    `The query ran longer than the statement timeout and was cancelled; ask for less (smaller pages, narrower filters) or retry later. Request id ${reply.headers['x-request-id']}.`,
  );
  expect(reply.ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 100);
  // One wait: the statement timed out, and execution reported the same failure without running it again.
  expect(reply.ms).toBeLessThan(2 * STATEMENT_TIMEOUT_MS - 500);
  expect(reply.body.extensions.sqlStatements).toBe(1);
  expect(pool()).toEqual({ busy: 0, waiting: 0 });
  const after = await postGraphQL(api.url, PROVINCES);
  expect([after.status, after.body.errors, after.body.data.provinces.length]).toEqual([200, undefined, 38]);
});

it('fails fast with DATABASE_BUSY while the pool is exhausted, never hangs, and finishes the requests holding it', async () => {
  const lock = await lockProvinces(database.url);
  let holders: Promise<Reply>[] = [];
  let busy: Reply[] = [];
  let readiness: Reply;
  try {
    // Different questions: the same one asked again would join the one running and take no connection.
    holders = [postGraphQL(api.url, PROVINCES), postGraphQL(api.url, '{ provinces { code name } }')];
    // Both connections are taken once the two queries wait on the lock.
    for (let i = 0; i < 50 && pool().busy < 2; i += 1) await sleep(20);
    expect(pool().busy).toBe(2);

    busy = await Promise.all(Array.from({ length: 4 }, (_, i) => postGraphQL(api.url, `{ provinces${i}: provinces { code } }`)));
    readiness = await send(`${api.base}/readyz`);
  } finally {
    await lock.release();
  }
  const held = await Promise.all(holders);

  for (const reply of busy) {
    expect(fault(reply)).toEqual({ status: 200, data: null, code: 'INTERNAL_SERVER_ERROR', reason: 'DATABASE_BUSY' });
    expect(reply.body.errors[0].message).toBe(`All database connections are busy; retry in a few seconds. Request id ${reply.headers['x-request-id']}.`);
    // The pool's acquire timeout, plus slack for a loaded machine: fast, not a hang until the lock goes.
    expect(reply.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + 2_000);
    // One wait for a connection: execution reports the same failure without waiting again.
    expect(reply.body.extensions.sqlStatements).toBe(1);
  }
  // Busy is not unreachable: the readiness probe has a connection of its own.
  expect([readiness!.status, readiness!.body]).toEqual([200, { status: 'ready' }]);
  expect(held.map((r) => [r.status, r.body.errors, r.body.data.provinces.length])).toEqual([
    [200, undefined, 38],
    [200, undefined, 38],
  ]);
  expect(pool()).toEqual({ busy: 0, waiting: 0 });
  expect((await send(`${api.base}/readyz`)).status).toBe(200);
});
