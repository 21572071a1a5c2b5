// The import engine shared by the import mutations and `npm run import`: checks a batch of rows, reports
// bad rows by line and field, and writes the good ones with set-based SQL in the caller's transaction,
// upserting by (registry, external id) so a re-run converges. One audit event per batch.
import type { EntityManager } from '@mikro-orm/postgresql';
import { importProvinceCondition, mayImportProvince } from '../../auth/authorize';
import { changeActor, describeChanges } from '../../changes/change-actor';
import { audit, type Actor } from '../audit/audit.service';
import { Unreadable, type SourceLine } from './import-file';
import { echo, parseRow, type ImportKind, type InnovationRow, type ReplicationRow, type RowError } from './import-rows';
import { loadReference, type ImportTarget, type LineRow, type Reference } from './import-target';
import { INNOVATIONS } from './innovation-import';
import { refuseStored, upsertByRegistryId, type UpsertCounts } from './registry-upsert';
import { REPLICATIONS } from './replication-import';

export interface ImportCounts extends UpsertCounts {
  received: number;
  failed: number;
}

export interface ImportReport extends ImportCounts {
  kind: ImportKind;
  dryRun: boolean;
  /** Every row error, in line order, unless `errorsTruncated`: then the first `maxListedErrors`. */
  errors: RowError[];
  /** All row errors, listed or not. */
  errorCount: number;
  /** True when `errors` holds fewer than `errorCount` (a file's rejects file holds them all). */
  errorsTruncated: boolean;
}

export interface ImportOptions {
  dryRun: boolean;
  idempotencyKey?: string | null;
  /** Added to each batch's audit record, e.g. the file a command-line import read. */
  auditDetails?: Record<string, unknown>;
  /**
   * How many row errors the report lists; past that it says `errorsTruncated` (a file of a million bad rows
   * must not hold them all in memory: its rejects file has them). All of them by default.
   */
  maxListedErrors?: number;
}

export interface BatchResult extends ImportCounts {
  /** The batch's row errors, in line order. */
  errors: RowError[];
}

type Keyed = { registry: string; externalId: string };

export type AnyImporter = Importer<InnovationRow> | Importer<ReplicationRow>;

export function createImporter(kind: ImportKind, actor: Actor, options: ImportOptions): AnyImporter {
  return kind === 'innovations' ? new Importer(INNOVATIONS, actor, options) : new Importer(REPLICATIONS, actor, options);
}

/** One import (a mutation call, or a whole file in batches): its report, and the keys it has seen so far. */
export class Importer<T extends Keyed> {
  readonly report: ImportReport;
  private reference?: Reference;
  /** First line of every key, across batches: a key twice in a file is refused whatever the batch size. */
  private readonly firstLineOf = new Map<string, number>();
  /** Keys first seen in the batch being processed, forgotten again if its transaction has to be re-run. */
  private batchKeys: string[] = [];

  constructor(
    private readonly target: ImportTarget<T>,
    private readonly actor: Actor,
    private readonly options: ImportOptions,
  ) {
    this.report = {
      kind: target.kind,
      dryRun: options.dryRun,
      received: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      failed: 0,
      errors: [],
      errorCount: 0,
      errorsTruncated: false,
    };
  }

  /**
   * What a batch changes in this importer, to put back when its transaction was rolled back and is run
   * again (a deadlock lost to a concurrent writer): the keys it saw and its counts in the report.
   */
  checkpoint(): () => void {
    const report = { ...this.report, errors: [...this.report.errors] };
    this.batchKeys = [];
    return () => {
      for (const key of this.batchKeys) this.firstLineOf.delete(key);
      this.batchKeys = [];
      Object.assign(this.report, report);
    };
  }

  /** Checks and writes one batch in the given transaction (the caller rolls a dry run back); adds to the report. */
  async processBatch(em: EntityManager, lines: SourceLine[]): Promise<BatchResult> {
    // A batch is a bulk write: its change events say which provinces changed, not each row.
    await describeChanges(em, changeActor(this.actor), 'scope');
    this.reference ??= await loadReference(em);
    const errors: RowError[] = [];
    const valid = this.check(lines, errors);
    const { viewer } = this.actor;
    const scope = { column: this.target.scopeColumn, writable: importProvinceCondition(viewer, `t.${this.target.scopeColumn}`) };
    // Refused here, a row costs no further work (no owner created for it); the upsert decides in the end.
    const writable = await refuseStored(em, this.target.table, scope, valid, errors);
    const { ready, columns } = await this.target.prepare(em, writable, { reference: this.reference, viewer, errors });
    const counts = await upsertByRegistryId(em, this.target.table, scope, columns, ready, errors);
    const batch: ImportCounts = { received: lines.length, ...counts, failed: new Set(errors.map((e) => e.line)).size };
    audit(em, this.actor, {
      action: `import.${this.target.kind}`,
      entityType: this.target.entityType,
      after: {
        ...batch,
        dryRun: this.options.dryRun,
        firstLine: lines[0]?.line ?? null,
        lastLine: lines[lines.length - 1]?.line ?? null,
        ...this.options.auditDetails,
      },
      idempotencyKey: this.options.idempotencyKey ?? null,
    });
    await em.flush();
    echoValues(lines, errors);
    errors.sort((a, b) => a.line - b.line);
    this.add(batch, errors);
    return { ...batch, errors };
  }

  private add(batch: ImportCounts, errors: RowError[]): void {
    for (const key of ['received', 'inserted', 'updated', 'unchanged', 'failed'] as const) this.report[key] += batch[key];
    this.report.errorCount += errors.length;
    const room = (this.options.maxListedErrors ?? Infinity) - this.report.errors.length;
    if (room < errors.length) this.report.errorsTruncated = true;
    if (room > 0) this.report.errors.push(...errors.slice(0, room));
  }

  /** Schema, region, scope and duplicate checks, which need no database. */
  private check(lines: SourceLine[], errors: RowError[]): LineRow<T>[] {
    const valid: LineRow<T>[] = [];
    for (const { line, record } of lines) {
      if (record instanceof Unreadable) {
        errors.push({ line, field: null, code: 'BAD_USER_INPUT', message: record.message, value: null });
        continue;
      }
      const parsed = parseRow(this.target.schema, line, record);
      if ('errors' in parsed) {
        errors.push(...parsed.errors);
        continue;
      }
      const row = parsed.row;
      const problem = this.regionProblem(row) ?? this.scopeProblem(row) ?? this.duplicateProblem(row, line);
      if (problem) {
        errors.push({ line, ...problem });
        continue;
      }
      valid.push({ line, row });
    }
    return valid;
  }

  private region(row: T): { province?: string; regency?: string } {
    const fields = this.target.regionFields;
    return { province: row[fields.province] as string | undefined, regency: row[fields.regency] as string | undefined };
  }

  private regionProblem(row: T): Omit<RowError, 'line'> | null {
    const { province, regency } = this.region(row);
    const fields = this.target.regionFields;
    const { provinces, regencies } = this.reference!;
    if (regency !== undefined && !regencies.has(regency)) return { field: fields.regency, code: 'NOT_FOUND', message: `There is no regency ${regency}.` };
    if (regency !== undefined && province !== undefined && regency.slice(0, 2) !== province) {
      return { field: fields.regency, code: 'BAD_USER_INPUT', message: `Regency ${regency} is not in province ${province}.` };
    }
    if (province !== undefined && !provinces.has(province)) return { field: fields.province, code: 'NOT_FOUND', message: `There is no province ${province}.` };
    return null;
  }

  private scopeProblem(row: T): Omit<RowError, 'line'> | null {
    const { province, regency } = this.region(row);
    const code = regency?.slice(0, 2) ?? province ?? null;
    if (mayImportProvince(this.actor.viewer, code)) return null;
    return { field: null, code: 'FORBIDDEN', message: `Your key may not write records of province ${code ?? '(national)'}.` };
  }

  private duplicateProblem(row: T, line: number): Omit<RowError, 'line'> | null {
    const key = `${row.registry}|${row.externalId}`;
    const first = this.firstLineOf.get(key);
    if (first === undefined) {
      this.firstLineOf.set(key, line);
      this.batchKeys.push(key);
      return null;
    }
    return { field: 'externalId', code: 'CONFLICT', message: `${row.registry} ${row.externalId} already appears on line ${first}.` };
  }
}

/** Errors that name a field echo the row's value of it (the schema's own errors did already). */
function echoValues(lines: SourceLine[], errors: RowError[]): void {
  const records = new Map(lines.map((l) => [l.line, l.record]));
  for (const error of errors) {
    if (error.value !== undefined) continue;
    const record = records.get(error.line);
    error.value = error.field !== null && record !== null && typeof record === 'object' ? echo((record as Record<string, unknown>)[error.field]) : null;
  }
}
