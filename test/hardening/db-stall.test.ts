// PostgreSQL stalled (SIGSTOP: the host froze, the network dropped every packet) under requests, on an
// embedded PostgreSQL of this test's own: every request ends within a bounded time with a coded,
// retryable error (never a hang, never a masked 500), /readyz says so within its probe's timeout, and
// once PostgreSQL runs again everything answers without restarting the API.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codes, freePort, postGraphQL, send, sleep, startPostgresProcess, startTestServer, type PostgresProcess, type Reply, type TestServer } from './support';

const STATEMENT_TIMEOUT_MS = 2_000;
/** The client gives up on a silent server 5 s after the statement timeout (src/db/read-pool.ts). */
const CLIENT_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 5_000;
const QUERY = '{ provinces { code } }';

let dataDir: string;
let postgres: PostgresProcess | undefined;
let api: TestServer | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-stall-'));
  fs.chmodSync(dataDir, 0o755);
  postgres = await startPostgresProcess(dataDir, await freePort(), true);
  api = await startTestServer({ databaseUrl: postgres.url, orm: { poolMax: 3, acquireTimeoutMs: 1_000, statementTimeoutMs: STATEMENT_TIMEOUT_MS } });
}, 120_000);

afterAll(async () => {
  signalCluster('SIGCONT');
  await api?.close();
  await postgres?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Sends a signal to the cluster's postmaster and every backend it runs. */
function signalCluster(signal: NodeJS.Signals): void {
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const postmaster = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  // Its children (the backends), from /proc: /proc/<pid>/stat's fourth field is the parent's pid.
  const children = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return Number(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    })
    .map(Number);
  for (const pid of [postmaster, ...children]) {
    try {
      process.kill(pid, signal);
    } catch {
      // A backend that ended meanwhile.
    }
  }
}

it('ends every request during a stall with a coded, retryable error in bounded time, then recovers by itself', async () => {
  // Connections in the pool first, so the stall catches some mid-conversation and some at connect.
  expect(codes(await postGraphQL(api!.url, QUERY))).toEqual([]);
  signalCluster('SIGSTOP');
  let during: Reply[];
  let ready: Reply;
  try {
    const requests = [0, 300, 1_500].map(async (delay) => {
      await sleep(delay);
      return postGraphQL(api!.url, QUERY, undefined, { timeoutMs: 20_000 });
    });
    ready = await send(`${api!.base}/readyz`, { timeoutMs: 10_000 });
    during = await Promise.all(requests);
  } finally {
    signalCluster('SIGCONT');
  }

  expect([ready!.status, ready!.body]).toEqual([503, { status: 'database unreachable' }]);
  expect(ready!.ms).toBeLessThan(4_000);
  for (const reply of during!) {
    expect([reply.status, codes(reply)]).toEqual([200, ['INTERNAL_SERVER_ERROR']]);
    expect(['DATABASE_UNAVAILABLE', 'DATABASE_BUSY', 'STATEMENT_TIMEOUT']).toContain(reply.body.errors[0].extensions.reason);
    expect(reply.body.errors[0].message).toMatch(/retry/);
    expect(reply.ms).toBeLessThan(CLIENT_TIMEOUT_MS + 2_000);
  }

  // Running again: answers come back without restarting anything.
  let after: Reply | undefined;
  for (let i = 0; i < 40 && (!after || codes(after).length); i += 1) {
    await sleep(250);
    after = await postGraphQL(api!.url, QUERY);
  }
  expect([after!.status, codes(after!), after!.body.data.provinces.length]).toEqual([200, [], 38]);
  expect((await send(`${api!.base}/readyz`)).status).toBe(200);
}, 60_000);
