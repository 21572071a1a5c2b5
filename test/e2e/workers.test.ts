// WORKERS=2 as npm start runs it, on an embedded PostgreSQL in a fresh data folder: the primary owns the
// one PostgreSQL, two workers answer on one port and spend from one rate-limit budget, /metrics counts
// every worker's requests, a worker killed is forked again, and SIGTERM stops everything with exit 0.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { isRunning } from '../../src/db/process-identity';
import { waitFor } from '../../src/db/postmaster';
import { createTestDatabase } from '../support/harness';
import { MAIN, freePort, freshDataDir, postmasterPid, runScript, show, startApi, type ApiProcess } from './api-process';

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
function post(body: string): Promise<{ status: number; remaining: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
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

async function metric(name: string): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
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
