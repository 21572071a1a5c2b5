// Counts the SQL statements each GraphQL operation runs. The counter lives in an AsyncLocalStorage
// scope opened per request, so DataLoader batches and ORM lookups are attributed to the right request.
import { AsyncLocalStorage } from 'node:async_hooks';
import { DefaultLogger, type LogContext } from '@mikro-orm/core';

export interface StatementTally {
  count: number;
  /** The request's id, so errors masked outside the request context can still name it. */
  requestId?: string;
  /**
   * A database fault (timeout, exhausted pool, lost connection) the request's compiled statement met: the
   * resolvers that answer the request instead fail with it at once, rather than wait a second time.
   */
  fault?: Error;
  /** Answered from one compiled statement (src/graphql/compiled) rather than by the resolvers. */
  compiled?: boolean;
  /** That statement's text. */
  statement?: string;
  /**
   * Set by the HTTP front, which can send a compiled answer's `data` as the JSON text PostgreSQL wrote:
   * the answer then carries a placeholder and `dataText` the text (see compiled-reads-plugin.ts).
   */
  spliceData?: boolean;
  dataText?: string;
}

const storage = new AsyncLocalStorage<StatementTally>();

export function countStatements<T>(tally: StatementTally, fn: () => T): T {
  return storage.run(tally, fn);
}

export function currentTally(): StatementTally | undefined {
  return storage.getStore();
}

/** Throws the fault the current request already met (see StatementTally.fault), before a statement is sent. */
export function throwIfFaulted(): void {
  const fault = storage.getStore()?.fault;
  if (fault) throw fault;
}

/** Counts one statement for the current request (statements run through the ORM are counted by its logger). */
export function countStatement(): void {
  const tally = storage.getStore();
  if (tally) tally.count += 1;
}

export class CountingLogger extends DefaultLogger {
  override logQuery(context: { query: string } & LogContext): void {
    countStatement();
    super.logQuery(context);
  }

  /** Logs (when query logging is on) a statement counted already: one run past the ORM (see runRead). */
  logCounted(context: { query: string } & LogContext): void {
    super.logQuery(context);
  }
}
