// PostgreSQL restarted under load, the API left running: a bounded load on 127.0.0.1 (4 clients, a few
// seconds) against an in-process API whose database is an embedded PostgreSQL of this test's own. Errors
// happen only between the stop and the restart (plus the first reconnect), are coded and retryable, never
// a 500; then every request succeeds again, readiness follows the database, and no connection leaks.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { codes, freePort, postGraphQL, send, sleep, startPostgresProcess, startTestServer, type PostgresProcess, type TestServer } from './support';

const POOL_MAX = 4;
const CLIENTS = 4;
const QUERY = '{ provinces { code } regencies(first: 5) { totalCount } }';

interface Sample {
  start: number;
  end: number;
  status: number;
  codes: string[];
  reasons: string[];
}

let dataDir: string;
let port: number;
let postgres: PostgresProcess | undefined;
let api: TestServer | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-restart-'));
  fs.chmodSync(dataDir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the folder
  port = await freePort();
  postgres = await startPostgresProcess(dataDir, port, true);
  api = await startTestServer({
    databaseUrl: postgres.url,
    orm: { poolMax: POOL_MAX, acquireTimeoutMs: 1_000, statementTimeoutMs: 5_000 },
  });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await postgres?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Clients that each send one request at a time until told to stop, at most `maxPerClient` each. */
function runLoad(url: string, maxPerClient: number) {
  const samples: Sample[] = [];
  let running = true;
  const client = async () => {
    for (let i = 0; i < maxPerClient && running; i += 1) {
      const start = performance.now();
      const reply = await postGraphQL(url, QUERY, undefined, { timeoutMs: 15_000 });
      const errors = (reply.body?.errors ?? []) as { extensions?: { reason?: string } }[];
      samples.push({ start, end: performance.now(), status: reply.status, codes: codes(reply), reasons: errors.map((e) => String(e.extensions?.reason)) });
      await sleep(10);
    }
  };
  const done = Promise.all(Array.from({ length: CLIENTS }, client));
  return {
    samples,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

const ok = (s: Sample) => s.status === 200 && s.codes.length === 0;

it('answers again without a restart of the API once PostgreSQL is back, with errors only in between', async () => {
  const load = runLoad(api!.url, 2_000);
  await sleep(1_500);

  const stoppedAt = performance.now();
  await postgres!.stop();
  postgres = undefined;
  await sleep(1_000);
  const whileDown = await send(`${api!.base}/readyz`);
  postgres = await startPostgresProcess(dataDir, port, false);
  const restartedAt = performance.now();
  await sleep(3_000);
  await load.stop();

  const { samples } = load;
  const before = samples.filter((s) => s.end < stoppedAt);
  const after = samples.filter((s) => s.start > restartedAt);
  const failed = samples.filter((s) => !ok(s));
  const firstRecovered = after.find(ok);

  expect(before.length).toBeGreaterThan(10);
  expect(before.every(ok)).toBe(true);
  // The outage was real, and every failure was coded as a database outage: no 500, nothing masked.
  expect(failed.length).toBeGreaterThan(0);
  expect(failed.filter((s) => s.status !== 200 || s.codes.some((c) => c !== 'INTERNAL_SERVER_ERROR'))).toEqual([]);
  expect(new Set(failed.flatMap((s) => s.reasons))).toEqual(new Set(['DATABASE_UNAVAILABLE']));
  // Errors only during the restart window: none started after the first success once PostgreSQL was back.
  expect(firstRecovered).toBeDefined();
  expect(firstRecovered!.end - restartedAt).toBeLessThan(2_000);
  expect(samples.filter((s) => s.start > firstRecovered!.end && !ok(s))).toEqual([]);
  expect(after.filter(ok).length).toBeGreaterThan(10);

  expect([whileDown.status, whileDown.body]).toEqual([503, { status: 'database unreachable' }]);
  expect((await send(`${api!.base}/readyz`)).status).toBe(200);

  // No leaked connections: the pool is idle and PostgreSQL sees no more sessions of the API than the pool holds.
  const pool = api!.orm.em.getConnection().getKnex().client.pool!;
  expect([pool.numUsed(), pool.numPendingAcquires()]).toEqual([0, 0]);
  const admin = new Client({ connectionString: postgres.url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ count: number }>("select count(*)::int as count from pg_stat_activity where application_name = 'jipp-api'");
    expect(rows[0].count).toBeLessThanOrEqual(POOL_MAX);
  } finally {
    await admin.end();
  }
}, 90_000);
