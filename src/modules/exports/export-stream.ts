// Streams an export from a server-side cursor (pg-query-stream) through a formatter: a few hundred rows in
// memory at a time, whatever the size of the export, with backpressure from the reader down to PostgreSQL.
import { Transform, type TransformCallback } from 'node:stream';
import type { ClientBase } from 'pg';
import QueryStream from 'pg-query-stream';
import { stringify } from 'csv-stringify/sync';
import type { SqlFragment } from '../../db/sql';
import type { ExportFormat } from './export-params';
import type { ExportRow, ExportSpec } from './export-specs';

/** Rows fetched from the cursor at a time. */
export const CURSOR_BATCH_ROWS = 500;

/** Records (not CSV lines) formatted so far are reported this often, and at the end. */
const REPORT_EVERY = 1000;

/** JSON objects in, CSV or JSON Lines text out; counts the records. */
export class ExportFormatter extends Transform {
  records = 0;
  private reported = 0;

  constructor(
    private readonly spec: ExportSpec,
    private readonly format: ExportFormat,
    private readonly onRecords: (records: number) => void = () => {},
  ) {
    super({ writableObjectMode: true });
    // The header even when no record matches: a CSV file always says what its columns are.
    if (format === 'csv') this.push(stringify([spec.columns]));
  }

  override _transform(chunk: { row: ExportRow }, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.records += 1;
    if (this.records - this.reported >= REPORT_EVERY) this.report();
    callback(null, this.format === 'jsonl' ? `${JSON.stringify(chunk.row)}\n` : stringify(this.spec.csvRows(chunk.row)));
  }

  override _flush(callback: TransformCallback): void {
    this.report();
    callback();
  }

  private report(): void {
    this.onRecords(this.records - this.reported);
    this.reported = this.records;
  }
}

/** The cursor over a statement, on a client the caller holds (and releases when the stream closes). */
export function cursorOf(client: ClientBase, statement: SqlFragment): QueryStream {
  return client.query(new QueryStream(statement.text, [], { batchSize: CURSOR_BATCH_ROWS }));
}

/** A file name for an export made now: innovations-2026-06-01.csv. */
export function exportFileName(kind: string, format: ExportFormat, now = new Date()): string {
  return `${kind}-${now.toISOString().slice(0, 10)}.${format}`;
}
