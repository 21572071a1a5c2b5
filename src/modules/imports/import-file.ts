// Reads an import file as a stream of numbered records: CSV (header row, '|' between several sources in
// one cell) or JSON Lines. A line that cannot be read becomes a record the row check reports.
import fs from 'node:fs';
import readline from 'node:readline';
import { parse } from 'csv-parse';
import type { SourceLine } from './import-engine';

export type FileFormat = 'csv' | 'jsonl';

/** Marks a record that could not be read at all, so it is reported once, not once per missing field. */
export const UNREADABLE = '__unreadable';

export function formatOf(file: string): FileFormat | null {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  return null;
}

/** Counts data lines, for the progress bar's total. */
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

export async function* readRecords(file: string, format: FileFormat): AsyncGenerator<SourceLine> {
  if (format === 'csv') {
    const parser = fs.createReadStream(file).pipe(
      parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, info: true, relax_column_count: true }),
    );
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: item.info.lines, record: item.record };
    }
    return;
  }
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  let number = 0;
  for await (const text of lines) {
    number += 1;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      record = { [UNREADABLE]: `Line ${number} is not valid JSON.` };
    }
    yield { line: number, record };
  }
}
