// Small SQL helpers shared by the modules' hand-written queries.
import type { EntityManager, EntityName, Knex } from '@mikro-orm/postgresql';
import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';
import { lendFreeConnection, type LendingClient } from './lend';
import { queryNamed } from './prepared';
import { countStatement, CountingLogger, throwIfFaulted } from './statement-counter';

const columnCache = new WeakMap<object, string[]>();

/** The stored columns of an entity (lazy ones such as search vectors left out), qualified by alias. */
export function entityColumns(em: EntityManager, entity: EntityName<object>, alias: string): string[] {
  const meta = em.getMetadata().get(entity);
  let columns = columnCache.get(meta);
  if (!columns) {
    columns = (Object.values(meta.properties) as EntityProperty[])
      .filter((p) => !p.lazy && p.persist !== false && p.kind !== ReferenceKind.ONE_TO_MANY && p.kind !== ReferenceKind.MANY_TO_MANY)
      .filter((p) => p.kind !== ReferenceKind.ONE_TO_ONE || p.owner)
      .flatMap((p) => p.fieldNames ?? []);
    columnCache.set(meta, columns);
  }
  return columns.map((c) => `${alias}.${c}`);
}

/** select <alias>.<columns> from <table> as <alias>: the starting point of a list query. */
export function selectEntity(em: EntityManager, entity: EntityName<object>, alias: string): Knex.QueryBuilder {
  const meta = em.getMetadata().get(entity);
  return em.getKnex()(`${meta.tableName} as ${alias}`).select(entityColumns(em, entity, alias));
}

/**
 * A PostgreSQL array literal ('{"a","b"}'), bound as one text parameter and cast in SQL (?::text[]):
 * knex would otherwise expand a JS array into a list of parameters.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}

/**
 * Runs a read with its values sent as bind parameters. The ORM's execute writes the values into the SQL
 * text, so every province code, id or cursor made a text of its own: PostgreSQL parsed and planned each,
 * and a connection's prepared statements (see prepared.ts) filled up with texts used once. Here the text
 * is the same for every value. A string query takes its values as ? placeholders (?? for identifiers);
 * counted and its errors converted like the ORM's own statements, and run in the EntityManager's
 * transaction when it has one.
 */
export async function runRead<T extends object = Record<string, unknown>>(
  em: EntityManager,
  query: Knex.QueryBuilder | string,
  bindings: readonly unknown[] = [],
): Promise<T[]> {
  const statement = typeof query === 'string' ? em.getKnex().raw(query, bindings as Knex.RawBinding[]) : query;
  const transaction = em.getTransactionContext<Knex.Transaction>();
  if (transaction) statement.transacting(transaction);
  throwIfFaulted();
  countStatement();
  const logger = em.config.getLogger();
  const started = logger.isEnabled('query') ? Date.now() : undefined;
  try {
    const result: unknown = await statement;
    return (typeof query === 'string' ? (result as { rows: T[] }).rows : result) as T[];
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  } finally {
    if (started !== undefined && logger instanceof CountingLogger) {
      logger.logCounted({ query: statement.toQuery(), took: Date.now() - started, level: 'info' });
    }
  }
}

/** column = any(keys), with the keys bound as one array parameter: one text whatever the number of keys. */
export function whereAny(qb: Knex.QueryBuilder, column: string, keys: readonly (string | number)[]): Knex.QueryBuilder {
  return qb.whereRaw('?? = any(?)', [column, pgArray(keys)]);
}

/**
 * Runs a read written with PostgreSQL's own placeholders ($1, $2, ...) on a pooled connection, without
 * knex's query builder and runner (a tenth of a millisecond per statement, which mattered for the compiled
 * reads: src/graphql/compiled). Counted, logged and its errors converted like runRead's; for reads outside
 * a transaction only (runRead joins the EntityManager's transaction).
 */
export async function runStatement<T extends object = Record<string, unknown>>(em: EntityManager, text: string, values: readonly unknown[]): Promise<T[]> {
  if (em.getTransactionContext()) throw new Error('runStatement does not run in a transaction: use runRead');
  const client = em.getKnex().client as KnexPoolClient;
  throwIfFaulted();
  countStatement();
  const logger = em.config.getLogger();
  const started = logger.isEnabled('query') ? Date.now() : undefined;
  let connection: PgConnection | undefined;
  try {
    // A free connection is lent at once (lend.ts); otherwise the pool's queue, with its timeout.
    connection = lendFreeConnection<PgConnection>(client) ?? (await client.acquireConnection());
    return await queryNamed<T>(connection, text, values as unknown[]);
  } catch (error) {
    throw em.getDriver().convertException(error as Error);
  } finally {
    // knex's release is synchronous (its promise is already resolved).
    if (connection) void client.releaseConnection(connection);
    if (started !== undefined && logger instanceof CountingLogger) {
      logger.logCounted({ query: `${text} -- ${JSON.stringify(values)}`, took: Date.now() - started, level: 'info' });
    }
  }
}

interface PgConnection {
  query(config: { text: string; values: unknown[] }, callback: (error: Error | null, result: { rows: unknown[] }) => void): void;
}

/** The part of knex's client that lends pooled connections (acquireConnectionTimeout applies). */
interface KnexPoolClient extends LendingClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<unknown>;
}
