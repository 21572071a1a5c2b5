// Prometheus metrics served at /metrics: GraphQL operations by name, type, status and error code, their
// durations, the database connection pools (the ORM's for writes, the read engine's), and restarts of the
// embedded PostgreSQL. Each server has a registry of its own (tests start many). A worker of the cluster
// (WORKERS > 1) answers a scrape with every process's metrics: it asks the primary, which gathers them
// with prom-client's AggregatorRegistry (src/cluster.ts).
import type { MikroORM } from '@mikro-orm/postgresql';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ReadServers } from '../db/read-servers';
import type { ReadEngine } from '../graphql/sql/engine';
import type { RequestRecord } from './request-record';

/** A worker asks the primary for the metrics of every process; the answer carries the same id. */
export const METRICS_REQUEST = 'jipp:metrics-request';
export const METRICS_ANSWER = 'jipp:metrics-answer';

export interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}

export interface MetricsAnswer {
  type: typeof METRICS_ANSWER;
  id: number;
  text?: string;
  error?: string;
}

/**
 * In a worker, from its first moment: answers the primary's requests for this worker's metrics (prom-client
 * installs the answer when an AggregatorRegistry is made). A worker still starting answers with nothing
 * rather than leaving the primary's gathering to time out.
 */
export function joinClusterMetrics(): void {
  new AggregatorRegistry();
  AggregatorRegistry.setRegistries([]);
}

/** Operation names come from clients: only well-formed ones become labels, and only so many of them. */
const MAX_OPERATION_NAMES = 100;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

export interface MetricsOptions {
  /** Also export Node's process metrics (CPU, memory, event loop lag); off for in-process test servers. */
  processMetrics?: boolean;
  /**
   * A worker of the cluster: its registry is gathered by the primary with the others', and a scrape asks the
   * primary for the whole. The primary counts the embedded PostgreSQL's restarts.
   */
  clusterWorker?: boolean;
}

/** How long a worker waits for the primary's gathered metrics (prom-client gives workers 5 s). */
const CLUSTER_SCRAPE_TIMEOUT_MS = 6_000;

export class ApiMetrics {
  readonly registry = new Registry();
  private readonly names = new Set<string>();
  private readonly operations: Counter<'operation' | 'type' | 'status'>;
  private readonly errors: Counter<'operation' | 'code'>;
  private readonly duration: Histogram<'operation' | 'type'>;
  private readonly postgresRestarts: Counter | undefined;
  private readonly clusterWorker: boolean;
  private scrapes = 0;

  constructor(orm: MikroORM, engine: ReadEngine, options: MetricsOptions = {}) {
    this.clusterWorker = options.clusterWorker ?? false;
    const registers = [this.registry];
    const reads = engine.pool;
    this.operations = new Counter({
      name: 'jipp_graphql_operations_total',
      help: 'GraphQL requests answered, by operation name, operation type and HTTP status.',
      labelNames: ['operation', 'type', 'status'],
      registers,
    });
    this.errors = new Counter({
      name: 'jipp_graphql_errors_total',
      help: 'Errors in GraphQL responses, by operation name and extensions.code.',
      labelNames: ['operation', 'code'],
      registers,
    });
    this.duration = new Histogram({
      name: 'jipp_graphql_operation_duration_seconds',
      help: 'Time from receiving a GraphQL request to sending its answer.',
      labelNames: ['operation', 'type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.postgresRestarts = this.clusterWorker
      ? undefined
      : new Counter({
          name: 'jipp_embedded_postgres_restarts_total',
          help: 'Times the embedded PostgreSQL was restarted after it exited unexpectedly (0 with DATABASE_URL).',
          registers,
        });
    const pool = () => orm.em.getConnection().getKnex().client.pool;
    new Gauge({
      name: 'jipp_db_pool_connections',
      help: 'Write pool (the ORM\'s) connections by state (used, free, pending acquires, pending creates).',
      labelNames: ['state'],
      registers,
      collect() {
        const current = pool();
        this.set({ state: 'used' }, current?.numUsed() ?? 0);
        this.set({ state: 'free' }, current?.numFree() ?? 0);
        this.set({ state: 'pending_acquire' }, current?.numPendingAcquires() ?? 0);
        this.set({ state: 'pending_create' }, current?.numPendingCreates() ?? 0);
      },
    });
    new Gauge({
      name: 'jipp_db_pool_max',
      help: 'The most connections the write pool opens.',
      registers,
      collect() {
        this.set(pool()?.max ?? 0);
      },
    });
    new Gauge({
      name: 'jipp_db_read_pool_connections',
      help: 'Read pools\' connections (the primary\'s and the standbys\', summed) by state (busy, idle, waiting: requests waiting for a connection).',
      labelNames: ['state'],
      registers,
      collect() {
        const { total, idle, waiting } = reads.stats();
        this.set({ state: 'busy' }, total - idle);
        this.set({ state: 'idle' }, idle);
        this.set({ state: 'waiting' }, waiting);
      },
    });
    new Gauge({
      name: 'jipp_db_read_pool_max',
      help: 'The most connections the read pools open (the primary\'s and the standbys\', summed).',
      registers,
      collect() {
        this.set(reads.stats().max);
      },
    });
    let joined = 0;
    new Counter({
      name: 'jipp_read_statements_joined_total',
      help: 'Reads answered by joining the same statement already running instead of running it again.',
      registers,
      collect() {
        this.inc(engine.joined - joined);
        joined = engine.joined;
      },
    });
    new Counter({
      name: 'jipp_db_reads_total',
      help: 'Read statements by the server that answered them: primary or replica (a standby).',
      labelNames: ['server'],
      registers,
      collect() {
        this.reset();
        this.inc({ server: 'primary' }, reads.counts.primary);
        this.inc({ server: 'replica' }, reads.counts.replica);
      },
    });
    if (reads.hasReplicas) this.replicaMetrics(reads, registers);
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'jipp_' });
    // What this worker sends when the primary gathers the workers' metrics (joinClusterMetrics listens).
    if (this.clusterWorker) AggregatorRegistry.setRegistries([this.registry]);
  }

  /** The standbys as this process sees them; gathered over workers, the worst worker's view counts. */
  private replicaMetrics(reads: ReadServers, registers: Registry[]): void {
    new Gauge({
      name: 'jipp_db_replica_up',
      help: 'Whether a standby serves reads (1) or is set aside (0: unreachable, not in recovery).',
      labelNames: ['replica'],
      aggregator: 'min',
      registers,
      collect() {
        for (const replica of reads.replicaStates()) this.set({ replica: replica.name }, replica.up ? 1 : 0);
      },
    });
    new Gauge({
      name: 'jipp_db_replica_lag_bytes',
      help: 'WAL the primary has written that a standby has not replayed, in bytes (absent while it is down).',
      labelNames: ['replica'],
      aggregator: 'max',
      registers,
      collect() {
        this.reset();
        for (const replica of reads.replicaStates()) if (replica.lagBytes !== null) this.set({ replica: replica.name }, replica.lagBytes);
      },
    });
    new Gauge({
      name: 'jipp_db_replica_lag_seconds',
      help: 'Age of the last transaction a standby replayed while it has WAL left to replay; 0 when it has none.',
      labelNames: ['replica'],
      aggregator: 'max',
      registers,
      collect() {
        this.reset();
        for (const replica of reads.replicaStates()) if (replica.lagSeconds !== null) this.set({ replica: replica.name }, replica.lagSeconds);
      },
    });
    new Counter({
      name: 'jipp_db_replica_retries_total',
      help: 'Reads that failed on a standby (connection lost, recovery conflict) and were answered by the primary.',
      registers,
      collect() {
        this.reset();
        this.inc(reads.counts.retriedOnPrimary);
      },
    });
    new Counter({
      name: 'jipp_db_replica_wait_timeouts_total',
      help: 'Waits for a standby to replay a write (after a mutation, or a commit heard) that ran out (REPLICA_WAIT_MS); that standby was set aside until it had.',
      registers,
      collect() {
        this.reset();
        this.inc(reads.counts.waitTimeouts);
      },
    });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The text a scrape of /metrics gets: this process's metrics, or in a cluster every process's. */
  scrape(): Promise<string> {
    return this.clusterWorker ? this.askPrimary() : this.registry.metrics();
  }

  private askPrimary(): Promise<string> {
    const id = (this.scrapes += 1);
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown) => {
        const answer = message as Partial<MetricsAnswer> | null;
        if (answer?.type !== METRICS_ANSWER || answer.id !== id) return;
        done();
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(`the primary could not gather the workers' metrics: ${answer.error ?? 'no answer'}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error('the primary did not answer the metrics request in time'));
      }, CLUSTER_SCRAPE_TIMEOUT_MS);
      const done = () => {
        clearTimeout(timer);
        process.off('message', onMessage);
      };
      process.on('message', onMessage);
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
  }

  observe(record: RequestRecord, status: number): void {
    const operation = this.label(record.operationName);
    const type = record.operationType ?? 'none';
    this.operations.inc({ operation, type, status: String(status) });
    for (const code of new Set(record.codes)) this.errors.inc({ operation, code });
    this.duration.observe({ operation, type }, Number(process.hrtime.bigint() - record.startedAt) / 1e9);
  }

  countPostgresRestart(): void {
    this.postgresRestarts?.inc();
  }

  private label(name: string | null | undefined): string {
    if (!name) return '(anonymous)';
    if (!NAME.test(name)) return '(other)';
    if (this.names.has(name)) return name;
    if (this.names.size >= MAX_OPERATION_NAMES) return '(other)';
    this.names.add(name);
    return name;
  }
}
