// Where a read runs: the primary's read pool, or a streaming standby's (DATABASE_REPLICA_URLS), kept by
// PostgreSQL's own replication. Queries go to the standbys in turn; a mutation's payload, and every read
// when no standby can serve, go to the primary.
//
// Read-your-writes, one rule for every process on every machine: a mutation answers only once every
// standby in use has replayed it (its LSN, pg_current_wal_lsn() on the primary after the commit, against
// pg_last_wal_replay_lsn() on each standby), waiting at most REPLICA_WAIT_MS. A standby that has not caught
// up by then is set aside in this process until it has replayed that LSN.
//
// A commit heard by this process (a change notification: src/changes/change-listener.ts) fences the
// standbys: until each has replayed the primary's position as of then, reads go elsewhere, so what the
// response cache, the change stream and the subscriptions read because of the commit shows it.
//
// Each process asks each standby every REPLICA_CHECK_MS where it is (the lag in /metrics). A standby that
// cannot be reached, or is no longer in recovery (promoted), is set aside until a check finds it well
// again; a read that fails on a standby because of the connection (or a recovery conflict) runs again on
// the primary, so its caller does not see the standby go away.
import { databaseFault } from './faults';
import { ReadPool, type ReadPoolSettings, type ReadPoolStats } from './read-pool';

export interface ReplicaSettings {
  urls: readonly string[];
  /** How long a mutation waits for the standbys to replay it. */
  waitMs: number;
  /** How often each standby is asked where it is. */
  checkMs: number;
  /** A standby set aside, or back in use (for the log). */
  onChange?: (replica: string, state: 'up' | 'down' | 'behind', why: string) => void;
}

export interface ReplicaState {
  /** host:port/database, no credentials. */
  name: string;
  up: boolean;
  /** WAL the primary has written that the standby has not replayed yet, in bytes (null before a check). */
  lagBytes: number | null;
  /** Age of the last transaction replayed while the standby has WAL to replay; 0 when it has none. */
  lagSeconds: number | null;
}

/** Where reads ran, for /metrics and the tests. */
export interface ReadCounts {
  primary: number;
  replica: number;
  /** Reads that failed on a standby and were answered by the primary. */
  retriedOnPrimary: number;
  /** Waits for a standby's replay (a mutation's, a fence's) that ran out (the standby was set aside). */
  waitTimeouts: number;
}

const WAIT_POLL_MS = 5;
const LSN = /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/;

class Replica {
  up = false;
  /** Whether its state was logged once: a standby down from the start is said so once. */
  reported = false;
  /** The standby has not replayed this LSN yet: not used until it has. */
  behind: bigint | null = null;
  /** A commit was heard that it may not have replayed: not used until a fence says it has. */
  fenced = false;
  replayed: bigint | null = null;
  lagBytes: number | null = null;
  lagSeconds: number | null = null;

  constructor(
    readonly name: string,
    readonly pool: ReadPool,
  ) {}

  /** Not set aside for a position it has not replayed after a wait timed out. */
  get current(): boolean {
    return this.behind === null || (this.replayed !== null && this.replayed >= this.behind);
  }

  get usable(): boolean {
    return this.up && !this.fenced && this.current;
  }
}

export class ReadServers {
  private readonly replicas: Replica[];
  private next = 0;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;
  private fencing: Promise<void> | undefined;
  private fenceAgain = false;
  readonly counts: ReadCounts = { primary: 0, replica: 0, retriedOnPrimary: 0, waitTimeouts: 0 };

  constructor(
    readonly primary: ReadPool,
    replicaPools: { name: string; pool: ReadPool }[] = [],
    private readonly settings: Omit<ReplicaSettings, 'urls'> = { waitMs: 0, checkMs: 1_000 },
  ) {
    this.replicas = replicaPools.map(({ name, pool }) => new Replica(name, pool));
  }

  /** The primary's pool and one per standby, each with the primary's settings; the standbys checked once before use. */
  static async open(settings: ReadPoolSettings, replicas?: ReplicaSettings): Promise<ReadServers> {
    const pools = (replicas?.urls ?? []).map((url, i) => ({
      name: replicaName(url),
      pool: new ReadPool({ ...settings, url, applicationName: `jipp-api-reads-replica-${i + 1}` }),
    }));
    const servers = new ReadServers(new ReadPool(settings), pools, replicas ?? undefined);
    if (pools.length) {
      await servers.check();
      servers.timer = setInterval(() => void servers.check(), servers.settings.checkMs);
      servers.timer.unref();
    }
    return servers;
  }

  get hasReplicas(): boolean {
    return this.replicas.length > 0;
  }

  /** A read's JSON text: on a standby that can serve it, else on the primary. */
  async json(text: string, prepare: boolean, onPrimary = false): Promise<string> {
    const replica = onPrimary ? undefined : this.pick();
    if (!replica) {
      this.counts.primary += 1;
      return this.primary.json(text, prepare);
    }
    try {
      const json = await replica.pool.json(text, prepare);
      this.counts.replica += 1;
      return json;
    } catch (error) {
      const fault = databaseFault(error);
      const conflict = (error as { code?: unknown }).code === '40001';
      // A statement PostgreSQL refused, or one that ran too long, would fail on the primary too.
      if (!conflict && fault?.reason !== 'DATABASE_UNAVAILABLE') throw error;
      if (!conflict) this.setDown(replica, error instanceof Error ? error.message : String(error));
      this.counts.retriedOnPrimary += 1;
      this.counts.primary += 1;
      return this.primary.json(text, prepare);
    }
  }

  /**
   * After a mutation: waits until every standby in use has replayed what the primary has written so far,
   * at most waitMs; a standby still behind then is set aside until it has replayed it.
   */
  async awaitReplay(): Promise<void> {
    await this.waitForReplay(this.replicas.filter((replica) => replica.up && replica.current));
  }

  /**
   * A commit was heard: from now on no read goes to a standby until it has replayed the primary's position
   * as of now (bounded like a mutation's wait). Fences asked while one runs are answered by one more round.
   */
  fence(): void {
    if (!this.replicas.length) return;
    for (const replica of this.replicas) replica.fenced = true;
    this.fenceAgain = true;
    this.fencing ??= (async () => {
      while (this.fenceAgain) {
        this.fenceAgain = false;
        await this.waitForReplay(this.replicas.filter((replica) => replica.up));
      }
      for (const replica of this.replicas) replica.fenced = false;
    })().finally(() => (this.fencing = undefined));
  }

  /** Waits until these standbys have replayed the primary's position as of now, at most waitMs each. */
  private async waitForReplay(waiting: Replica[]): Promise<void> {
    if (!waiting.length) return;
    let lsn: string;
    try {
      [{ lsn }] = await this.primary.check<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    } catch {
      // The write committed; a primary that cannot say where it is now (gone since) leaves nothing to wait for.
      return;
    }
    const target = parseLsn(lsn);
    const deadline = Date.now() + this.settings.waitMs;
    await Promise.all(
      waiting.map(async (replica) => {
        for (;;) {
          if (replica.replayed !== null && replica.replayed >= target) return;
          try {
            const [{ replayed }] = await replica.pool.check<{ replayed: string | null }>('select pg_last_wal_replay_lsn()::text as replayed');
            if (replayed !== null) replica.replayed = maxLsn(replica.replayed, parseLsn(replayed));
          } catch (error) {
            this.setDown(replica, error instanceof Error ? error.message : String(error));
            return;
          }
          if (replica.replayed !== null && replica.replayed >= target) return;
          if (Date.now() >= deadline) {
            replica.behind = maxLsn(replica.behind, target);
            this.counts.waitTimeouts += 1;
            this.settings.onChange?.(replica.name, 'behind', `had not replayed ${lsn} after ${this.settings.waitMs} ms; reads go elsewhere until it has`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
        }
      }),
    );
  }

  /** Asks every standby where it is (and the primary how far it has written); sets standbys up or down. */
  check(): Promise<void> {
    return (this.checking ??= this.checkAll().finally(() => (this.checking = undefined)));
  }

  replicaStates(): ReplicaState[] {
    return this.replicas.map(({ name, up, lagBytes, lagSeconds }) => ({ name, up, lagBytes, lagSeconds }));
  }

  /** Whether the primary answers (for /readyz): a standby down is not a reason to stop taking requests. */
  ping(): Promise<boolean> {
    return this.primary.ping();
  }

  /** Connections of every read pool, summed. */
  stats(): ReadPoolStats {
    const all = [this.primary, ...this.replicas.map((r) => r.pool)].map((pool) => pool.stats());
    return all.reduce((sum, s) => ({ total: sum.total + s.total, idle: sum.idle + s.idle, waiting: sum.waiting + s.waiting, max: sum.max + s.max }));
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.checking;
    await this.fencing;
    await Promise.all([this.primary.close(), ...this.replicas.map((r) => r.pool.close())]);
  }

  private pick(): Replica | undefined {
    for (let tried = 0; tried < this.replicas.length; tried += 1) {
      const replica = this.replicas[this.next++ % this.replicas.length];
      if (replica.usable) return replica;
    }
    return undefined;
  }

  private async checkAll(): Promise<void> {
    let written: bigint | null = null;
    try {
      const [{ lsn }] = await this.primary.check<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
      written = parseLsn(lsn);
    } catch {
      // The primary is away: the standbys' lag in bytes is unknown this time.
    }
    await Promise.all(this.replicas.map((replica) => this.checkOne(replica, written)));
  }

  private async checkOne(replica: Replica, written: bigint | null): Promise<void> {
    let row: { recovery: boolean; replayed: string | null; seconds: number | null };
    try {
      [row] = await replica.pool.check<typeof row>(
        `select pg_is_in_recovery() as recovery, pg_last_wal_replay_lsn()::text as replayed,
                case when pg_last_wal_receive_lsn() is not distinct from pg_last_wal_replay_lsn() then 0
                     else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as seconds`,
      );
    } catch (error) {
      this.setDown(replica, error instanceof Error ? error.message : String(error));
      return;
    }
    if (!row.recovery || row.replayed === null) {
      this.setDown(replica, row.recovery ? 'it has replayed nothing yet' : 'it is not a standby (not in recovery): promoted, or the wrong server');
      return;
    }
    const replayed = parseLsn(row.replayed);
    replica.replayed = maxLsn(replica.replayed, replayed);
    replica.lagBytes = written === null ? replica.lagBytes : Math.max(0, Number(written - replayed));
    replica.lagSeconds = Math.max(0, row.seconds ?? 0);
    if (replica.behind !== null && replica.replayed >= replica.behind) replica.behind = null;
    if (!replica.up) {
      replica.up = true;
      replica.reported = true;
      this.settings.onChange?.(replica.name, 'up', 'reads go to it');
    }
  }

  private setDown(replica: Replica, why: string): void {
    replica.lagBytes = null;
    replica.lagSeconds = null;
    if (!replica.up && replica.reported) return;
    replica.up = false;
    replica.reported = true;
    this.settings.onChange?.(replica.name, 'down', `${why}; reads go to the primary or another standby until a check finds it well`);
  }
}

/** A WAL position ("16/B374D848") as a number of bytes. */
export function parseLsn(lsn: string): bigint {
  if (!LSN.test(lsn)) throw new Error(`not a WAL position: ${lsn}`);
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

function maxLsn(a: bigint | null, b: bigint): bigint {
  return a === null || b > a ? b : a;
}

/** host:port/database of a URL, for logs and metric labels. */
export function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}
