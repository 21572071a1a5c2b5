// What `jipp import` does: streams the file, writes each batch in its own transaction, reports every row
// that was not imported (on stderr, in --json, and in the --rejects file), and returns an exit code a
// script can act on (import.cli.ts lists them).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PUBLIC_VIEWER, Role } from '../../auth/viewer';
import { printData, say } from '../../cli/output';
import { rowProgress } from '../../cli/progress';
import { CliFailure, UsageError } from '../../cli/usage-error';
import { withDatabase } from '../../db/cli-database';
import type { Actor } from '../audit/audit.service';
import { createImporter, type AnyImporter, type ImportReport } from './import-engine';
import { countRecords, formatOf, RecordReader, UnreadableFileError } from './import-file';
import { importFile, ImportStopped } from './import-run';
import { EXIT, type ImportCliOptions } from './import.cli';
import { RejectsFile } from './rejects-file';

/** Row errors a report lists (in --json); past that it says errorsTruncated, and the rejects file has them all. */
export const MAX_LISTED_ERRORS = 10_000;

function summary(report: ImportReport, seconds: number, rejects: RejectsFile | undefined): string {
  const head =
    `${report.dryRun ? 'dry run, nothing written: ' : ''}${report.kind}: ${report.received} rows in ${seconds.toFixed(1)} s ` +
    `(${Math.round(report.received / Math.max(seconds, 0.001))} rows/s): ${report.inserted} inserted, ${report.updated} updated, ` +
    `${report.unchanged} unchanged, ${report.failed} failed`;
  const shown = report.errors.slice(0, 20).map((e) => `  line ${e.line}${e.field ? ` ${e.field}` : ''}: ${e.code} ${e.message}${e.value != null ? ` (got ${JSON.stringify(e.value)})` : ''}`);
  const hidden = report.errorCount - shown.length;
  const where = rejects ? `every one is in ${rejects.path}` : report.errorsTruncated ? 'use --rejects FILE to get every one' : '--json lists every one';
  const more = hidden > 0 ? [`  ... and ${hidden} more row errors (${where})`] : [];
  const rejected = rejects && rejects.rows > 0 ? [`${rejects.rows} rows not imported written to ${rejects.path}, with their reasons: fix them and import that file.`] : [];
  return [head, ...shown, ...more, ...rejected].join('\n');
}

function checkInput(kind: string, file: string, rejects: string | undefined): { kind: 'innovations' | 'replications'; format: 'csv' | 'jsonl' } {
  if (kind !== 'innovations' && kind !== 'replications') throw new UsageError(`kind must be innovations or replications; got "${kind}".`);
  const format = formatOf(file);
  if (!format) throw new UsageError(`${file}: expected a .csv or .jsonl file.`);
  try {
    fs.accessSync(file, fs.constants.R_OK);
    if (!fs.statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new UsageError(`${file}: cannot read this file.`);
  }
  if (rejects !== undefined) {
    if (formatOf(rejects) !== format) throw new UsageError(`--rejects ${rejects}: it is written in the input's format, so it must end in .${format} too.`);
    if (path.resolve(rejects) === path.resolve(file)) throw new UsageError('--rejects must name another file than the input.');
  }
  return { kind, format };
}

export async function runImportCommand(kindArgument: string, file: string, options: ImportCliOptions): Promise<number> {
  const { kind, format } = checkInput(kindArgument, file, options.rejects);
  const total = await countRecords(file, format);
  // The command line acts with the ministry's rights; one id ties the audit records of this run together.
  const actor: Actor = { viewer: { ...PUBLIC_VIEWER, role: Role.MINISTRY_ADMIN }, requestId: randomUUID(), tool: 'jipp import' };
  const started = Date.now();
  const reader = new RecordReader(file, format, kind);
  const rejects = options.rejects ? new RejectsFile(options.rejects, format, () => reader.header) : undefined;
  let importer: AnyImporter | undefined;
  const finish = async (error?: Error) => {
    await rejects?.close();
    const report = importer?.report;
    if (!report) return;
    if (options.json) await printData(`${JSON.stringify(error ? { ...report, error: error.message } : report)}\n`);
    if (report.received > 0 || !error) say(summary(report, (Date.now() - started) / 1000, rejects));
  };
  try {
    await withDatabase(async (orm) => {
      importer = createImporter(kind, actor, { dryRun: options.dryRun, auditDetails: { file: path.basename(file) }, maxListedErrors: MAX_LISTED_ERRORS });
      const progress = rowProgress('importing', total);
      try {
        await importFile(orm, importer, reader, {
          batchSize: options.batchSize,
          rejects,
          onProgress: (done, report) => progress.update(done, { failed: report.failed }),
        });
      } finally {
        progress.stop();
      }
    });
  } catch (error) {
    await finish(error instanceof Error ? error : new Error(String(error)));
    if (error instanceof UnreadableFileError) throw new UsageError(error.message);
    if (error instanceof ImportStopped) {
      const kept = importer && importer.report.received > 0 && !importer.report.dryRun ? ' The batches counted above were committed;' : '';
      const rest = rejects ? ` the rows from line ${error.firstLine} on are in ${rejects.path}.` : ` the rows from line ${error.firstLine} on were not imported.`;
      throw new CliFailure(`${error.message}.${kept}${rest} Fix the cause and run the same file again: rows already imported then count as unchanged.`, EXIT.FAILED, { cause: error });
    }
    throw new CliFailure(`unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`, EXIT.FAILED, { cause: error });
  }
  await finish();
  return importer!.report.failed > 0 ? EXIT.ROWS_FAILED : EXIT.OK;
}
