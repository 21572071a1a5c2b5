// SIGTERM under load, on the compiled server in production mode (npm test compiles it first): requests
// already in flight (held by a lock on the province table) finish with their data, new connections are
// refused, the process exits 0. On the way: its logs are JSON, one line per operation, and anonymous
// callers cannot introspect.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { Client } from 'pg';
import { createTestDatabase } from '../support/harness';
import { codes, postGraphQL, sleep, type Reply } from './support';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'dist/src/main.js');
const IN_FLIGHT = 6;

interface Running {
  child: ChildProcess;
  url: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startServer(databaseUrl: string): Promise<Running> {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'info', RESPONSE_CACHE_SECONDS: '0' };
  for (const key of ['HOST', 'DATA_DIR', 'LOG_SQL', 'DB_POOL_MAX']) delete env[key];
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not listening within 30 s:\n${lines.join('\n')}`)), 30_000);
    const onLine = (line: string) => {
      lines.push(line);
      const url = /"url":"(http:[^"]+)"/.exec(line)?.[1];
      if (url && line.includes('GraphQL API listening on')) {
        clearTimeout(timer);
        resolve({ child, url, lines, exited });
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(() => reject(new Error(`exited before listening:\n${lines.join('\n')}`)));
  });
}

let database: { url: string; drop: () => Promise<void> };
let server: Running | undefined;

beforeAll(async () => {
  if (!fs.existsSync(MAIN)) throw new Error('dist/src/main.js is missing: compile first (npm test runs tsc).');
  database = await createTestDatabase();
  server = await startServer(database.url);
}, 60_000);

afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await database.drop();
});

/** Clients looping on a cheap query until the server stops taking connections (at most 20 s). */
function runLoad(url: string) {
  const replies: Reply[] = [];
  const refused: string[] = [];
  const deadline = Date.now() + 20_000;
  const client = async () => {
    while (Date.now() < deadline) {
      try {
        replies.push(await postGraphQL(url, '{ regencies(first: 5) { totalCount } }'));
      } catch (error) {
        refused.push(String((error as NodeJS.ErrnoException).code ?? error));
        return;
      }
      await sleep(5);
    }
  };
  return { replies, refused, done: Promise.all([client(), client()]) };
}

it('lets in-flight requests finish, refuses new connections, and exits 0', async () => {
  const { url, child, lines } = server!;
  const introspection = await postGraphQL(url, '{ __schema { queryType { name } } }');
  expect([introspection.status, codes(introspection)]).toEqual([400, ['GRAPHQL_VALIDATION_FAILED']]);

  const lock = new Client({ connectionString: database.url });
  await lock.connect();
  await lock.query('begin');
  await lock.query('lock table province in access exclusive mode');
  const load = runLoad(url);
  // Different questions (an alias each): the same one asked again would join the statement running.
  const inFlight = Array.from({ length: IN_FLIGHT }, (_, i) => postGraphQL(url, `query Held { provinces { code name${i}: name } }`, undefined, { timeoutMs: 30_000 }));
  // Wait until all of them wait on the lock (statistics are read outside the lock's transaction, which
  // would keep showing its first snapshot of pg_stat_activity). Only this test's database: suites running
  // in parallel have API connections waiting on locks of their own.
  const monitor = new Client({ connectionString: database.url });
  await monitor.connect();
  let waiting = 0;
  for (let i = 0; i < 100 && waiting < IN_FLIGHT; i += 1) {
    await sleep(50);
    const { rows } = await monitor.query<{ count: number }>(
      "select count(*)::int as count from pg_stat_activity where application_name like 'jipp-api%' and wait_event_type = 'Lock' and datname = current_database()",
    );
    waiting = rows[0].count;
  }
  await monitor.end();
  expect(waiting).toBe(IN_FLIGHT);

  child.kill('SIGTERM');
  await sleep(500);
  const stillRunning = child.exitCode === null;
  const afterSignal = await postGraphQL(url, '{ provinces { code } }').then(
    () => 'answered',
    (error: NodeJS.ErrnoException) => error.code,
  );
  await lock.query('commit');
  await lock.end();

  const held = await Promise.all(inFlight);
  await load.done;
  const exit = await server!.exited;

  expect(stillRunning).toBe(true);
  expect(afterSignal).toBe('ECONNREFUSED');
  expect(held.map((r) => [r.status, codes(r), r.body.data.provinces.length])).toEqual(Array.from({ length: IN_FLIGHT }, () => [200, [], 38]));
  expect(load.replies.length).toBeGreaterThan(0);
  expect(load.replies.filter((r) => r.status !== 200 || codes(r).length)).toEqual([]);
  // Each load client stops at its first failure: a new connection is refused, or a keep-alive socket the
  // draining server closed between two requests is reset. Neither is an answered error.
  expect(load.refused).toHaveLength(2);
  expect(load.refused.filter((code) => code !== 'ECONNREFUSED' && code !== 'ECONNRESET')).toEqual([]);
  expect(exit).toEqual({ code: 0, signal: null });

  // Structured logs: every line JSON, one 'graphql operation' line per answered request, the drain logged.
  const parsed = lines.map((line) => JSON.parse(line) as { msg: string; operation?: string; status?: number });
  const operations = parsed.filter((l) => l.msg === 'graphql operation');
  expect(operations).toHaveLength(1 + IN_FLIGHT + load.replies.length);
  expect(operations.filter((l) => l.operation === 'Held' && l.status === 200)).toHaveLength(IN_FLIGHT);
  expect(parsed.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down: finishing in-flight requests', 'stopped cleanly']));
}, 60_000);
