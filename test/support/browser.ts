// A real browser for the page tests: Debian's Chromium driven by playwright-core (never a browser a tool
// downloads), headless, with a fresh profile and no background traffic, since this machine has no network.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Context } from '../../src/context';
import { openOrm } from '../../src/db/orm';
import { ReadEngine } from '../../src/graphql/sql/engine';
import type { CorsPolicy } from '../../src/http/cors';
import { createHttpServer } from '../../src/http/http-server';
import { createApolloServer } from '../../src/server';
import { createTestDatabase, readPoolSettings, silentLogger } from './harness';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  /** Every URL the pages asked for, to show nothing left this machine's servers. */
  requested: string[];
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it on CI).`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1400, height: 1000 },
  });
  const requested: string[] = [];
  context.on('request', (request) => requested.push(request.url()));
  return {
    context,
    requested,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface ServedApi {
  base: string;
  orm: MikroORM;
  /** POSTs an operation as any client would, and returns its data (throws on errors). */
  query<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<T>;
  close(): Promise<void>;
}

/** The API as app.ts assembles it (HTTP front, built pages), on a database of the test file's own. */
export async function serveApi(cors?: CorsPolicy): Promise<ServedApi> {
  const database = await createTestDatabase();
  const orm = await openOrm({ clientUrl: database.url, poolMax: 3 });
  const engine = await ReadEngine.open(orm.getMetadata(), readPoolSettings(database.url));
  const apollo: ApolloServer<Context> = await createApolloServer(engine, silentLogger);
  const { server } = createHttpServer({ apollo, orm, engine, logger: silentLogger, ...(cors ? { cors } : {}) });
  const base = await listen(server);
  return {
    base,
    orm,
    async query(query, variables = {}, headers = {}) {
      const response = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await response.json()) as { data?: any; errors?: unknown[] };
      if (body.errors) throw new Error(`unexpected errors: ${JSON.stringify(body.errors)}`);
      return body.data;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await apollo.stop();
      await engine.close();
      await orm.close();
      await database.drop();
    },
  };
}

export function listen(server: http.Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** Where a test keeps its screenshots: SCREENSHOT_DIR when set (docs/screenshots is made so), else a temp folder. */
export function screenshotPath(name: string): string {
  const dir = process.env.SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'jipp-screenshots');
  fs.mkdirSync(dir, { recursive: true });
  return path.join(dir, name);
}
