// Reads as prepared statements. PostgreSQL parses and plans every statement it is sent; a named (prepared)
// statement is parsed once per connection, and once PostgreSQL settles on a generic plan for it (after
// five runs, when that plan looks no worse than those made for the values) it is only executed. The
// API's reads are the same few texts over and over, and planning them cost as much as a quarter of a
// millisecond each (hubImpact's statement: 0.27 ms to plan, 1.8 ms to run). The texts repeat because
// reads bind their values (runRead in sql.ts; the ORM's own execute writes values into the text). The
// replication graphs write their filter into the text on purpose (see graph.service.ts): one text per
// filter a dashboard uses.
//
// pg prepares a statement when its query has a name; knex and MikroORM never give one, so queries are
// named here, by a hash of their text, at pg's Client.query. Only single-statement reads (select, with)
// are named, and at most MAX_PER_CONNECTION texts per connection: a statement whose text varies with its
// input (an IN list per key count) must not fill a connection's memory; past the limit, texts run unnamed
// as before. A prepared plan that a schema change invalidated is re-planned by PostgreSQL itself, unless the
// change alters the columns the statement returns (a `select *` over a table that gained a column, while a
// migration runs from another process): PostgreSQL then refuses that statement, once per connection that
// prepared it, and the text runs unnamed on that connection from then on.
import { createHash } from 'node:crypto';
import { Client } from 'pg';

export const MAX_PER_CONNECTION = 200;

const READ = /^\s*(select|with)\b/i;
const MAX_TEXTS = 1000;
/** Statement names by text, so a text is hashed once. */
const names = new Map<string, string>();
const prepared = new WeakMap<object, Set<string>>();
/** Per connection, statements whose result columns changed under them: run unnamed from then on. */
const stale = new WeakMap<object, Set<string>>();
const RESULT_TYPE_CHANGED = '0A000';
let installed = false;
let enabled = false;

interface QueryConfig {
  text: string;
  values?: unknown[];
  name?: string;
  rowMode?: string;
}

/** The name a read gets on a connection, or undefined when it should run unnamed. */
export function statementName(connection: object, text: string): string | undefined {
  if (!READ.test(text) || text.includes(';')) return undefined;
  let name = names.get(text);
  if (name === undefined) {
    name = `jipp_${createHash('sha1').update(text).digest('base64url')}`;
    // The texts seen are bounded like the statements: past the limit, start over.
    if (names.size >= MAX_TEXTS) names.clear();
    names.set(text, name);
  }
  if (stale.get(connection)?.has(name)) return undefined;
  let onConnection = prepared.get(connection);
  if (!onConnection) prepared.set(connection, (onConnection = new Set()));
  if (onConnection.has(name)) return name;
  if (onConnection.size >= MAX_PER_CONNECTION) return undefined;
  onConnection.add(name);
  return name;
}

/** Remembers, after a failed run of a named statement, when its result columns changed under it. */
function forgetIfStale(connection: object, name: string, error: unknown): void {
  if ((error as { code?: string } | null)?.code !== RESULT_TYPE_CHANGED) return;
  let names = stale.get(connection);
  if (!names) stale.set(connection, (names = new Set()));
  names.add(name);
}

interface PgQueryable {
  query(config: QueryConfig, callback: (error: Error | null, result: { rows: unknown[] }) => void): void;
}

/**
 * Runs a read on a connection, named as Client.query below would name it, without going through that
 * wrapper: for the compiled reads' hot path (runStatement), where the wrapper's copy of the query and its
 * extra promise cost 0.02 ms of CPU a request (measured on the prepared lane).
 */
export function queryNamed<T>(connection: PgQueryable, text: string, values: unknown[]): Promise<T[]> {
  const name = enabled ? statementName(connection, text) : undefined;
  return new Promise((resolve, reject) => {
    connection.query(name ? { name, text, values } : { text, values }, (error, result) => {
      if (!error) return resolve(result.rows as T[]);
      if (name) forgetIfStale(connection, name, error);
      reject(error);
    });
  });
}

/**
 * Turns the naming of reads on or off for every pg client of this process. Off for a PostgreSQL behind a
 * pooler that hands each statement to any server connection (PgBouncer's transaction mode before 1.21):
 * a statement prepared on one would be missing on the next.
 */
export function usePreparedStatements(on: boolean): void {
  enabled = on;
  if (installed || !on) return;
  installed = true;
  const query = Client.prototype.query as (...args: unknown[]) => unknown;
  Client.prototype.query = function (this: Client, ...args: unknown[]) {
    const config = args[0] as QueryConfig | string;
    let name: string | undefined;
    if (enabled && typeof config === 'object' && config !== null && typeof config.text === 'string' && !config.name) {
      // The form knex uses: a query config, with a callback.
      name = statementName(this, config.text);
      if (name) args[0] = { ...config, name };
    } else if (enabled && typeof config === 'string') {
      // query(text), query(text, values), query(text, callback), query(text, values, callback).
      name = statementName(this, config);
      if (name) {
        const values = Array.isArray(args[1]) ? (args[1] as unknown[]) : undefined;
        args = [{ text: config, values, name }, ...args.slice(values || args[1] === undefined ? 2 : 1)];
      }
    }
    if (!name) return query.apply(this, args);
    const named = name;
    const callback = args[args.length - 1];
    if (typeof callback === 'function') {
      args[args.length - 1] = (error: unknown, result: unknown) => {
        if (error) forgetIfStale(this, named, error);
        return (callback as (error: unknown, result: unknown) => unknown)(error, result);
      };
      return query.apply(this, args);
    }
    return (query.apply(this, args) as Promise<unknown>).catch((error: unknown) => {
      forgetIfStale(this, named, error);
      throw error;
    });
  } as typeof Client.prototype.query;
}
