// The rows an import did not take, written back in the input's own format with the reasons beside them,
// so they can be fixed and imported again as they are (the reader ignores the reasons): CSV rows with an
// extra `_reject` column, JSON Lines objects with a `_reject` field.
import fs from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';
import { REJECT_FIELD, type FileFormat, type SourceLine } from './import-file';
import type { RowError } from './import-rows';

export class RejectsFile {
  private readonly out: fs.WriteStream;
  private headerWritten = false;
  private failure: Error | null = null;
  rows = 0;

  constructor(
    readonly path: string,
    private readonly format: FileFormat,
    /** The input's CSV header, known once its first line is read. */
    private readonly header: () => string[] | null,
  ) {
    this.out = fs.createWriteStream(path);
    this.out.on('error', (error) => {
      this.failure = error;
    });
  }

  /** Writes the rows of `lines` that have errors, in line order, with their errors. */
  async write(lines: SourceLine[], errors: RowError[]): Promise<void> {
    const byLine = new Map<number, RowError[]>();
    for (const e of errors) byLine.set(e.line, [...(byLine.get(e.line) ?? []), e]);
    const text = lines
      .filter((l) => byLine.has(l.line))
      .map((l) => this.format === 'csv' ? this.csvRow(l, byLine.get(l.line)!) : this.jsonRow(l, byLine.get(l.line)!))
      .join('');
    this.rows += byLine.size;
    await this.append(text);
  }

  /** Rows never checked (the import stopped before them): written with the reason it stopped. */
  async writeUnprocessed(lines: SourceLine[], reason: string): Promise<void> {
    await this.write(lines, lines.map((l) => ({ line: l.line, field: null, code: 'BAD_USER_INPUT' as const, message: `Not imported: ${reason}` })));
  }

  async close(): Promise<void> {
    if (this.format === 'csv' && !this.headerWritten) await this.append('');
    this.out.end();
    if (!this.out.closed && !this.failure) await once(this.out, 'close');
    if (this.failure) throw this.failure;
  }

  private async append(text: string): Promise<void> {
    if (this.format === 'csv' && !this.headerWritten && this.header()) {
      this.headerWritten = true;
      text = stringify([[...this.header()!, REJECT_FIELD]]) + text;
    }
    if (this.failure) throw this.failure;
    if (text && !this.out.write(text)) await once(this.out, 'drain');
  }

  private csvRow(line: SourceLine, errors: RowError[]): string {
    const reason = `line ${line.line}: ${errors.map((e) => `${e.field ? `${e.field} ` : ''}${e.code}: ${e.message}`).join('; ')}`;
    const cells = line.raw && 'cells' in line.raw ? line.raw.cells : [];
    return stringify([[...cells, reason]]);
  }

  private jsonRow(line: SourceLine, errors: RowError[]): string {
    const reject = { line: line.line, errors: errors.map(({ line: _line, ...e }) => e) };
    const record = line.record;
    if (isPlainObject(record)) {
      return `${JSON.stringify({ ...record, [REJECT_FIELD]: reject })}\n`;
    }
    // Not a JSON object: keep the text as it was, for the person fixing it.
    const text = line.raw && 'text' in line.raw ? line.raw.text : JSON.stringify(record);
    return `${JSON.stringify({ [REJECT_FIELD]: { ...reject, text } })}\n`;
  }
}

/** A JSON object as read from a line (not an array, a number, or a line that could not be read). */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}
