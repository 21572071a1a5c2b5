// In-process API servers for the hardening tests, assembled as src/app.ts does it but with the limits,
// pool and timeouts each test needs, plus a raw HTTP client that can pick its source address on the
// loopback network (127.0.0.2, 127.0.0.3, ...) to play several anonymous clients.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import readline from 'node:readline';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { Client } from 'pg';
import type { OrmSettings } from '../../mikro-orm.config';
import type { Context } from '../../src/context';
import { openOrm } from '../../src/db/orm';
import { DEFAULT_ENGINE_SETTINGS, ReadEngine, type EngineSettings } from '../../src/graphql/sql/engine';
import { createHttpServer, type HttpFront } from '../../src/http/http-server';
import { readPoolSettings } from '../support/harness';
import { createApolloServer, type ServerOptions } from '../../src/server';

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: any;
}

export interface TestServer {
  base: string;
  url: string;
  orm: MikroORM;
  engine: ReadEngine;
  apollo: ApolloServer<Context>;
  front: HttpFront;
  /** Every line the server logged (level info and above), parsed. */
  logs: LogLine[];
  close: () => Promise<void>;
}

export interface TestServerOptions {
  databaseUrl: string;
  orm?: Omit<OrmSettings, 'clientUrl'>;
  /** The read engine's answer cap and bound on heavy statements (the defaults otherwise). */
  engine?: Partial<EngineSettings>;
  server?: ServerOptions;
  trustProxyHops?: number;
}

export async function startTestServer(options: TestServerOptions): Promise<TestServer> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  const orm = await openOrm({
    poolMax: 5,
    onDriverWarning: (message) => logger.warn({ driver: message }, 'database driver warning'),
    ...options.orm,
    clientUrl: options.databaseUrl,
  });
  // The read pool as the ORM's: the same size and timeouts (the fault tests shorten them).
  const engine = await ReadEngine.open(orm.getMetadata(), {
    ...readPoolSettings(options.databaseUrl),
    ...(options.orm?.poolMax !== undefined ? { max: options.orm.poolMax } : { max: 5 }),
    ...(options.orm?.acquireTimeoutMs !== undefined ? { acquireTimeoutMs: options.orm.acquireTimeoutMs } : {}),
    ...(options.orm?.statementTimeoutMs !== undefined ? { statementTimeoutMs: options.orm.statementTimeoutMs } : {}),
    onIdleError: (error) => logger.warn({ err: error }, 'read pool: an idle connection failed'),
  }, { ...DEFAULT_ENGINE_SETTINGS, ...options.engine });
  const apollo = await createApolloServer(engine, logger, options.server);
  const front = createHttpServer({ apollo, orm, engine, logger, trustProxyHops: options.trustProxyHops });
  await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(front.server.address() as AddressInfo).port}`;
  return {
    base,
    url: `${base}/graphql`,
    orm,
    engine,
    apollo,
    front,
    logs,
    async close() {
      front.server.closeAllConnections();
      await new Promise<void>((resolve) => front.server.close(() => resolve()));
      await apollo.stop();
      await engine.close();
      await orm.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body when it is JSON. */
  body: any;
  ms: number;
}

export interface SendOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Source address on the loopback network, to appear as a different client. */
  localAddress?: string;
  timeoutMs?: number;
}

/** One request on a fresh connection (no keep-alive, so servers can close without waiting on us). */
export function send(url: string, options: SendOptions = {}): Promise<Reply> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, localAddress: options.localAddress, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          if (String(res.headers['content-type'] ?? '').includes('json')) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, ms: performance.now() - started });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`no answer within ${options.timeoutMs ?? 30_000} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: Omit<SendOptions, 'method' | 'body'> = {},
): Promise<Reply> {
  return send(url, {
    ...options,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...options.headers },
    body: JSON.stringify({ query, variables }),
  });
}

/** The error codes of a GraphQL response body, in order. */
export function codes(reply: Reply): string[] {
  const errors = (reply.body?.errors ?? []) as { extensions?: { code?: string } }[];
  return errors.map((e) => String(e.extensions?.code));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Holds an exclusive lock on a table (every read of it waits) until release() is called. */
export async function lockProvinces(databaseUrl: string, table = 'province'): Promise<{ release: () => Promise<void> }> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('begin');
  await client.query(`lock table ${table} in access exclusive mode`);
  return {
    release: async () => {
      await client.query('commit');
      await client.end();
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface PostgresProcess {
  url: string;
  /** Stops PostgreSQL (a fast shutdown: open sessions are terminated) and waits for the process to exit. */
  stop: () => Promise<void>;
}

/** An embedded PostgreSQL on dataDir:port in a child process; `prepare` migrates and seeds database jipp. */
export function startPostgresProcess(dataDir: string, port: number, prepare: boolean): Promise<PostgresProcess> {
  const setup = path.resolve(__dirname, '../setup/register-ts.js');
  const child = spawn(process.execPath, ['-r', setup, path.join(__dirname, 'embedded-pg.ts'), dataDir, String(port), prepare ? 'prepare' : ''], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    void exited.then(() => reject(new Error(`embedded PostgreSQL process exited before it was ready:\n${stderr}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const message = JSON.parse(line) as { url?: string };
      if (!message.url) return;
      resolve({
        url: message.url,
        stop: async () => {
          child.stdin!.end('stop\n');
          await exited;
        },
      });
    });
  });
}
