// `jipp import innovations|replications <file>` (also `npm run import -- ...`): the command's definition;
// the work (and the ORM) loads when it runs (import.actions.ts).
import { Command, InvalidArgumentError } from 'commander';
import { DATABASE_NOTE, helpFooter } from '../../cli/help';

export const EXIT = { OK: 0, ROWS_FAILED: 1, USAGE: 2, FAILED: 3 } as const;
export const MAX_BATCH_SIZE = 5000;

export interface ImportCliOptions {
  dryRun: boolean;
  json: boolean;
  batchSize: number;
  rejects?: string;
}

function batchSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) throw new InvalidArgumentError(`expected an integer from 1 to ${MAX_BATCH_SIZE}`);
  return n;
}

export function importCommand(): Command {
  return new Command('import')
    .description('Import innovations or replications from a CSV or JSON Lines file, upserting by (registry, externalId).')
    .argument('<kind>', 'innovations or replications')
    .argument('<file>', 'a .csv file (header row) or a .jsonl file (one JSON object per line)')
    .option('--dry-run', 'check every row and count what would change, but write nothing', false)
    .option('--json', 'print the whole report as JSON on standard output (the summary still goes to standard error)', false)
    .option('--rejects <file>', 'write the rows that were not imported, with their reasons, to this file in the input\'s format (CSV: an extra _reject column; JSON Lines: a _reject field), ready to fix and import again')
    .option('--batch-size <n>', `rows per transaction (1-${MAX_BATCH_SIZE})`, batchSize, 1000)
    .addHelpText(
      'after',
      helpFooter(
        [
          'jipp import innovations data/iga-2025.csv --dry-run',
          'jipp import innovations data/iga-2025.csv --rejects iga-2025.rejects.csv',
          'jipp import innovations iga-2025.rejects.csv      # after fixing the rows it holds',
          'jipp import replications data/jippnas.jsonl --json > report.json',
        ],
        [
          [EXIT.OK, 'every row imported (or, with --dry-run, would be)'],
          [EXIT.ROWS_FAILED, 'some rows were not imported (listed, and in the --rejects file); the others were'],
          [EXIT.USAGE, 'bad arguments, or a file that cannot be read (nothing imported)'],
          [EXIT.FAILED, 'unexpected failure: the batches reported as committed stay; run the same file again'],
        ],
        [
          'Rows already imported count as unchanged on a re-run, so running a file again after a failure is safe.',
          'Columns and fields: docs/writing.md. A _reject column or field (from a rejects file) is ignored.',
          DATABASE_NOTE,
        ],
      ),
    )
    .action(async (kind: string, file: string, options: ImportCliOptions) => {
      const { runImportCommand } = require('./import.actions') as typeof import('./import.actions');
      process.exitCode = await runImportCommand(kind, file, options);
    });
}
