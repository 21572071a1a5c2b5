// The embedded PostgreSQL's lifecycle with real processes on one data folder: a second API is refused while
// the first lives; a tool runs beside the API on the API's PostgreSQL; a postmaster killed under the API is
// restarted without restarting the API and counted in /metrics; an API killed hard starts again, replacing
// the PostgreSQL it left behind; and a tool with no API running starts a PostgreSQL for its job only.
import fs from 'node:fs';
import path from 'node:path';
import { isRunning } from '../../src/db/process-identity';
import { waitFor } from '../../src/db/postmaster';
import {
  JIPP_BIN,
  MAIN,
  ROOT,
  ask,
  freePort,
  freshDataDir,
  isListening,
  postmasterPid,
  runScript,
  startApi,
  type ApiProcess,
  type Exit,
} from './api-process';

const TIMEOUT = 90_000;
/** Restart after a kill: a 0.5 s pause, crash recovery, the pool's reconnect; generous for a loaded machine. */
const RECOVERY_MS = 30_000;
const QUERY = '{ provinces { code } hubs(filter: { cohortYear: 2020 }) { province { code } } }';

const running = new Set<ApiProcess>();
const dataDir = freshDataDir();
const ownerFile = path.join(dataDir, 'pg.owner.json');
let env: Record<string, string>;
let api: ApiProcess;
let key: { key: string; prefix: string };

type Provinces = { provinces: { code: string }[]; hubs: { province: { code: string } }[] };

async function expectAnswers(url: string): Promise<void> {
  const { status, body } = await ask<Provinces>(url, QUERY);
  expect([status, body.errors]).toEqual([200, undefined]);
  expect(body.data!.provinces).toHaveLength(38);
  expect(body.data!.hubs).toHaveLength(8);
}

async function answersWithin(url: string, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const answer = await ask<Provinces>(url, QUERY).catch(() => undefined);
    if (answer?.status === 200 && !answer.body.errors && answer.body.data?.provinces.length === 38) return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function owner(): { pid: number; role: string } | null {
  return fs.existsSync(ownerFile) ? (JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as { pid: number; role: string }) : null;
}

beforeAll(async () => {
  if (!fs.existsSync(MAIN) || !fs.existsSync(JIPP_BIN)) {
    throw new Error(`${path.relative(ROOT, MAIN)} is missing: compile first with \`npx tsc -p tsconfig.json\` (npm test does this).`);
  }
  // No response cache: every answer below comes from PostgreSQL, not from before a kill.
  env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(await freePort()), PORT: '0', LOG_LEVEL: 'info', RESPONSE_CACHE_SECONDS: '0' };
  api = await startApi(env, running);
}, TIMEOUT);

afterAll(async () => {
  for (const server of running) {
    server.child.kill('SIGTERM');
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (running.has(server)) server.child.kill('SIGKILL');
  }
  // A test that failed half-way may leave a PostgreSQL of the folder behind: stop it before removing the folder.
  const pid = postmasterPid(dataDir);
  if (pid && isRunning(pid)) {
    process.kill(pid, 'SIGINT');
    await waitFor(() => !isRunning(pid), 20_000);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}, TIMEOUT);

describe('the embedded PostgreSQL beside a running API', () => {
  it('records the API as the owner of the data folder', async () => {
    await expectAnswers(api.url);
    expect(owner()).toEqual(expect.objectContaining({ pid: api.child.pid, role: 'server' }));
  });

  it('refuses a second API on the same data folder while the first lives, with a clear message and no stack', async () => {
    const second = await runScript(MAIN, [], env);

    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `Failed to start: The embedded PostgreSQL in ${dataDir}/pg belongs to another API process that is still running (pid ${api.child.pid}, dist/src/main.js, since `,
    );
    expect(second.stderr).not.toMatch(/^\s+at /m);
    expect(second.stdout).not.toContain('GraphQL API listening');
    // The first one is untouched.
    expect(owner()).toEqual(expect.objectContaining({ pid: api.child.pid }));
    await expectAnswers(api.url);
  }, TIMEOUT);

  it("runs the keys tool on the API's PostgreSQL and leaves it running: a key made now works at once", async () => {
    const postgresBefore = postmasterPid(dataDir);

    const created = await runScript(JIPP_BIN, ['keys', 'create', '--role', 'MINISTRY_ADMIN', '--label', 'made beside the API', '--json'], env);
    expect([created.code, created.stderr]).toEqual([0, '']);
    key = JSON.parse(created.stdout) as { key: string; prefix: string };
    const listed = await runScript(JIPP_BIN, ['keys', 'list', '--json'], env);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ prefix: key.prefix, label: 'made beside the API', role: 'MINISTRY_ADMIN' })]);

    expect(postmasterPid(dataDir)).toBe(postgresBefore);
    expect(isRunning(postgresBefore!)).toBe(true);
    expect(owner()).toEqual(expect.objectContaining({ pid: api.child.pid, role: 'server' }));
    const viewer = await ask<{ viewer: { role: string; keyLabel: string } }>(api.url, '{ viewer { role keyLabel } }', { authorization: `Bearer ${key.key}` });
    expect([viewer.status, viewer.body.data, viewer.body.errors]).toEqual([200, { viewer: { role: 'MINISTRY_ADMIN', keyLabel: 'made beside the API' } }, undefined]);
  }, TIMEOUT);

  it('restarts a PostgreSQL killed under the API, without restarting the API, and counts it in /metrics', async () => {
    const killed = postmasterPid(dataDir)!;
    process.kill(killed, 'SIGKILL');
    // Down first (no answer from before the kill counts), then up again.
    expect(await waitFor(() => !isRunning(killed), 5_000)).toBe(true);
    expect(await answersWithin(api.url, RECOVERY_MS)).toBe(true);

    expect(api.child.exitCode).toBeNull();
    expect(postmasterPid(dataDir)).not.toBe(killed);
    expect(isRunning(postmasterPid(dataDir)!)).toBe(true);
    // The pool may reconnect before the supervisor has seen the new PostgreSQL ready and counted the
    // restart: the count is asked for until it comes (bounded), not read once.
    const metrics = () => fetch(api.url.replace(/\/graphql$/, '/metrics')).then((r) => r.text());
    let text = await metrics();
    for (const deadline = Date.now() + 5_000; !/^jipp_embedded_postgres_restarts_total 1$/m.test(text) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      text = await metrics();
    }
    expect(text).toMatch(/^jipp_embedded_postgres_restarts_total 1$/m);
    expect(api.logs.filter((l) => String(l.msg).startsWith('embedded PostgreSQL exited unexpectedly'))).toEqual([
      expect.objectContaining({ level: 40, postgresPid: killed, exit: 'signal SIGKILL', restartInMs: 500 }),
    ]);
    expect(api.logs.filter((l) => String(l.msg).startsWith('embedded PostgreSQL restarted after'))).toEqual([
      expect.objectContaining({ postgresPid: postmasterPid(dataDir) }),
    ]);
  }, TIMEOUT);

  it('starts again after the API was killed hard, replacing the PostgreSQL it left behind, and stops cleanly', async () => {
    const orphan = postmasterPid(dataDir)!;
    api.child.kill('SIGKILL');
    expect(await api.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // This is the case to handle: PostgreSQL outlives its API.
    expect(isRunning(orphan)).toBe(true);

    api = await startApi(env, running);

    await expectAnswers(api.url);
    expect(api.logs.filter((l) => String(l.msg).startsWith('stopping an orphaned embedded PostgreSQL'))).toEqual([
      expect.objectContaining({ postgresPid: orphan }),
    ]);
    expect(isRunning(orphan)).toBe(false);
    expect(owner()).toEqual(expect.objectContaining({ pid: api.child.pid }));

    api.child.kill('SIGTERM');
    expect(await api.exited).toEqual<Exit>({ code: 0, signal: null });
    expect(await isListening(Number(env.EMBEDDED_PG_PORT))).toBe(false);
    expect([owner(), postmasterPid(dataDir)]).toEqual([null, null]);
  }, TIMEOUT);

  it('lets a tool with no API running start a PostgreSQL for its job, and stop it when done', async () => {
    const listed = await runScript(JIPP_BIN, ['keys', 'list', '--json'], env);

    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ prefix: key.prefix })]);
    expect(await isListening(Number(env.EMBEDDED_PG_PORT))).toBe(false);
    expect([owner(), postmasterPid(dataDir)]).toEqual([null, null]);
  }, TIMEOUT);
});

