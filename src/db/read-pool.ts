// The read engine's own connection pool (pg's Pool): every read statement runs here, outside the ORM,
// whose pool serves the writes. A read returns one JSON text (the answer PostgreSQL built).
//
// Prepared statements: a statement is sent with a name (a hash of its text), pg's documented way to have
// PostgreSQL parse and plan it once per connection and then only execute it. Statement texts carry their
// values (src/db/sql.ts), so most texts are asked once (a year range on a slider): a text is named from the
// second time the process runs it, and one-off texts (a page after a cursor) never. A connection names at
// most MAX_NAMED_PER_CONNECTION texts; the statement that finds it full runs unnamed and the connection is
// then retired, so that its successor prepares what is asked now (running everything unnamed past the
// limit kept the first texts prepared forever and planned the ones asked now on every request: see
// docs/performance.md). Off (DB_PREPARED_STATEMENTS=0) behind a pooler that hands each statement to any
// server connection (PgBouncer's transaction mode before 1.21).
//
// Bounded waits: connectionTimeoutMillis bounds the wait for a pooled connection (and a new connection's
// start-up); statement_timeout is PostgreSQL's; query_timeout is the client's own bound, a little longer,
// for a server that stops answering altogether (a stalled host): the request ends with a coded fault and
// the connection is discarded.
import { createHash } from 'node:crypto';
import { Pool, type PoolClient } from 'pg';

export const MAX_NAMED_PER_CONNECTION = 200;
/** How much longer than the statement timeout the client waits before giving up on the server. */
const CLIENT_TIMEOUT_MARGIN_MS = 5_000;
/** How long /readyz waits for PostgreSQL to answer `select 1`. */
const PING_TIMEOUT_MS = 2_000;
/** PostgreSQL refuses a prepared statement whose result columns changed under it (a migration): run it unnamed. */
const RESULT_TYPE_CHANGED = '0A000';

export interface ReadPoolSettings {
  url: string;
  max: number;
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
  preparedStatements: boolean;
  /** Errors of idle connections (a restarted server); without a listener pg would crash the process. */
  onIdleError?: (error: Error) => void;
  /** Who the connections say they are in pg_stat_activity. */
  applicationName?: string;
}

export interface ReadPoolStats {
  total: number;
  idle: number;
  waiting: number;
  max: number;
}

export class ReadPool {
  private readonly pool: Pool;
  /** One connection for the readiness probe. */
  private readonly probe: Pool;
  private readonly named = new WeakMap<PoolClient, Set<string>>();
  /** Per connection, names whose statement PostgreSQL now refuses (RESULT_TYPE_CHANGED): run unnamed there. */
  private readonly stale = new WeakMap<PoolClient, Set<string>>();
  /** Texts run once so far (unnamed); bounded like the names. */
  private readonly seen = new Set<string>();
  private readonly names = new Map<string, string>();

  constructor(private readonly settings: ReadPoolSettings) {
    this.pool = new Pool({
      connectionString: settings.url,
      max: settings.max,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: settings.acquireTimeoutMs,
      statement_timeout: settings.statementTimeoutMs,
      query_timeout: settings.statementTimeoutMs + CLIENT_TIMEOUT_MARGIN_MS,
      keepAlive: true,
      application_name: settings.applicationName ?? 'jipp-api-reads',
    });
    this.pool.on('error', (error) => settings.onIdleError?.(error));
    this.probe = new Pool({
      connectionString: settings.url,
      max: 1,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: PING_TIMEOUT_MS,
      query_timeout: PING_TIMEOUT_MS,
      application_name: 'jipp-api-readiness',
    });
    this.probe.on('error', () => {});
  }

  /** Runs `select <json>::text as data` and returns the text; `prepare: false` for a one-off text. */
  async json(text: string, prepare: boolean): Promise<string> {
    const rows = await this.rows<{ data: string }>(text, prepare);
    return rows[0].data;
  }

  async rows<T>(text: string, prepare: boolean): Promise<T[]> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    // A connection the server ends while it is lent (a restart) reports it as an event: not to be given back.
    const onError = (error: Error) => {
      failure = error;
    };
    client.on('error', onError);
    const named = prepare && this.settings.preparedStatements ? this.nameOn(client, text) : { name: undefined, full: false };
    const { name } = named;
    // A connection with no room for another name is retired after this statement (a fresh one replaces it).
    if (named.full) failure = new Error('retired: prepared statements full');
    try {
      const result = await client.query<T & object>(name ? { name, text } : { text });
      return result.rows;
    } catch (error) {
      if (name && (error as { code?: string }).code === RESULT_TYPE_CHANGED) {
        const stale = this.stale.get(client) ?? new Set<string>();
        this.stale.set(client, stale.add(name));
      }
      // A connection that failed other than by PostgreSQL refusing the statement is not given back.
      if (!(error as { code?: string }).code || (error as Error).message === 'Query read timeout') failure = error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      client.release(failure);
    }
  }

  /**
   * Whether PostgreSQL answers (for /readyz), on a connection of its own: a busy pool is not an unreachable
   * database, and a stalled server fails the probe within PING_TIMEOUT_MS instead of hanging it.
   */
  async ping(): Promise<boolean> {
    try {
      await this.probe.query('select 1');
      return true;
    } catch {
      return false;
    }
  }

  /** A short statement on the probe's connection (the replicas' positions), failing within PING_TIMEOUT_MS. */
  async check<T extends object>(text: string): Promise<T[]> {
    return (await this.probe.query<T>(text)).rows;
  }

  stats(): ReadPoolStats {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.settings.max };
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.probe.end()]);
  }

  /** The name `text` runs under on `client` (none the first time, or where refused), and whether the client is full. */
  private nameOn(client: PoolClient, text: string): { name: string | undefined; full: boolean } {
    let name = this.names.get(text);
    if (name === undefined) {
      // The texts remembered are bounded like the statements: past the limit, start over.
      if (!this.seen.has(text)) {
        if (this.seen.size >= MAX_NAMED_PER_CONNECTION * 5) this.seen.clear();
        this.seen.add(text);
        return { name: undefined, full: false };
      }
      this.seen.delete(text);
      name = `jipp_${createHash('sha1').update(text).digest('base64url')}`;
      if (this.names.size >= MAX_NAMED_PER_CONNECTION * 5) this.names.clear();
      this.names.set(text, name);
    }
    if (this.stale.get(client)?.has(name)) return { name: undefined, full: false };
    let onClient = this.named.get(client);
    if (!onClient) this.named.set(client, (onClient = new Set()));
    if (onClient.has(name)) return { name, full: false };
    if (onClient.size >= MAX_NAMED_PER_CONNECTION) return { name: undefined, full: true };
    onClient.add(name);
    return { name, full: false };
  }
}
