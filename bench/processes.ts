// Starting the API and the floor as processes of their own, as a deployment runs them.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(__dirname, '..', '..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface Running {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first successful health check. */
  startMs: number;
  stop: () => Promise<void>;
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
}

export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', 'main.js')], {
    env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  // With WORKERS > 1, ready when every worker listens (the primary's gauge), not when the first does.
  const workers = Number(env.WORKERS ?? '1');
  const ready = async () => {
    if (!(await fetch(`${base}/livez`).then((r) => r.ok, () => false))) return false;
    if (workers <= 1) return true;
    const text = await fetch(`${base}/metrics`).then((r) => r.text(), () => '');
    return new RegExp(`^jipp_cluster_workers ${workers}$`, 'm').test(text);
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the API exited with code ${child.exitCode} while starting`);
    if (await ready()) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, url: `${base}/graphql`, startMs: Date.now() - started, stop: stopper(child) };
}

export function startFloor(databaseUrl: string, parameters: unknown, vary = false): Promise<Running> {
  return startListening('floor-server.js', [databaseUrl, JSON.stringify(parameters), vary ? 'vary' : '']);
}

/** Apollo Server with the API's schema answering with the floor's statements (bench/apollo-floor.ts). */
export function startApolloFloor(databaseUrl: string, parameters: unknown, vary = false): Promise<Running> {
  return startListening('apollo-floor.js', [databaseUrl, JSON.stringify(parameters), vary ? 'vary' : '']);
}

/** A bench server of dist/bench that prints `{"listening": port}` once it listens. */
async function startListening(script: string, args: string[]): Promise<Running> {
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'bench', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = readline.createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with code ${code}`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { listening?: number };
      if (parsed.listening) resolve(parsed.listening);
    });
  });
  return { child, url: `http://127.0.0.1:${port}`, startMs: Date.now() - started, stop: stopper(child) };
}
