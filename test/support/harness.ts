// Per-file test harness: a database of its own (cloned from the seeded template), the real ORM, the real
// Apollo server and request context, and the SQL statement count of every operation.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Kind, parse } from 'graphql';
import pino from 'pino';
import { Client } from 'pg';
import { createContext, type Context } from '../../src/context';
import { ensureDatabase } from '../../src/db/database';
import { openOrm } from '../../src/db/orm';
import { countStatements, type StatementTally } from '../../src/db/statement-counter';
import type { Viewer } from '../../src/auth/viewer';
import { COMPILED_STATEMENT_FAILED, createApolloServer } from '../../src/server';
import { TEMPLATE_DATABASE, withDatabase } from './urls';

export interface GraphQLResponse {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface Result {
  body: GraphQLResponse;
  status: number;
  /** SQL statements the operation ran through the resolvers. */
  statements: number;
  /** For a query: the statements it ran as deployed (1 when compiled, else the resolvers' again). */
  compiledStatements?: number;
  /** For a query: whether the server as deployed answered it from one compiled statement. */
  compiled?: boolean;
}

export interface TestApi {
  orm: MikroORM;
  databaseUrl: string;
  apollo: ApolloServer<Context>;
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

/**
 * Every query a test runs is answered twice, by the resolvers and by the server as deployed (compiled SQL
 * where every field has a compiler), and the two whole responses must be equal: the suite's reads are the
 * compilers' differential test. `statements` counts the resolvers' statements, which the N+1 guards pin.
 */
export async function openTestApi(): Promise<TestApi> {
  const database = await createTestDatabase();
  const orm = await openOrm({ clientUrl: database.url, poolMax: 5 });
  // A compiled statement the database refused is a compiler's bug, whatever the resolvers then answered.
  const refused: unknown[] = [];
  const recorder = pino(
    { level: 'error', hooks: { logMethod: (args) => void (args[1] === COMPILED_STATEMENT_FAILED && refused.push((args[0] as { err: unknown }).err)) } },
    { write: () => {} },
  );
  const apollo = await createApolloServer(recorder);
  const resolved = await createApolloServer(silentLogger, { compiledReads: false });
  const once = async (server: ApolloServer<Context>, query: string, variables?: Record<string, unknown>, viewer?: Viewer) => {
    const tally: StatementTally = { count: 0 };
    const response = await countStatements(tally, () =>
      server.executeOperation({ query, variables }, { contextValue: createContext(orm, { viewer, tally }) }),
    );
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    const { extensions, ...rest } = response.body.singleResult;
    const { requestId: _requestId, sqlStatements: _sql, cost: _cost, ...otherExtensions } = extensions ?? {};
    const body = { ...rest, ...(Object.keys(otherExtensions).length ? { extensions: otherExtensions } : {}) } as GraphQLResponse;
    return { body, status: response.http.status ?? 200, statements: tally.count, compiled: tally.compiled === true };
  };
  return {
    orm,
    apollo,
    databaseUrl: database.url,
    async run(query, variables, viewer) {
      const { compiled: _resolvedNever, ...resolvedResult } = await once(resolved, query, variables, viewer);
      const result: Result = resolvedResult;
      if (isQuery(query)) {
        const compiled = await once(apollo, query, variables, viewer);
        if (refused.length) throw new Error(`a compiled statement failed for ${query}: ${String(refused.splice(0)[0])}`);
        // As a client reads them: graphql-js builds objects without a prototype and keeps errors: undefined.
        const wire = (r: Pick<Result, 'status' | 'body'>) => JSON.parse(JSON.stringify({ status: r.status, body: r.body })) as unknown;
        assert.deepStrictEqual(
          wire(compiled),
          wire(result),
          `the compiled answer differs from the resolvers' for ${query}`,
        );
        result.compiledStatements = compiled.statements;
        result.compiled = compiled.compiled;
      }
      return result;
    },
    async sql(text, params = []) {
      return orm.em.fork().getConnection().execute(text, params as never[]);
    },
    async close() {
      await apollo.stop();
      await resolved.stop();
      await orm.close();
      await database.drop();
    },
  };
}

/** A read: every operation in the document is a query (mutations run once, through the server as deployed). */
function isQuery(query: string): boolean {
  try {
    return parse(query).definitions.every((d) => d.kind !== Kind.OPERATION_DEFINITION || d.operation === 'query');
  } catch {
    return false;
  }
}

/** The data of a response that must have no errors; a failing test shows the errors. */
export function dataOf(result: Result): Record<string, any> {
  if (result.body.errors?.length) {
    throw new Error(`unexpected errors: ${JSON.stringify(result.body.errors, null, 2)}`);
  }
  return result.body.data as Record<string, any>;
}
