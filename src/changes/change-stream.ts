// One process's view of the change log as it grows, for its subscriptions: it follows the log from where
// it was when it started, in commit order, and hands each page of new events to every consumer. It reads
// when a commit is announced (and when notifications resume after a drop, or every few seconds when none
// come), so a lost notification delays events, never loses them.
import type { Logger } from 'pino';
import type { ReadEngine } from '../graphql/sql/engine';
import type { ChangeListener } from './change-listener';
import type { Position } from './change-cursor';
import { changePageSql, type ChangePage, type ChangeRow } from './change-log';

export type ChangeConsumer = (rows: readonly ChangeRow[], logId: string) => void;

const PAGE = 500;
const POLL_MS = 5_000;

export class ChangeStream {
  private readonly consumers = new Set<ChangeConsumer>();
  private position: Position | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private readonly timer: NodeJS.Timeout;
  private readonly unobserve: () => void;

  constructor(
    private readonly engine: Pick<ReadEngine, 'execute'>,
    listener: Pick<ChangeListener, 'observe'>,
    private readonly logger: Pick<Logger, 'warn'>,
  ) {
    this.unobserve = listener.observe({ changed: () => this.read(), resumed: () => this.read() });
    this.timer = setInterval(() => this.read(), POLL_MS);
    this.timer.unref();
  }

  /** Starts at the head of the log: consumers get what commits from now on. */
  async start(): Promise<void> {
    const page = await this.page({ seq: Number.MAX_SAFE_INTEGER, id: 0 });
    this.position = page.head;
  }

  subscribe(consumer: ChangeConsumer): () => void {
    this.consumers.add(consumer);
    return () => this.consumers.delete(consumer);
  }

  /** Reads what is new now (used by tests and the bench to wait for a write to arrive). */
  read(): Promise<void> {
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'change stream: reading the log failed; retrying on the next change'))
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          void this.read();
        }
      });
    return this.reading;
  }

  close(): void {
    clearInterval(this.timer);
    this.unobserve();
    this.consumers.clear();
  }

  private async drain(): Promise<void> {
    if (!this.position) return;
    for (;;) {
      const page = await this.page(this.position);
      if (!page.rows.length) return;
      const last = page.rows[page.rows.length - 1];
      this.position = { seq: last.seq, id: last.id };
      for (const consumer of this.consumers) consumer(page.rows, page.logId);
      if (page.rows.length < PAGE) return;
    }
  }

  private page(after: Position): Promise<ChangePage> {
    return this.engine.execute<ChangePage>(changePageSql(after, {}, PAGE).text, false);
  }
}
