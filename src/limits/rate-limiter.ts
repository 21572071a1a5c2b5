// Per-client budgets of cost points per window (rate-limiter-flexible): one budget per API key, one per
// anonymous client address. An operation spends its cost; one that does not fit is refused before it runs
// and spends nothing, so a noisy client only uses up its own budget.
//
// The budgets live in PostgreSQL (RateLimiterPostgres, the table of the RateLimits migration), so every API
// process, on this machine or another, spends from the same budget: one implementation whatever WORKERS
// says. It costs one upsert per operation on the primary, on a small pool of its own (its price:
// docs/operations-scale.md). While PostgreSQL cannot answer, each process falls back to a budget of its
// own in memory (the library's insuranceLimiter), so limits still hold, per process, and reads that a
// replica can answer are not refused because the primary is away.
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimits } from './limits';

/** The table of the budgets (created by Migration20261213000000RateLimits, never at run time). */
export const RATE_LIMIT_TABLE = 'rate_limit_budget';
/** Connections of the budgets' pool: one short upsert per operation. */
const POOL_MAX = 4;

export type RateClient = { kind: 'key'; id: number } | { kind: 'address'; address: string };

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  used: number;
  /** When the window ends and the budget is whole again (epoch milliseconds). */
  resetAt: number;
}

export interface RateStore {
  /** The primary database (budgets are written). */
  url: string;
  /** How long an operation waits for the budgets' connection before the in-memory budget answers. */
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
}

export class CostRateLimiter {
  private readonly pool: Pool;
  private readonly anonymous: RateLimiterAbstract | null;
  private readonly keys: RateLimiterAbstract | null;

  constructor(
    readonly limits: RateLimits,
    store: RateStore,
  ) {
    this.pool = new Pool({
      connectionString: store.url,
      max: POOL_MAX,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: store.acquireTimeoutMs,
      statement_timeout: store.statementTimeoutMs,
      query_timeout: store.statementTimeoutMs + 5_000,
      keepAlive: true,
      application_name: 'jipp-api-rate-limits',
    });
    // An idle connection a restarted server ended; the next operation opens another.
    this.pool.on('error', () => {});
    const limiter = (keyPrefix: string, points: number): RateLimiterAbstract =>
      new RateLimiterPostgres({
        storeClient: this.pool,
        storeType: 'pool',
        tableName: RATE_LIMIT_TABLE,
        tableCreated: true,
        keyPrefix,
        points,
        duration: limits.windowSeconds,
        insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: limits.windowSeconds }),
      });
    this.anonymous = limits.anonymousPoints > 0 ? limiter('address', limits.anonymousPoints) : null;
    this.keys = limits.keyPoints > 0 ? limiter('key', limits.keyPoints) : null;
  }

  /** Whether anonymous clients (by address) have a budget; when not, consume() answers null for them. */
  get limitsAddresses(): boolean {
    return this.anonymous !== null;
  }

  /** Spends the points if they fit; null when this kind of client has no limit. */
  async consume(client: RateClient, points: number): Promise<RateDecision | null> {
    const limiter = this.limiterFor(client);
    if (!limiter) return null;
    const key = keyOf(client);
    try {
      return decision(limiter, true, await limiter.consume(key, points));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The limiter counts a refused attempt too; give it back, the operation will not run.
      const restored = await limiter.reward(key, points);
      return decision(limiter, false, restored);
    }
  }

  /** The client's budget without spending any (for responses refused before their cost was known). */
  async peek(client: RateClient): Promise<RateDecision | null> {
    const limiter = this.limiterFor(client);
    if (!limiter) return null;
    const state = await limiter.get(keyOf(client));
    if (!state) return { allowed: true, limit: limiter.points, remaining: limiter.points, used: 0, resetAt: Date.now() + limiter.duration * 1000 };
    return decision(limiter, true, state);
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private limiterFor(client: RateClient): RateLimiterAbstract | null {
    return client.kind === 'key' ? this.keys : this.anonymous;
  }
}

function keyOf(client: RateClient): string {
  return client.kind === 'key' ? String(client.id) : client.address;
}

function decision(limiter: RateLimiterAbstract, allowed: boolean, state: RateLimiterRes): RateDecision {
  const used = Math.min(limiter.points, Math.max(0, state.consumedPoints));
  return {
    allowed,
    limit: limiter.points,
    remaining: limiter.points - used,
    used,
    resetAt: Date.now() + Math.max(0, state.msBeforeNext),
  };
}
