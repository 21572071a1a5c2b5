// Lending a free pooled connection without waiting. knex's acquireConnection goes through tarn, which makes
// every acquisition asynchronous even when a connection sits free: two pending operations (each a deferred
// promise inside a timeout promise with a timer of its own), an asynchronous validation and knex's async
// wrapper, some twenty promises and two timers. On the compiled reads' path, where the whole request takes
// a fifth of a millisecond of CPU, that was a tenth of it (profiled at 8 connections on the prepared lane),
// and on Node 20 every promise also runs the async hooks AsyncLocalStorage installs.
//
// So when a connection is free and nobody waits for one, it is taken here the way tarn's own acquisition
// takes it (the last one freed, moved to the pool's used list), after the checks knex's validation makes
// for this configuration (a connection knex marked disposed is left to the pool, which discards it). In
// every other case (nothing free, others already waiting: they go first, a pool configuration whose
// validation does more, a tarn whose lists are not the ones expected) the caller waits in the pool's queue
// as before, with its timeout. The connection goes back with knex's releaseConnection, which is tarn's
// own synchronous release, so the pool's counts (and /metrics) stay true.

/** What this module reads of tarn's pool (tarn 3): its lists of free and used resources and its queues. */
interface TarnPool {
  free: { resource: unknown }[];
  used: unknown[];
  pendingAcquires: unknown[];
  pendingValidations: unknown[];
  destroyed: boolean;
}

/** What this module reads of knex's client. */
export interface LendingClient {
  pool?: unknown;
  config: { pool?: { validate?: unknown; maxConnectionLifetimeMillis?: unknown } };
  connectionConfigProvider?: unknown;
  validateConnection(connection: unknown): unknown;
}

const checked = new WeakMap<object, boolean>();

/** Whether the client's pool is a tarn pool this module understands and validates connections synchronously. */
function lendable(client: LendingClient, pool: object): boolean {
  let ok = checked.get(pool);
  if (ok === undefined) {
    const p = pool as Partial<TarnPool>;
    ok =
      Array.isArray(p.free) &&
      Array.isArray(p.used) &&
      Array.isArray(p.pendingAcquires) &&
      Array.isArray(p.pendingValidations) &&
      typeof p.destroyed === 'boolean' &&
      // knex validates asynchronously only for these: a user validator, a lifetime, a config provider.
      client.config.pool?.validate === undefined &&
      client.config.pool?.maxConnectionLifetimeMillis === undefined &&
      !client.connectionConfigProvider;
    checked.set(pool, ok);
  }
  return ok;
}

/** A free connection of the client's pool, now counted as used; undefined when the caller must wait. */
export function lendFreeConnection<C>(client: LendingClient): C | undefined {
  const pool = client.pool as TarnPool | undefined;
  if (!pool || !lendable(client, pool) || pool.destroyed) return undefined;
  if (pool.pendingAcquires.length !== 0 || pool.pendingValidations.length !== 0) return undefined;
  const free = pool.free[pool.free.length - 1];
  if (free === undefined) return undefined;
  const connection = free.resource as { __knex__disposed?: unknown };
  if (connection.__knex__disposed || client.validateConnection(connection) !== true) return undefined;
  pool.free.pop();
  pool.used.push(free);
  return connection as C;
}
