// Reads an import file as a stream of numbered records: CSV (header row, '|' between several sources in
// one cell) or JSON Lines. Every line of the file ends up imported or reported: a line that cannot be read
// as a record (a cell too many, invalid JSON, a quote that is never closed) becomes a record the row check
// reports, and reading goes on with the next line. Only a file without a usable header stops the import.
// A `_reject` column or field, which a rejects file adds (rejects-file.ts), is ignored, so a fixed rejects
// file imports as it is.
import fs from 'node:fs';
import readline from 'node:readline';
import { CsvError, parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { rowFields, type ImportKind } from './import-rows';

export type FileFormat = 'csv' | 'jsonl';

/** What the file held for a record, to write it back to a rejects file as it was. */
export type RawRecord = { cells: string[] } | { text: string };

export interface SourceLine {
  line: number;
  record: unknown;
  raw?: RawRecord;
}

/** A record that could not be read at all, so it is reported once, not once per missing field. */
export class Unreadable {
  constructor(readonly message: string) {}
}

/** The file cannot be read as an import at all (no usable header): a usage error, nothing is imported. */
export class UnreadableFileError extends Error {}

/** The column or field a rejects file adds to say why a row was refused; ignored when reading. */
export const REJECT_FIELD = '_reject';

const BOM = '\uFEFF';

export function formatOf(file: string): FileFormat | null {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return null;
}

/** Counts data lines, for the progress bar's total (quoted line breaks in CSV make it an estimate). */
export async function countRecords(file: string, format: FileFormat): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file)) {
    const buffer = chunk as Buffer;
    for (const byte of buffer) if (byte === 10) lines += 1;
    last = buffer[buffer.length - 1] ?? last;
  }
  if (last !== 10) lines += 1;
  return Math.max(0, format === 'csv' ? lines - 1 : lines);
}

/** The records of a file; `header` is the CSV header (without a _reject column) once the first record is read. */
export class RecordReader implements AsyncIterable<SourceLine> {
  header: string[] | null = null;

  constructor(
    readonly file: string,
    readonly format: FileFormat,
    private readonly kind: ImportKind,
  ) {}

  [Symbol.asyncIterator](): AsyncIterator<SourceLine> {
    return this.format === 'csv' ? this.readCsv() : readJsonl(this.file);
  }

  private async *readCsv(): AsyncGenerator<SourceLine> {
    let columns: Columns | null = null;
    // Parsing restarts after a record that cannot be read, at the next line: from `start` (a byte offset),
    // with `base` lines before it.
    let start = 0;
    let base = 0;
    for (;;) {
      // Records as arrays, mapped to the header here: a row with a missing or extra cell is reported on its
      // line instead of shifting its values into the wrong columns.
      const parser = fs
        .createReadStream(this.file, { start })
        .pipe(parse({ bom: start === 0, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }));
      let end = { bytes: 0, lines: 0 };
      let broken: CsvError | null = null;
      try {
        for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
          end = { bytes: info.bytes, lines: info.lines };
          const line = base + info.lines;
          if (!columns) {
            columns = checkHeader(this.file, record, this.kind);
            this.header = columns.names;
            continue;
          }
          if (record.length !== columns.count) {
            yield { line, record: new Unreadable(`Line ${line} has ${record.length} cells; the header has ${columns.count}.`), raw: { cells: record } };
            continue;
          }
          const cells = columns.keep.map((i) => record[i]);
          yield { line, record: Object.fromEntries(columns.names.map((name, i) => [name, cells[i]])), raw: { cells } };
        }
      } catch (error) {
        if (!(error instanceof CsvError)) throw error;
        broken = error;
      }
      if (!broken) break;
      if (!columns) throw new UnreadableFileError(`${this.file}: the header row cannot be read: ${broken.message}`);
      // The record after the last one read is broken (e.g. it opens a quote that is never closed, which
      // would swallow the rest of the file): report its first line, then read on from the line after it.
      const at = await nextNonBlankLine(this.file, start + end.bytes);
      if (!at) break;
      const line = base + end.lines + at.skipped + 1;
      yield { line, record: new Unreadable(`Line ${line} cannot be read as CSV: ${describeCsvError(broken)}`), raw: { cells: cellsOfBrokenLine(at.text, columns.count) } };
      base = line;
      start = at.next;
    }
    if (!columns) throw new UnreadableFileError(`${this.file}: the file is empty; expected a header row.`);
  }
}

/** The header: the column names read (without _reject), where they are in a record, and how many cells a record has. */
interface Columns {
  names: string[];
  keep: number[];
  count: number;
}

function describeCsvError(error: CsvError): string {
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') return 'it opens a quote (") that is never closed.';
  return error.message.replace(/ at line \d+/, '');
}

/**
 * The cells of a line that opens a quote it never closes, for its row in a rejects file: read as if the
 * stray quote were not there when that gives the header's number of cells, else with the quote closed at
 * the end of the line.
 */
function cellsOfBrokenLine(text: string, count: number): string[] {
  const attempts: string[] = [];
  for (let i = text.lastIndexOf('"'); i >= 0; i = text.lastIndexOf('"', i - 1)) attempts.push(text.slice(0, i) + text.slice(i + 1));
  let fallback: string[] | null = null;
  for (const attempt of [...attempts, `${text}"`]) {
    try {
      const [cells] = parseSync(attempt, { relax_quotes: true, relax_column_count: true, trim: true }) as string[][];
      if (cells?.length === count) return cells;
      fallback ??= cells ?? null;
    } catch {
      // try the next repair
    }
  }
  return fallback ?? [text];
}

/** The first line at or after a byte offset that holds more than blanks: its text, the offset after it, and the blank lines skipped. */
async function nextNonBlankLine(file: string, offset: number): Promise<{ text: string; next: number; skipped: number } | null> {
  let position = offset;
  let skipped = 0;
  const stream = fs.createReadStream(file, { start: offset });
  let pending = Buffer.alloc(0);
  try {
    for await (const chunk of stream) {
      pending = Buffer.concat([pending, chunk as Buffer]);
      let newline: number;
      while ((newline = pending.indexOf(10)) >= 0) {
        const text = pending.subarray(0, newline).toString('utf8').replace(/\r$/, '');
        position += newline + 1;
        pending = pending.subarray(newline + 1);
        if (text.trim() !== '') return { text, next: position, skipped };
        skipped += 1;
      }
    }
  } finally {
    stream.destroy();
  }
  const text = pending.toString('utf8').replace(/\r$/, '');
  return text.trim() === '' ? null : { text, next: position + pending.length, skipped };
}

function checkHeader(file: string, record: string[], kind: ImportKind): Columns {
  const keep = record.map((_, i) => i).filter((i) => record[i] !== REJECT_FIELD);
  const header = keep.map((i) => record[i]);
  const { known, required } = rowFields(kind);
  const unknown = header.filter((name) => !known.includes(name));
  const missing = required.filter((name) => !header.includes(name));
  const repeated = header.filter((name, i) => header.indexOf(name) !== i);
  const problems = [
    unknown.length ? `unknown column(s) ${unknown.join(', ')}` : '',
    missing.length ? `missing column(s) ${missing.join(', ')}` : '',
    repeated.length ? `repeated column(s) ${repeated.join(', ')}` : '',
  ].filter(Boolean);
  if (problems.length) {
    throw new UnreadableFileError(`${file}: ${problems.join('; ')}. Columns for ${kind}: ${known.join(', ')} (required: ${required.join(', ')}).`);
  }
  return { names: header, keep, count: record.length };
}

async function* readJsonl(file: string): AsyncGenerator<SourceLine> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number += 1;
    // A byte-order mark (Windows editors write one) would make the first line invalid JSON.
    const text = number === 1 && line.startsWith(BOM) ? line.slice(1) : line;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      yield { line: number, record: new Unreadable(`Line ${number} is not valid JSON.`), raw: { text } };
      continue;
    }
    if (record && typeof record === 'object' && !Array.isArray(record) && REJECT_FIELD in record) {
      const { [REJECT_FIELD]: _reason, ...rest } = record as Record<string, unknown>;
      record = rest;
    }
    yield { line: number, record, raw: { text } };
  }
}
