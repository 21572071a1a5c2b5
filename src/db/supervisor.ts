// Keeps the embedded PostgreSQL up: when the postmaster exits without being asked to (a crash, an OOM kill,
// a kill -9), it is started again after a pause that doubles with each failure in a row, up to a cap. The
// API's pools reconnect by themselves once it is back. Shutdown first stops the restarts, then PostgreSQL.
import { describeExit, type Postmaster, type PostmasterExit } from './postmaster';

export interface Backoff {
  firstMs: number;
  maxMs: number;
  /** Up this long, a postmaster counts as healthy again: the next crash waits firstMs again. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 };

/** The pause before restart attempt `failures + 1`, after `failures` attempts in a row that did not hold. */
export function restartDelay(failures: number, backoff: Backoff): number {
  return Math.min(backoff.firstMs * 2 ** Math.min(failures, 30), backoff.maxMs);
}

export interface SupervisorEvents {
  exited?: (info: { postgresPid: number; exit: string; restartInMs: number }) => void;
  restarted?: (info: { postgresPid: number; attempt: number; downMs: number }) => void;
  restartFailed?: (info: { attempt: number; error: string; retryInMs: number }) => void;
}

export class PostgresSupervisor {
  private current: Postmaster | undefined;
  private startedAt = 0;
  private failures = 0;
  /** Restart attempts in the current outage. */
  private attempt = 0;
  private downSince = 0;
  private timer: NodeJS.Timeout | undefined;
  private restarting: Promise<void> | undefined;
  private shuttingDown = false;

  constructor(
    private readonly spawn: () => Promise<Postmaster>,
    private readonly events: SupervisorEvents = {},
    private readonly backoff: Backoff = DEFAULT_BACKOFF,
  ) {}

  async start(): Promise<void> {
    this.adopt(await this.spawn());
  }

  /** The running postmaster's pid, if one runs. */
  get pid(): number | undefined {
    return this.current && !this.current.hasExited() ? this.current.pid : undefined;
  }

  /** From now on an exit of PostgreSQL is final: the process is stopping. */
  beginShutdown(): void {
    this.shuttingDown = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async stop(): Promise<void> {
    this.beginShutdown();
    await this.restarting;
    const postmaster = this.current;
    this.current = undefined;
    await postmaster?.stop();
  }

  private adopt(postmaster: Postmaster): void {
    this.current = postmaster;
    this.startedAt = Date.now();
    void postmaster.exited.then((exit) => this.onExit(postmaster, exit));
  }

  private onExit(postmaster: Postmaster, exit: PostmasterExit): void {
    if (this.shuttingDown || postmaster !== this.current) return;
    this.current = undefined;
    this.downSince = Date.now();
    this.attempt = 0;
    if (Date.now() - this.startedAt >= this.backoff.stableMs) this.failures = 0;
    const delay = restartDelay(this.failures, this.backoff);
    this.events.exited?.({ postgresPid: postmaster.pid, exit: describeExit(exit), restartInMs: delay });
    this.schedule(delay);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restarting = this.restart().finally(() => (this.restarting = undefined));
    }, delayMs);
  }

  private async restart(): Promise<void> {
    if (this.shuttingDown) return;
    this.attempt += 1;
    this.failures += 1;
    let postmaster: Postmaster;
    try {
      postmaster = await this.spawn();
    } catch (error) {
      if (this.shuttingDown) return;
      const delay = restartDelay(this.failures, this.backoff);
      this.events.restartFailed?.({ attempt: this.attempt, error: error instanceof Error ? error.message : String(error), retryInMs: delay });
      this.schedule(delay);
      return;
    }
    if (this.shuttingDown) {
      await postmaster.stop();
      return;
    }
    this.adopt(postmaster);
    this.events.restarted?.({ postgresPid: postmaster.pid, attempt: this.attempt, downMs: Date.now() - this.downSince });
  }
}
