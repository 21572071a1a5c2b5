// `jipp serve`: the API, as `npm start` runs it (src/main.ts), for an installed command.
import { Command } from 'commander';
import { helpFooter } from './help';

export function serveCommand(): Command {
  return new Command('serve')
    .description('Serve the GraphQL API (and /export/...) until Ctrl-C or SIGTERM. Settings come from the environment (docs/operations.md).')
    .addHelpText(
      'after',
      helpFooter(
        ['jipp serve', 'PORT=4100 DATA_DIR=/var/lib/jipp jipp serve', 'DATABASE_URL=postgresql://jipp@db/jipp jipp serve'],
        [
          [0, 'stopped cleanly (SIGINT or SIGTERM)'],
          [1, 'could not start (the message says why), or failed while stopping'],
          [130, 'interrupted while starting (SIGINT); 143 for SIGTERM'],
        ],
      ),
    )
    .action(async () => {
      const { runServer } = require('../main') as typeof import('../main');
      await runServer();
      // The server runs until a signal; main.ts exits the process then.
      await new Promise<never>(() => {});
    });
}
