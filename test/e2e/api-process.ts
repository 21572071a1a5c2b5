// The compiled API and command-line tools (dist/, written by npm test's tsc step) run as processes of their
// own on a data folder, the way an operator or a process manager runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

export const ROOT = path.resolve(__dirname, '../..');
export const MAIN = path.join(ROOT, 'dist/src/main.js');
/** The installed command, `jipp` (package.json bin). */
export const JIPP_BIN = path.join(ROOT, 'dist/src/cli/jipp.js');
/** Initdb, migrations and the reference seed on a first start; generous for a loaded machine. */
const LISTEN_TIMEOUT = 45_000;

export interface LogLine {
  msg?: string;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ApiProcess {
  child: ChildProcess;
  url: string;
  /** Every line the process wrote to stdout or stderr, parsed when it is JSON. */
  logs: LogLine[];
  exited: Promise<Exit>;
}

export interface Finished extends Exit {
  stdout: string;
  stderr: string;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export function freshDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-supervision-'));
  fs.chmodSync(dir, 0o755); // as root, PostgreSQL runs as the postgres user, who must reach the folder
  return dir;
}

/** The environment of an operator's shell plus `env`: none of the settings the test runner may carry. */
function environment(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = { ...process.env };
  for (const key of ['NODE_ENV', 'DATABASE_URL', 'HOST', 'PORT', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'LOG_LEVEL', 'LOG_SQL', 'DB_POOL_MAX']) delete base[key];
  return { ...base, ...env };
}

export function startApi(env: Record<string, string>, running: Set<ApiProcess>): Promise<ApiProcess> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: LogLine[] = [];
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const api: ApiProcess = { child, url: '', logs, exited };
  running.add(api);
  void exited.then(() => running.delete(api));
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
        api.url = String(parsed.url);
        resolve(api);
      }
    };
    readline.createInterface({ input: child.stdout! }).on('line', onLine);
    readline.createInterface({ input: child.stderr! }).on('line', onLine);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the API exited (code ${code}, signal ${signal}) before listening:\n${show(logs)}`));
    });
  });
}

/** Runs a compiled script to its end (bounded), collecting its output. */
export function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 45_000): Promise<Finished> {
  const child = spawn(process.execPath, [script, ...args], { cwd: ROOT, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}

export function show(logs: LogLine[]): string {
  return logs.map((l) => JSON.stringify(l)).join('\n');
}

export interface Answer<T> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
}

export async function ask<T>(url: string, query: string, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, body: (await response.json()) as Answer<T>['body'] };
}

/** The pid in the cluster's postmaster.pid, or null when there is none. */
export function postmasterPid(dataDir: string): number | null {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return null;
  }
}
