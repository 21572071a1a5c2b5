// Each API process hears of every committed change at once: a connection of its own LISTENs to the
// notification the commit sends (see the Changes migration). It reconnects after PostgreSQL restarts or
// the connection drops; while it is down, listeners are told so (the response cache stops answering, the
// stream catches up when it is back), since a notification sent meanwhile is lost.
import { Client } from 'pg';
import type { Logger } from 'pino';
import { RECORD_TYPES, type RecordType } from './change-tables';

export const CHANNEL = 'jipp_changes';

/** What a commit's notification says: its position, the kinds of record and the regions it changed. */
export interface ChangeSummary {
  seq: number;
  types: RecordType[];
  /** null: every region (a truncate, or too many to list). */
  regions: string[] | null;
}

export interface ChangeObserver {
  /** A commit's changes, in the order notifications arrive (commit order). */
  changed?(summary: ChangeSummary): void;
  /** The connection is lost: notifications may be missed until `resumed`. */
  lost?(): void;
  /** Listening again: anything may have changed meanwhile. */
  resumed?(): void;
}

/** A notification someone else sent on the channel (psql's NOTIFY) says nothing usable: everything may have changed. */
function parseSummary(payload: string): ChangeSummary {
  try {
    const summary = JSON.parse(payload) as ChangeSummary;
    if (Array.isArray(summary.types)) return summary;
  } catch {
    // fall through
  }
  return { seq: 0, types: [...RECORD_TYPES], regions: null };
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

export class ChangeListener {
  private client: Client | null = null;
  private readonly observers = new Set<ChangeObserver>();
  private closed = false;
  private backoffMs = MIN_BACKOFF_MS;
  private timer: NodeJS.Timeout | undefined;
  private listening = false;

  constructor(
    private readonly url: string,
    private readonly logger: Pick<Logger, 'info' | 'warn'>,
  ) {}

  /** Connects and listens; the first connection must succeed (the API has just used the database). */
  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.listening;
  }

  observe(observer: ChangeObserver): () => void {
    this.observers.add(observer);
    return () => this.observers.delete(observer);
  }

  /**
   * Resolves true once every notification of a commit acknowledged before the call has been heard: a
   * query on the listening connection, since PostgreSQL sends a session its pending notifications before
   * the result of its next command. False when not listening (a notification may be lost).
   */
  async heardCommitted(): Promise<boolean> {
    const client = this.client;
    if (!client || !this.listening) return false;
    try {
      await client.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    this.listening = false;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, keepAlive: true, application_name: 'jipp-api-changes' });
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      for (const observer of this.observers) observer.changed?.(parseSummary(message.payload));
    });
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    const wasLost = this.backoffMs !== MIN_BACKOFF_MS || this.timer !== undefined;
    this.listening = true;
    this.backoffMs = MIN_BACKOFF_MS;
    this.timer = undefined;
    if (wasLost) {
      this.logger.info('change notifications: listening again');
      for (const observer of this.observers) observer.resumed?.();
    }
  }

  private drop(client: Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.listening = false;
    this.logger.warn('change notifications: connection lost; reconnecting');
    for (const observer of this.observers) observer.lost?.();
    client.end().catch(() => {});
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.connect().catch((error: unknown) => {
        this.logger.warn({ err: error, retryInMs: this.backoffMs }, 'change notifications: reconnect failed');
        this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
        this.schedule();
      });
    }, this.backoffMs);
    this.timer.unref();
  }
}
