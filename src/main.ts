// Process entry: config -> database -> server; Ctrl-C or SIGTERM stops the API and the embedded database.
// Run as `npm start` (this file) or `jipp serve` (src/cli/serve.cli.ts). With WORKERS > 1 this process is
// the cluster's primary (src/cluster.ts) and each worker runs the API.
import cluster from 'node:cluster';
import { loadConfig } from './config';
import { createLogger, startApp } from './app';
import { runPrimary } from './cluster';
import { EmbeddedPostgresError } from './db/embedded-errors';
import { joinClusterMetrics } from './http/metrics';
import { stopOnSignals } from './shutdown';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  if (cluster.isPrimary && config.WORKERS > 1) return runPrimary(config, logger);
  if (cluster.isWorker) joinClusterMetrics();
  // A worker's database is the primary's, migrated and seeded by it.
  const app = await startApp(config, logger, { worker: cluster.isWorker });
  const shutdown = stopOnSignals(logger, 'finishing in-flight requests', () => app.stop());
  // A worker whose primary is gone gets no more connections: it stops too.
  if (cluster.isWorker) process.once('disconnect', () => shutdown('primary gone'));
}

/** Starts the API; a failure to start ends the process with 1. */
export function runServer(): Promise<void> {
  return main().catch((error: unknown) => {
    console.error('Failed to start:', error instanceof Error ? error.message : error);
    // A refused or failed embedded PostgreSQL is an expected condition: its message says it all.
    if (error instanceof Error && error.stack && !(error instanceof EmbeddedPostgresError)) console.error(error.stack);
    process.exit(1);
  });
}

if (require.main === module) void runServer();
