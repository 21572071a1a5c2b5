// Assembles the running application: database, migrations, reference seed, GraphQL over HTTP.
import type { Server } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino, { type Logger } from 'pino';
import { engineSettings, queryLimits, rateLimits, type Config } from './config';
import { openServerDatabase, type ServerDatabaseHandle } from './db/database';
import { migrate, openOrm } from './db/orm';
import { createHttpServer } from './http/http-server';
import { ApiMetrics } from './http/metrics';
import { BudgetStore } from './limits/budget-store';
import { CostRateLimiter } from './limits/rate-limiter';
import { ExportQuota } from './modules/exports/export-quota';
import { ExportRoute } from './modules/exports/export.http';
import { createApolloServer } from './server';
import { ReadEngine } from './graphql/sql/engine';
import { ResponseCache } from './cache/response-cache';
import { ChangeListener } from './changes/change-listener';
import { pruneChanges, schedulePruning } from './changes/change-pruner';
import { ChangeStream } from './changes/change-stream';
import { WebhookDispatcher } from './changes/webhooks/webhook-dispatcher';
import { attachSubscriptions } from './http/subscriptions';
import { seedReference } from '../seeds/reference/reference.seeder';

export interface App {
  url: string;
  orm: MikroORM;
  logger: Logger;
  stop: () => Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'jipp-api' },
    // Nothing logs request headers or connection strings today; these keep a future change from leaking them.
    redact: ['req.headers.authorization', 'headers.authorization', '*.password'],
  });
}

export interface AppRole {
  /** A worker of the cluster (WORKERS > 1): the primary has migrated and seeded, and answers /metrics for all. */
  worker?: boolean;
}

export async function startApp(config: Config, logger = createLogger(config), role: AppRole = {}): Promise<App> {
  const database = await openServerDatabase(config, {
    info: (message, fields) => logger.info(fields ?? {}, message),
    warn: (message, fields) => logger.warn(fields ?? {}, message),
    postgres: (line) => logger.debug({ postgres: line }),
  });
  try {
    return await serve(config, logger, database, role);
  } catch (error) {
    // A failed start must not leave the embedded PostgreSQL running.
    await database.stop().catch(() => {});
    throw error;
  }
}

async function serve(config: Config, logger: Logger, database: ServerDatabaseHandle, role: AppRole): Promise<App> {
  const orm = await openOrm({
    clientUrl: database.url,
    poolMax: config.DB_WRITE_POOL_MAX,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
    logSql: config.LOG_SQL,
    onDriverWarning: (message) => logger.warn({ driver: message }, 'database driver warning'),
  });
  if (!role.worker) {
    try {
      const applied = await migrate(orm);
      if (applied.length) logger.info({ migrations: applied }, 'migrations applied');
      const seeded = await seedReference(orm);
      logger.info(seeded, seeded.changed ? 'reference data seeded' : 'reference data already up to date');
    } catch (error) {
      await orm.close().catch(() => {});
      throw error;
    }
  }

  const engine = await ReadEngine.open(orm.getMetadata(), {
    url: database.url,
    max: config.DB_POOL_MAX,
    acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    preparedStatements: config.DB_PREPARED_STATEMENTS,
    onIdleError: (error) => logger.warn({ err: error }, 'read pool: an idle connection failed'),
  }, engineSettings(config), {
    urls: config.DATABASE_REPLICA_URLS,
    waitMs: config.REPLICA_WAIT_MS,
    checkMs: config.REPLICA_CHECK_MS,
    onChange: (replica, state, why) => (state === 'up' ? logger.info : logger.warn).call(logger, { replica, state }, `read replica ${replica}: ${why}`),
  });
  // Every process hears of every commit: the response cache drops what a change touched.
  const changes = new ChangeListener(database.url, logger);
  // First of the observers: a commit heard sets the standbys aside until they have replayed it, so that what
  // the cache, the change stream and the subscriptions read next, because of it, shows it.
  changes.observe({ changed: () => engine.pool.fence(), lost: () => engine.pool.fence(), resumed: () => engine.pool.fence() });
  await changes.start();
  const stopPruning = schedulePruning(
    () => pruneChanges(orm.em.fork(), config.CHANGE_RETENTION_DAYS),
    (error) => logger.warn({ err: error }, 'change log: pruning failed; trying again in an hour'),
  );
  const stream = new ChangeStream(engine, changes, logger);
  await stream.start();
  const webhooks = new WebhookDispatcher(
    orm,
    { timeoutMs: config.WEBHOOK_TIMEOUT_MS, retryBaseMs: config.WEBHOOK_RETRY_BASE_MS, maxFailures: config.WEBHOOK_MAX_FAILURES, allowPrivateAddresses: config.WEBHOOK_ALLOW_PRIVATE_ADDRESSES },
    logger,
  );
  webhooks.start(changes);
  // One store of budgets for every process: the cost budgets and the export quota.
  const budgets = new BudgetStore({ url: database.url, acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS, statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS });
  const rateLimiter = new CostRateLimiter(rateLimits(config), budgets);
  const apollo = await createApolloServer(engine, logger, {
    responseCache: config.RESPONSE_CACHE_SECONDS > 0 ? new ResponseCache(config.RESPONSE_CACHE_SECONDS, changes) : undefined,
    changes,
    limits: queryLimits(config),
    rateLimiter,
    hideSchemaFromAnonymous: config.NODE_ENV === 'production',
  });
  const metrics = new ApiMetrics(orm, engine, { processMetrics: true, clusterWorker: role.worker });
  database.onRestart(() => metrics.countPostgresRestart());
  const exportRoute = new ExportRoute(
    {
      url: database.url,
      connections: config.EXPORT_CONNECTIONS,
      acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
      quota: config.EXPORT_ROWS_PER_WINDOW > 0 ? new ExportQuota(budgets, config.EXPORT_ROWS_PER_WINDOW, config.EXPORT_WINDOW_SECONDS) : undefined,
    },
    orm,
    logger,
  );
  const front = createHttpServer({ apollo, orm, engine, logger, metrics, trustProxyHops: config.TRUST_PROXY_HOPS, cors: config.CORS_ORIGINS, exportRoute, allowPrivateWebhookAddresses: config.WEBHOOK_ALLOW_PRIVATE_ADDRESSES });
  // Subscriptions share the port and the path: graphql-ws on the HTTP server's upgrades.
  const subscriptions = attachSubscriptions({
    server: front.server,
    orm,
    engine,
    changes: stream,
    logger,
    limits: queryLimits(config),
    rateLimiter,
    perConnection: config.SUBSCRIPTIONS_PER_CONNECTION,
    perCaller: config.SUBSCRIPTIONS_PER_CALLER,
    trustProxyHops: config.TRUST_PROXY_HOPS,
  });
  const address = await listen(front.server, config.HOST, config.PORT);
  const url = `http://${address}/graphql`;
  logger.info({ url, database: database.description }, `GraphQL API listening on ${url} (database: ${database.description})`);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      database.beginShutdown();
      front.startDraining();
      // WebSockets are never idle: close them (1001, going away) or the drain would wait for them.
      await subscriptions.close();
      await drain(front.server, config.SHUTDOWN_TIMEOUT_MS, logger);
      await apollo.stop();
      stopPruning();
      await webhooks.close();
      stream.close();
      await changes.close();
      await exportRoute.close();
      await budgets.close();
      await engine.close();
      await orm.close();
      await database.stop();
    })());
  return { url, orm, logger, stop };
}

/**
 * Stops accepting connections and waits for in-flight requests; answers sent while draining close their
 * connection. Past the timeout, connections still open (a stuck client) are cut so the process can exit.
 */
async function drain(server: Server, timeoutMs: number, logger: Logger): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
  });
  if (await Promise.race([closed.then(() => false), timedOut])) {
    logger.warn({ timeoutMs }, 'shutdown: closing connections still open after the drain timeout');
    server.closeAllConnections();
    await closed;
  }
  clearTimeout(timer);
}

function listen(server: Server, host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      if (addr && typeof addr === 'object') resolve(`${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`);
      else resolve(`${host}:${port}`);
    });
  });
}
