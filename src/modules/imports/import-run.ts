// Imports a whole file: streams its records and writes each batch in a transaction of its own, so memory
// stays flat and a killed run keeps the batches it committed (a re-run converges on the same state). The
// rows of each batch that were not imported go to the rejects file, if there is one, as the batch ends.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { isTransactionConflict, retryConflicts } from '../../db/retry';
import type { AnyImporter, BatchResult, ImportReport } from './import-engine';
import type { SourceLine } from './import-file';
import type { RejectsFile } from './rejects-file';

export interface ImportFileOptions {
  batchSize: number;
  /** Called after each batch with the number of rows done so far. */
  onProgress?: (done: number, report: ImportReport) => void;
  rejects?: RejectsFile;
}

class DryRunDone extends Error {}

/**
 * Runs one batch in a transaction of its own; a dry run does all the work, then rolls it back. A batch that
 * lost a deadlock to a concurrent writer is run again from a clean importer state.
 */
export async function importBatch(em: EntityManager, importer: AnyImporter, lines: SourceLine[]): Promise<BatchResult> {
  return retryConflicts(async () => {
    const restore = importer.checkpoint();
    let result: BatchResult | undefined;
    try {
      await em.transactional(async (tx) => {
        result = await importer.processBatch(tx, lines);
        if (importer.report.dryRun) throw new DryRunDone();
      });
      return result!;
    } catch (error) {
      if (error instanceof DryRunDone) return result!;
      if (isTransactionConflict(error)) restore();
      throw error;
    }
  });
}

/** The import stopped at a batch that failed as a whole: nothing from its first line on was imported. */
export class ImportStopped extends Error {
  constructor(
    readonly firstLine: number,
    options: { cause: unknown },
  ) {
    super(`the import stopped at line ${firstLine}: ${reasonOf(options.cause)}`, options);
  }
}

/**
 * Why a batch failed, for a person: a database error's message is the statement, " - ", then PostgreSQL's
 * reason (knex's format); the statement of a batch is its thousand rows, so only the reason is kept.
 */
export function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const sqlState = (error as { code?: unknown }).code;
  const cut = error.message.lastIndexOf(' - ');
  if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState) && cut >= 0) return `${error.message.slice(cut + 3)} (SQLSTATE ${sqlState})`;
  return error.message;
}

export async function importFile(orm: MikroORM, importer: AnyImporter, records: AsyncIterable<SourceLine>, options: ImportFileOptions): Promise<ImportReport> {
  const iterator = records[Symbol.asyncIterator]();
  let batch: SourceLine[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    let result: BatchResult;
    try {
      result = await importBatch(orm.em.fork(), importer, lines);
    } catch (cause) {
      // Nothing of this batch or after it was imported: the rejects file gets every one of those rows.
      if (options.rejects) await rejectRest(options.rejects, lines, iterator, cause);
      throw new ImportStopped(lines[0].line, { cause });
    }
    await options.rejects?.write(lines, result.errors);
    options.onProgress?.(importer.report.received, importer.report);
  };
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    batch.push(next.value);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  return importer.report;
}

async function rejectRest(rejects: RejectsFile, lines: SourceLine[], rest: AsyncIterator<SourceLine>, cause: unknown): Promise<void> {
  const reason = `the import stopped (${reasonOf(cause)}); import the rows again`;
  await rejects.writeUnprocessed(lines, reason);
  try {
    const more: SourceLine[] = [];
    for (let next = await rest.next(); !next.done; next = await rest.next()) {
      more.push(next.value);
      if (more.length >= 1000) await rejects.writeUnprocessed(more.splice(0), reason);
    }
    await rejects.writeUnprocessed(more, reason);
  } catch {
    // The file itself cannot be read on: the summary says where the import stopped.
  }
}
