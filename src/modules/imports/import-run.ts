// Imports a whole file: streams its records and writes each batch in a transaction of its own, so memory
// stays flat and a killed run keeps the batches it committed (a re-run converges on the same state).
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { isTransactionConflict, retryConflicts } from '../../db/retry';
import type { AnyImporter, ImportReport } from './import-engine';
import { readRecords, type FileFormat, type SourceLine } from './import-file';

export interface ImportFileOptions {
  batchSize: number;
  /** Called after each batch with the number of rows done so far. */
  onProgress?: (done: number, report: ImportReport) => void;
}

class DryRunDone extends Error {}

/**
 * Runs one batch in a transaction of its own; a dry run does all the work, then rolls it back. A batch that
 * lost a deadlock to a concurrent writer is run again from a clean importer state.
 */
export async function importBatch(em: EntityManager, importer: AnyImporter, lines: SourceLine[]): Promise<void> {
  await retryConflicts(async () => {
    const restore = importer.checkpoint();
    try {
      await em.transactional(async (tx) => {
        await importer.processBatch(tx, lines);
        if (importer.report.dryRun) throw new DryRunDone();
      });
    } catch (error) {
      if (error instanceof DryRunDone) return;
      if (isTransactionConflict(error)) restore();
      throw error;
    }
  });
}

export async function importFile(
  orm: MikroORM,
  importer: AnyImporter,
  file: string,
  format: FileFormat,
  options: ImportFileOptions,
): Promise<ImportReport> {
  let batch: SourceLine[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const lines = batch;
    batch = [];
    await importBatch(orm.em.fork(), importer, lines);
    options.onProgress?.(importer.report.received, importer.report);
  };
  for await (const line of readRecords(file, format, importer.report.kind)) {
    batch.push(line);
    if (batch.length >= options.batchSize) await flush();
  }
  await flush();
  return importer.report;
}
