// Budgets every API process spends from, on this machine or another: rate-limiter-flexible's PostgreSQL
// store on the table of the RateLimits migration (UNLOGGED: a budget is a window's counter, worth no WAL),
// on a small pool of its own. The GraphQL cost budgets (rate-limiter.ts) and the export quota
// (export-quota.ts) are two prefixes in it. While PostgreSQL cannot answer, each budget falls back to one in
// this process's memory (the library's insuranceLimiter), so limits still hold, per process.
import { Pool } from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** The table of the budgets (created by Migration20261213000000RateLimits, never at run time). */
export const RATE_LIMIT_TABLE = 'rate_limit_budget';
/** Connections of the budgets' pool: one short upsert per operation. */
const POOL_MAX = 4;

export interface BudgetStoreSettings {
  /** The primary database (budgets are written). */
  url: string;
  /** How long a budget waits for a connection before the in-memory budget answers. */
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
}

export class BudgetStore {
  private readonly pool: Pool;

  constructor(settings: BudgetStoreSettings) {
    this.pool = new Pool({
      connectionString: settings.url,
      max: POOL_MAX,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: settings.acquireTimeoutMs,
      statement_timeout: settings.statementTimeoutMs,
      query_timeout: settings.statementTimeoutMs + 5_000,
      keepAlive: true,
      application_name: 'jipp-api-rate-limits',
    });
    // An idle connection a restarted server ended; the next operation opens another.
    this.pool.on('error', () => {});
  }

  /** A budget of `points` per `durationSeconds` for each key under `keyPrefix`. */
  budget(keyPrefix: string, points: number, durationSeconds: number): RateLimiterAbstract {
    return new RateLimiterPostgres({
      storeClient: this.pool,
      storeType: 'pool',
      tableName: RATE_LIMIT_TABLE,
      tableCreated: true,
      keyPrefix,
      points,
      duration: durationSeconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration: durationSeconds }),
    });
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
