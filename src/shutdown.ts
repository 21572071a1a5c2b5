// How a server process ends: on SIGINT or SIGTERM, or another reason it is given, once. It says why, runs
// its stop, and exits with the code given (1 when the stop failed). The process owns shutdown: handlers
// others installed (while starting, the embedded database's stop PostgreSQL and exit with 130/143; Apollo
// stops itself before the HTTP server drains) would race the stop, so they are removed.
import type { Logger } from 'pino';

/** Installs the signal handlers; returns the shutdown, for other reasons to stop. */
export function stopOnSignals(logger: Logger, doing: string, stop: () => Promise<void>): (reason: string, exitCode?: number) => void {
  let stopping = false;
  const shutdown = (reason: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal: reason }, `shutting down: ${doing}`);
    stop().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(exitCode);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => shutdown(signal));
  }
  return shutdown;
}
