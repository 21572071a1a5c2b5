// Bulk exports' own quota, separate from the GraphQL cost budget: rows per window per API key, kept in
// the budgets every API process spends from (src/limits/budget-store.ts), so a key has one quota however
// many processes serve it. An export starts only while its key has rows left; its rows are charged as
// they stream, and one that runs past the quota still finishes (a file cut short would be a silent loss),
// so the next one waits for the window to refill.
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { BudgetStore } from '../../limits/budget-store';

export interface ExportQuotaState {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** When the window ends and the quota is whole again (epoch milliseconds). */
  resetAt: number;
}

export class ExportQuota {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    budgets: BudgetStore,
    readonly rowsPerWindow: number,
    readonly windowSeconds: number,
  ) {
    this.limiter = budgets.budget('export-rows', rowsPerWindow, windowSeconds);
  }

  async state(keyId: number): Promise<ExportQuotaState> {
    const used = await this.limiter.get(String(keyId));
    const consumed = used?.consumedPoints ?? 0;
    return {
      allowed: consumed < this.rowsPerWindow,
      limit: this.rowsPerWindow,
      remaining: Math.max(0, this.rowsPerWindow - consumed),
      resetAt: Date.now() + (used ? Math.max(0, used.msBeforeNext) : this.windowSeconds * 1000),
    };
  }

  /** Charges rows sent; never refuses (see above). */
  async charge(keyId: number, rows: number): Promise<void> {
    if (rows > 0) await this.limiter.penalty(String(keyId), rows);
  }
}
