// WORKERS=2 as npm start runs it, on an embedded PostgreSQL in a fresh data folder: the primary owns the
// one PostgreSQL, two workers answer on one port and spend from one rate-limit budget, /metrics counts
// every worker's requests, a worker killed is forked again, and SIGTERM stops everything with exit 0. The
// same heavy question asked of both workers at once runs once, unless the asking worker heard a commit.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { Client } from 'pg';
import { isRunning } from '../../src/db/process-identity';
import { waitFor } from '../../src/db/postmaster';
import { lockProvinces } from '../hardening/support';
import { createTestDatabase } from '../support/harness';
import { JIPP_BIN, MAIN, freePort, freshDataDir, postmasterPid, runScript, show, startApi, type ApiProcess } from './api-process';

const TIMEOUT = 90_000;
const QUERY = JSON.stringify({ query: '{ provinces { code } }' });
/** 38 provinces: the query's cost. */
const COST = 38;
const BUDGET = 60_000;

const running = new Set<ApiProcess>();
const dataDir = freshDataDir();
let api: ApiProcess;
let port: number;

/** A request on a connection of its own, so that the cluster hands each to the next worker. */
function post(body: string, to = port, headers: Record<string, string> = {}): Promise<{ status: number; remaining: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: to,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, remaining: Number(response.headers['x-ratelimit-remaining']), text }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

async function metric(name: string, to = port): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${to}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith(name) && !l.startsWith('#'));
  return lines.length ? lines.reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0) : undefined;
}

function workerPids(primary: number): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(primary)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(MAIN))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** The worker whose TCP connection has this local port (from /proc: its sockets' inodes in /proc/net/tcp). */
function workerHolding(primary: number, localPort: number): number {
  const table = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((file) => fs.readFileSync(file, 'utf8').split('\n').slice(1));
  const inode = table
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields.length > 9 && parseInt(fields[1].split(':')[1], 16) === localPort)?.[9];
  if (!inode) throw new Error(`no socket has local port ${localPort}`);
  const holder = workerPids(primary).find((pid) =>
    fs.readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return fs.readlinkSync(`/proc/${pid}/fd/${fd}`) === `socket:[${inode}]`;
      } catch {
        return false;
      }
    }),
  );
  if (!holder) throw new Error(`no worker holds socket ${inode}`);
  return holder;
}

const listening = () => api.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('GraphQL API listening on')).length;

beforeAll(async () => {
  port = await freePort();
  api = await startApi(
    { WORKERS: '2', DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), PORT: String(port), RATE_LIMIT_ANONYMOUS_POINTS: String(BUDGET), LOG_LEVEL: 'info' },
    running,
  );
  if (!(await waitFor(() => listening() === 2, 45_000))) throw new Error(`two workers did not start:\n${show(api.logs)}`);
}, TIMEOUT);

afterAll(async () => {
  for (const proc of running) proc.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start with WORKERS=2', () => {
  it('runs one embedded PostgreSQL, owned by the primary, and two workers', () => {
    const owner = JSON.parse(fs.readFileSync(path.join(dataDir, 'pg.owner.json'), 'utf8')) as { pid: number; role: string };
    expect([owner.pid, owner.role]).toEqual([api.child.pid, 'server']);
    expect(workerPids(api.child.pid!)).toHaveLength(2);
    expect(api.logs.filter((l) => l.msg === 'reference data already up to date' || l.msg === 'reference data seeded')).toHaveLength(1);
  });

  it('spends one rate-limit budget whichever worker answers, and /metrics counts every worker', async () => {
    const before = (await metric('jipp_graphql_operations_total')) ?? 0;
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await post(QUERY));
    expect(answers.map((a) => a.status)).toEqual(Array(6).fill(200));
    // One budget: each answer has COST fewer points left than the one before, across both workers.
    const remaining = answers.map((a) => a.remaining);
    expect(remaining.slice(1).map((r, i) => remaining[i] - r)).toEqual(Array(5).fill(COST));
    expect(await metric('jipp_graphql_operations_total')).toBe(before + 6);
    expect(await metric('jipp_cluster_workers')).toBe(2);
  });

  it('forks a worker that was killed again, and keeps answering meanwhile', async () => {
    const [victim] = workerPids(api.child.pid!);
    process.kill(victim, 'SIGKILL');
    const exited = () => api.logs.some((l) => typeof l.msg === 'string' && /^API worker \d exited unexpectedly \(SIGKILL\); forking it again in 500 ms$/.test(l.msg));
    expect(await waitFor(exited, 10_000)).toBe(true);
    // The other worker answers while the new one starts.
    expect((await post(QUERY)).status).toBe(200);
    expect(await waitFor(() => listening() === 3, 30_000)).toBe(true);
    expect(workerPids(api.child.pid!)).toHaveLength(2);
    expect(await metric('jipp_cluster_worker_exits_total')).toBe(1);
  });

  it('stops the workers, then PostgreSQL, on SIGTERM, and exits 0', async () => {
    const postgres = postmasterPid(dataDir)!;
    const workers = workerPids(api.child.pid!);
    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect([...workers, postgres].filter((pid) => isRunning(pid))).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'pg.owner.json'))).toBe(false);
  });
});

describe('npm start with WORKERS=2 that cannot start', () => {
  it('stops with exit code 1 when no worker could start (the port is taken), instead of forking them forever', async () => {
    const database = await createTestDatabase();
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const busy = (taken.address() as net.AddressInfo).port;
      const run = await runScript(MAIN, [], { WORKERS: '2', DATABASE_URL: database.url, PORT: String(busy), LOG_LEVEL: 'info' });
      expect([run.code, run.signal]).toEqual([1, null]);
      expect(run.stderr).toContain(`Failed to start: bind EADDRINUSE 127.0.0.1:${busy}`);
      expect(run.stdout).toContain('an API worker could not start; stopping');
    } finally {
      taken.close();
      await database.drop();
    }
  }, TIMEOUT);
});

describe('the same heavy question asked of both workers at once', () => {
  const question = JSON.stringify({ query: '{ replicationGraph(level: REGENCY) { totals { replications regions } } }' });
  let database: { url: string; drop: () => Promise<void> };
  let cluster: ApiProcess;
  let to: number;
  let db: Client;

  /** Statements of the question waiting on the lock, as PostgreSQL sees them. */
  const waiting = async () =>
    (
      await db.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%replication_regency_flow_rollup%'`,
      )
    ).rows[0].n;
  const until = async (done: () => Promise<boolean>) => {
    for (const started = Date.now(); Date.now() - started < 10_000; await new Promise((resolve) => setTimeout(resolve, 25))) if (await done()) return true;
    return false;
  };
  /** The client port of the statement waiting on the lock. */
  const waitingClientPort = async () =>
    (
      await db.query<{ port: number }>(
        `select client_port as port from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock' and query like '%replication_regency_flow_rollup%'`,
      )
    ).rows[0].port;
  /** Questions joined so far: in their own worker, or across workers (waiting now, or answered). */
  const joined = async () =>
    ((await metric('jipp_read_statements_joined_total', to)) ?? 0) +
    ((await metric('jipp_read_statements_waiting_on_workers', to)) ?? 0) +
    ((await metric('jipp_read_statements_joined_across_workers_total', to)) ?? 0);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = new Client({ connectionString: database.url });
    await db.connect();
    to = await freePort();
    cluster = await startApi(
      { WORKERS: '2', DATABASE_URL: database.url, PORT: String(to), RESPONSE_CACHE_SECONDS: '0', RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0', LOG_LEVEL: 'info' },
      running,
    );
    const started = () => cluster.logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('GraphQL API listening on')).length === 2;
    if (!(await waitFor(started, 45_000))) throw new Error(`two workers did not start:\n${show(cluster.logs)}`);
  }, TIMEOUT);

  afterAll(async () => {
    cluster?.child.kill('SIGTERM');
    await cluster?.exited;
    await db?.end();
    await database?.drop();
  }, TIMEOUT);

  it('runs it once, and every worker answers with it', async () => {
    const expected = await post(question, to);
    expect(expected.status).toBe(200);
    const before = await joined();
    const lock = await lockProvinces(database.url, 'replication_regency_flow_rollup');
    // Four connections of their own: the cluster hands them to the workers in turn, two each.
    const answers = Promise.all([1, 2, 3, 4].map(() => post(question, to)));
    try {
      expect(await until(async () => (await joined()) === before + 3)).toBe(true);
      expect(await waiting()).toBe(1);
    } finally {
      await lock.release();
    }
    const bodies = (await answers).map((a) => JSON.parse(a.text).data);
    expect(bodies).toEqual(Array(4).fill(JSON.parse(expected.text).data));
    expect(await metric('jipp_read_statements_waiting_on_workers', to)).toBe(0);
    expect(await joined()).toBe(before + 3);
  }, TIMEOUT);

  it('lets the questions waiting on a worker that dies run the statement themselves', async () => {
    const expected = JSON.parse((await post(question, to)).text).data;
    const lock = await lockProvinces(database.url, 'replication_regency_flow_rollup');
    // The runner's own question goes with it.
    const first = post(question, to).then(
      () => 'answered',
      () => 'cut off',
    );
    let others: Promise<PromiseSettledResult<Awaited<ReturnType<typeof post>>>[]>;
    try {
      expect(await until(async () => (await waiting()) === 1)).toBe(true);
      const runner = workerHolding(cluster.child.pid!, await waitingClientPort());
      // The next two go one to each worker: the one on the other worker waits for the runner's answer.
      others = Promise.allSettled([post(question, to), post(question, to)]);
      expect(await until(async () => ((await metric('jipp_read_statements_waiting_on_workers', to)) ?? 0) >= 1)).toBe(true);
      process.kill(runner, 'SIGKILL');
      // Released, the waiter runs it: a second statement waits on the lock beside the dead worker's.
      expect(await until(async () => (await waiting()) >= 2)).toBe(true);
    } finally {
      await lock.release();
    }
    expect(await first).toBe('cut off');
    const answered = (await others).filter((o) => o.status === 'fulfilled').map((o) => JSON.parse(o.value.text).data);
    expect(answered.length).toBeGreaterThanOrEqual(1);
    expect(answered).toEqual(Array(answered.length).fill(expected));
  }, TIMEOUT);

  it('runs it again for a worker that heard a commit after the running statement began', async () => {
    const created = await runScript(JIPP_BIN, ['keys', 'create', '--role', 'MINISTRY_ADMIN', '--label', 'workers test'], { DATABASE_URL: database.url });
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    const mutation = JSON.stringify({
      query: `mutation { createInnovation(input: { title: "Inovasi baru (DEMO)", owner: { name: "Pemerintah Kabupaten Gresik" }, regencyCode: "35.25", sources: ["test"] }) { userErrors { code } } }`,
    });
    const lock = await lockProvinces(database.url, 'replication_regency_flow_rollup');
    const first = post(question, to);
    const after: ReturnType<typeof post>[] = [];
    try {
      expect(await until(async () => (await waiting()) === 1)).toBe(true);
      // The worker that answers the mutation has heard its commit before it answers.
      const written = await post(mutation, to, { authorization: `Bearer ${key}` });
      expect(JSON.parse(written.text).data).toEqual({ createInnovation: { userErrors: [] } });
      // One of the two lands on the worker that wrote, which may not join the statement from before its commit.
      after.push(post(question, to), post(question, to));
      expect(await until(async () => (await waiting()) >= 2)).toBe(true);
    } finally {
      await lock.release();
    }
    const bodies = (await Promise.all([first, ...after])).map((a) => JSON.parse(a.text).data);
    expect(new Set(bodies.map((b) => JSON.stringify(b))).size).toBe(1);
  }, TIMEOUT);
});
