// Per-file test harness: a database of its own (cloned from the seeded template), the real ORM and read
// engine, the real Apollo server and request context, and the SQL statement count of every operation.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import { Client } from 'pg';
import { createContext, type Context, type ContextOptions } from '../../src/context';
import { ensureDatabase } from '../../src/db/database';
import type { ReadPoolSettings } from '../../src/db/read-pool';
import { openOrm } from '../../src/db/orm';
import type { Viewer } from '../../src/auth/viewer';
import { ReadEngine } from '../../src/graphql/sql/engine';
import { createHttpServer } from '../../src/http/http-server';
import { createApolloServer } from '../../src/server';
import { TEMPLATE_DATABASE, withDatabase } from './urls';

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface Result {
  body: GraphQLResponse;
  status: number;
  /** SQL statements the operation ran (the read engine's and the ORM's). */
  statements: number;
}

export interface TestApi {
  orm: MikroORM;
  engine: ReadEngine;
  databaseUrl: string;
  apollo: ApolloServer<Context>;
  /** A request context as the HTTP front makes one. */
  context(options?: ContextOptions): Context;
  run(query: string, variables?: Record<string, unknown>, viewer?: Viewer): Promise<Result>;
  sql<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export function adminUrl(): string {
  const url = process.env.JIPP_TEST_ADMIN_URL;
  if (!url) throw new Error('JIPP_TEST_ADMIN_URL is not set: run the tests with npm test (jest global setup).');
  return url;
}

export const silentLogger = pino({ level: 'silent' });

export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `jipp_test_${process.env.JEST_WORKER_ID ?? '0'}_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(adminUrl(), name, TEMPLATE_DATABASE);
  return {
    url: withDatabase(adminUrl(), name),
    drop: async () => {
      const client = new Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

/** The read pool's settings for a test database: a small pool, the defaults' timeouts. */
export function readPoolSettings(url: string): ReadPoolSettings {
  return { url, max: 5, acquireTimeoutMs: 5_000, statementTimeoutMs: 15_000, preparedStatements: true };
}

/** A database of the file's own, the ORM and the read engine on it, and the Apollo server as deployed. */
export async function openTestApi(defaults: Pick<ContextOptions, 'allowPrivateWebhookAddresses'> = {}): Promise<TestApi> {
  const database = await createTestDatabase();
  const orm = await openOrm({ clientUrl: database.url, poolMax: 5 });
  const engine = await ReadEngine.open(orm.getMetadata(), readPoolSettings(database.url));
  const apollo = await createApolloServer(engine, silentLogger);
  const context = (options: ContextOptions = {}) => createContext(orm, engine, { ...defaults, ...options });
  return {
    orm,
    engine,
    apollo,
    context,
    databaseUrl: database.url,
    async run(query, variables, viewer) {
      const contextValue = context({ viewer });
      const response = await apollo.executeOperation({ query, variables }, { contextValue });
      if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
      const { extensions, ...rest } = response.body.singleResult;
      const { requestId: _requestId, sqlStatements: _sql, cost: _cost, ...otherExtensions } = extensions ?? {};
      const body = { ...rest, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) } as GraphQLResponse;
      // As a client reads it: graphql-js builds objects without a prototype and keeps errors: undefined.
      return { body: JSON.parse(JSON.stringify(body)) as GraphQLResponse, status: response.http.status ?? 200, statements: contextValue.sqlStatements };
    },
    async sql(text, params = []) {
      return orm.em.fork().getConnection().execute(text, params as never[]);
    },
    async close() {
      await apollo.stop();
      await engine.close();
      await orm.close();
      await database.drop();
    },
  };
}

/** The HTTP front on a test API, listening on a free port of 127.0.0.1: its /graphql address, and a close. */
export async function serveTestApi(api: TestApi): Promise<{ url: string; close: () => Promise<void> }> {
  const { server } = createHttpServer({ apollo: api.apollo, orm: api.orm, engine: api.engine, logger: silentLogger });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The data of a response that must have no errors; a failing test shows the errors. */
export function dataOf(result: Result): Record<string, any> {
  if (result.body.errors?.length) {
    throw new Error(`unexpected errors: ${JSON.stringify(result.body.errors, null, 2)}`);
  }
  return result.body.data as Record<string, any>;
}
