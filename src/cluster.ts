// WORKERS > 1: the primary process of Node's cluster. It owns what there must be one of (the embedded
// PostgreSQL and its supervision, the migrations and the reference seed), then forks the workers, each of
// which runs the whole API on the shared port (Node hands the connections out). A worker that dies is
// forked again after a pause that doubles while they keep dying; SIGTERM or SIGINT stops the workers (each
// drains its requests), then PostgreSQL. /metrics of any worker answers for all of them (prom-client's
// AggregatorRegistry, plus the primary's own counters).
import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Registry } from 'prom-client';
import type { Logger } from 'pino';
import type { Config } from './config';
import { openServerDatabase } from './db/database';
import { prepareDatabase } from './db/prepare';
import { restartDelay, type Backoff } from './db/supervisor';
import { stopOnSignals } from './shutdown';
import { METRICS_ANSWER, METRICS_REQUEST, type MetricsAnswer, type MetricsRequest } from './http/metrics';

/** Workers restart after 0.5 s, doubling to 30 s while they keep dying; 60 s up and a worker is healthy. */
const WORKER_BACKOFF: Backoff = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 };
/** Past SHUTDOWN_TIMEOUT_MS plus this, a worker that has not exited is killed. */
const EXIT_MARGIN_MS = 5_000;

export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const database = await openServerDatabase(config, {
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    postgres: (line) => logger.debug({ postgres: line }),
  });
  try {
    // Migrations and the reference seed, once, before any worker starts (workers skip them).
    const { migrations, seeded } = await prepareDatabase(database.url);
    if (migrations.length) logger.info({ migrations }, 'migrations applied');
    logger.info(seeded, seeded.changed ? 'reference data seeded' : 'reference data already up to date');
  } catch (error) {
    await database.stop().catch(() => {});
    throw error;
  }
  const metrics = new PrimaryMetrics();
  database.onRestart(() => metrics.postgresRestarts.inc());

  let stopping = false;
  /** Whether any worker has listened yet: until one has, a worker's exit is a failed start, not a crash. */
  let started = false;
  /** Per slot (1..WORKERS): deaths in a row and when the current worker started. */
  const slots = new Map<number, { failures: number; startedAt: number; listening: boolean }>();
  const timers = new Set<NodeJS.Timeout>();
  const env = { DATABASE_URL: database.url };
  const shutdown = stopOnSignals(logger, 'the workers finish their in-flight requests', async () => {
    stopping = true;
    for (const timer of timers) clearTimeout(timer);
    database.beginShutdown();
    await stopWorkers(config.SHUTDOWN_TIMEOUT_MS + EXIT_MARGIN_MS);
    await database.stop();
  });

  const fork = (slot: number) => {
    const worker = cluster.fork(env);
    const state = slots.get(slot) ?? { failures: 0, startedAt: 0, listening: false };
    state.startedAt = Date.now();
    state.listening = false;
    slots.set(slot, state);
    worker.once('listening', () => {
      state.listening = true;
      started = true;
    });
    worker.once('exit', (code, signal) => {
      state.listening = false;
      metrics.workersExited.inc();
      if (stopping) return;
      if (!started) {
        // The worker printed why (a port in use, a database it cannot reach): forking it again would fail the same way.
        logger.error({ workerPid: worker.process.pid, code, signal }, 'an API worker could not start; stopping');
        shutdown('a worker could not start', 1);
        return;
      }
      if (Date.now() - state.startedAt >= WORKER_BACKOFF.stableMs) state.failures = 0;
      const delay = restartDelay(state.failures, WORKER_BACKOFF);
      state.failures += 1;
      logger.warn({ workerPid: worker.process.pid, code, signal, restartInMs: delay }, `API worker ${slot} exited unexpectedly (${signal ?? `code ${code}`}); forking it again in ${delay} ms`);
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!stopping) fork(slot);
      }, delay);
      timers.add(timer);
    });
  };

  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker: Worker, message: unknown) => {
    if (!isMetricsRequest(message)) return;
    void Promise.all([aggregator.clusterMetrics(), metrics.registry.metrics()]).then(
      ([workers, own]) => worker.send({ type: METRICS_ANSWER, id: message.id, text: `${workers}\n${own}` } satisfies MetricsAnswer),
      (error: unknown) => worker.send({ type: METRICS_ANSWER, id: message.id, error: String(error) } satisfies MetricsAnswer),
    );
  });
  metrics.watch(() => [...slots.values()].filter((slot) => slot.listening).length);

  for (let slot = 1; slot <= config.WORKERS; slot += 1) fork(slot);
  logger.info({ workers: config.WORKERS, database: database.description }, `started ${config.WORKERS} API workers (database: ${database.description})`);

}

/** SIGTERM to every worker (each drains as a single process does), then SIGKILL to any still up at the deadline. */
function stopWorkers(deadlineMs: number): Promise<void> {
  const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  return Promise.all(
    workers.map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const timer = setTimeout(() => worker.process.kill('SIGKILL'), deadlineMs);
          worker.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          worker.process.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

function isMetricsRequest(message: unknown): message is MetricsRequest {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === METRICS_REQUEST && typeof (message as { id?: unknown }).id === 'number';
}

/** What only the primary knows: restarts of the embedded PostgreSQL and of workers, workers up. */
class PrimaryMetrics {
  readonly registry = new Registry();
  readonly postgresRestarts = new Counter({
    name: 'jipp_embedded_postgres_restarts_total',
    help: 'Times the embedded PostgreSQL was restarted after it exited unexpectedly (0 with DATABASE_URL).',
    registers: [this.registry],
  });
  readonly workersExited = new Counter({
    name: 'jipp_cluster_worker_exits_total',
    help: 'API worker processes that exited (crashes, kills; also each one stopped at shutdown).',
    registers: [this.registry],
  });

  watch(connected: () => number): void {
    new Gauge({
      name: 'jipp_cluster_workers',
      help: 'API worker processes listening (forked, started and taking connections).',
      registers: [this.registry],
      collect() {
        this.set(connected());
      },
    });
  }
}
