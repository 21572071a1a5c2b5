// Per-client budgets of cost points per window (rate-limiter-flexible): one budget per API key, one per
// anonymous client address. An operation spends its cost; one that does not fit is refused before it runs
// and spends nothing, so a noisy client only uses up its own budget.
//
// The budgets live in PostgreSQL (budget-store.ts), so every API process spends from the same budget: one
// implementation whatever WORKERS says. It costs one upsert per operation on the primary (its price:
// docs/operations-scale.md); while PostgreSQL cannot answer, each process falls back to a budget of its
// own in memory, so reads that a replica can answer are not refused because the primary is away.
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { BudgetStore } from './budget-store';
import type { RateLimits } from './limits';

export type RateClient = { kind: 'key'; id: number } | { kind: 'address'; address: string };

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  used: number;
  /** When the window ends and the budget is whole again (epoch milliseconds). */
  resetAt: number;
}

export class CostRateLimiter {
  private readonly anonymous: RateLimiterAbstract | null;
  private readonly keys: RateLimiterAbstract | null;

  constructor(
    readonly limits: RateLimits,
    budgets: BudgetStore,
  ) {
    this.anonymous = limits.anonymousPoints > 0 ? budgets.budget('address', limits.anonymousPoints, limits.windowSeconds) : null;
    this.keys = limits.keyPoints > 0 ? budgets.budget('key', limits.keyPoints, limits.windowSeconds) : null;
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
