// Reads an import file as a stream of numbered records: CSV (header row, '|' between several sources in
// one cell) or JSON Lines. A line that cannot be read as a record becomes one the row check reports;
// a file that cannot be read on (a broken header, an unclosed quote) stops the import.
import fs from 'node:fs';
import readline from 'node:readline';
import { CsvError, parse } from 'csv-parse';
import { rowFields, type ImportKind } from './import-rows';

export type FileFormat = 'csv' | 'jsonl';

export interface SourceLine {
  line: number;
  record: unknown;
}

/** A record that could not be read at all, so it is reported once, not once per missing field. */
export class Unreadable {
  constructor(readonly message: string) {}
}

/** The file (or the rest of it) cannot be read: a usage error for the command line, not a row error. */
export class UnreadableFileError extends Error {}

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

export function readRecords(file: string, format: FileFormat, kind: ImportKind): AsyncGenerator<SourceLine> {
  return format === 'csv' ? readCsv(file, kind) : readJsonl(file);
}

async function* readCsv(file: string, kind: ImportKind): AsyncGenerator<SourceLine> {
  // Records as arrays, mapped to the header here: a row with a missing or extra cell is reported on its
  // line instead of shifting its values into the wrong columns.
  const parser = fs.createReadStream(file).pipe(parse({ bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }));
  let header: string[] | null = null;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!header) {
        header = checkHeader(file, record, kind);
        continue;
      }
      if (record.length !== header.length) {
        yield { line: info.lines, record: new Unreadable(`Line ${info.lines} has ${record.length} cells; the header has ${header.length}.`) };
        continue;
      }
      yield { line: info.lines, record: Object.fromEntries(header.map((name, i) => [name, record[i]])) };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new UnreadableFileError(`${file}: ${error.message}`);
    throw error;
  }
  if (!header) throw new UnreadableFileError(`${file}: the file is empty; expected a header row.`);
}

function checkHeader(file: string, header: string[], kind: ImportKind): string[] {
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
  return header;
}

async function* readJsonl(file: string): AsyncGenerator<SourceLine> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      record = new Unreadable(`Line ${number} is not valid JSON.`);
    }
    yield { line: number, record };
  }
}
