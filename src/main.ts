// Process entry: config -> database -> server; Ctrl-C or SIGTERM stops the API and the embedded database.
// Run as `npm start` (this file) or `jipp serve` (src/cli/serve.cli.ts).
import { loadConfig } from './config';
import { createLogger, startApp } from './app';
import { EmbeddedPostgresError } from './db/embedded-errors';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const app = await startApp(config, logger);
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    app
      .stop()
      .then(() => {
        logger.info('stopped cleanly');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  // This process owns shutdown. Others install their own handlers (while starting, the embedded database's
  // stop PostgreSQL and exit with 130/143; Apollo stops itself before the HTTP server drains), which would
  // race app.stop().
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => shutdown(signal));
  }
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
