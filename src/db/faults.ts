// Recognises the database failures that are about availability, not about the request: PostgreSQL
// restarting or unreachable, the connection pool exhausted, a statement cancelled by statement_timeout, a
// write that kept losing deadlocks to concurrent writers.
// Clients get a coded, retryable error for these instead of a masked internal error.

export type DatabaseFaultReason = 'DATABASE_UNAVAILABLE' | 'DATABASE_BUSY' | 'STATEMENT_TIMEOUT';

export interface DatabaseFault {
  reason: DatabaseFaultReason;
  message: string;
}

const UNAVAILABLE: DatabaseFault = {
  reason: 'DATABASE_UNAVAILABLE',
  message: 'The database cannot be reached at the moment (it may be restarting); retry in a few seconds.',
};
const BUSY: DatabaseFault = {
  reason: 'DATABASE_BUSY',
  message: 'All database connections are busy; retry in a few seconds.',
};
const CONFLICT: DatabaseFault = {
  reason: 'DATABASE_BUSY',
  message: 'The write kept colliding with concurrent writes (deadlock) and was rolled back each time; retry it.',
};
const TIMEOUT: DatabaseFault = {
  reason: 'STATEMENT_TIMEOUT',
  message: 'The query ran longer than the statement timeout and was cancelled; ask for less (smaller pages, narrower filters) or retry later.',
};

/** SQLSTATEs of a lost or refused connection: class 08, admin/crash shutdown, starting up, too many clients. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
const NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
// pg's client gives up on a server that does not answer: while connecting ("timeout expired", "Connection
// terminated due to connection timeout") or during a statement past query_timeout ("Query read timeout").
const LOST_CONNECTION =
  /Connection terminated|connection error and is not queryable|terminating connection|the database system is (starting up|shutting down)|^timeout expired$|^Query read timeout$/i;

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

export function databaseFault(error: unknown): DatabaseFault | null {
  // MikroORM wraps driver errors and copies their fields, GraphQL wraps them as originalError, knex and pg
  // errors arrive bare: look a few levels down.
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; depth += 1) {
    const shape = current as ErrorShape;
    const code = typeof shape.code === 'string' ? shape.code : '';
    const message = typeof shape.message === 'string' ? shape.message : '';
    // Waiting for a pooled connection too long: knex's pool (writes), pg's pool (reads).
    // ... or for a slot among the heavy statements (src/db/heavy-gate.ts).
    if (
      shape.name === 'KnexTimeoutError' ||
      shape.name === 'HeavyStatementsBusy' ||
      message.startsWith('Knex: Timeout acquiring a connection') ||
      message === 'timeout exceeded when trying to connect'
    ) {
      return BUSY;
    }
    if (code === '57014') return TIMEOUT;
    // Deadlock or serialization failure left after the retries of src/db/retry.ts.
    if (code === '40P01' || code === '40001') return CONFLICT;
    if (UNAVAILABLE_STATES.has(code) || NETWORK_ERRORS.has(code) || LOST_CONNECTION.test(message)) return UNAVAILABLE;
    current = shape.originalError ?? shape.cause;
  }
  return null;
}
