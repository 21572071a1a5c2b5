// A bound on heavy statements (analytics, searches) running at once: overall, so that they never hold more
// than part of the read pool and cheap questions (a page, a lookup, /readyz) keep a connection; and per
// caller, so that one caller within its budget cannot take every heavy slot. A statement waits for a slot
// in arrival order, up to a bounded time, and then fails with a coded, retryable error.
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../errors';

export interface HeavyGateSettings {
  /** Heavy statements at once, over all callers. */
  overall: number;
  /** Heavy statements at once for one caller (an API key, or an anonymous client address). */
  perCaller: number;
  /** How long a statement waits for a slot before it is refused. */
  waitMs: number;
}

interface Waiter {
  caller: string;
  admit: () => void;
}

export class HeavyGate {
  private running = 0;
  private readonly byCaller = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(private readonly settings: HeavyGateSettings) {}

  /** Runs `work` once a slot is free for the caller; refuses it when none frees in time. */
  async run<T>(caller: string, work: () => Promise<T>): Promise<T> {
    await this.enter(caller);
    try {
      return await work();
    } finally {
      this.leave(caller);
    }
  }

  /** Heavy statements running now (for /metrics and tests). */
  get active(): number {
    return this.running;
  }

  private enter(caller: string): Promise<void> {
    // Waiters never have room (they are let in as soon as they do): one that fits now goes ahead of them.
    if (this.fits(caller)) {
      this.take(caller);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        caller,
        admit: () => {
          clearTimeout(timer);
          this.take(caller);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(this.refusal(caller));
      }, this.settings.waitMs);
      this.waiting.push(waiter);
    });
  }

  private leave(caller: string): void {
    this.running -= 1;
    const left = (this.byCaller.get(caller) ?? 1) - 1;
    if (left) this.byCaller.set(caller, left);
    else this.byCaller.delete(caller);
    // The first waiter whose caller has room goes next (one caller's queue does not hold back another's).
    const next = this.waiting.findIndex((waiter) => this.fits(waiter.caller));
    if (next >= 0) this.waiting.splice(next, 1)[0].admit();
  }

  private fits(caller: string): boolean {
    return this.running < this.settings.overall && (this.byCaller.get(caller) ?? 0) < this.settings.perCaller;
  }

  private take(caller: string): void {
    this.running += 1;
    this.byCaller.set(caller, (this.byCaller.get(caller) ?? 0) + 1);
  }

  private refusal(caller: string): Error {
    if ((this.byCaller.get(caller) ?? 0) >= this.settings.perCaller) {
      return new GraphQLError(
        `You already have ${this.settings.perCaller} expensive queries (analytics, searches) running; wait for them before sending more.`,
        { extensions: { code: ErrorCode.RATE_LIMITED, retryAfter: 1, http: { status: 429, headers: new Map([['retry-after', '1']]) } } },
      );
    }
    return new HeavyStatementsBusy();
  }
}

/** No heavy slot freed in time: the database is busy (src/db/faults.ts reports it as DATABASE_BUSY). */
export class HeavyStatementsBusy extends Error {
  override readonly name = 'HeavyStatementsBusy';

  constructor() {
    super('Too many expensive queries (analytics, searches) are running at the moment.');
  }
}
