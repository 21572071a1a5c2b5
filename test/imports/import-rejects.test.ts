// jipp import never drops a row silently: a byte-order mark, a quote never closed, a bad value, each ends
// as an imported row or a reported one, and --rejects writes the rows not imported in the input's format,
// with their reasons, so that the fixed file imports as it is.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { createTestDatabase } from '../support/harness';
import { countRows } from '../support/import-checksums';
import { Client } from 'pg';
import { innovationRecord, writeCsv, writeJsonl } from '../support/import-files';
import { jipp } from '../support/cli';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-rejects-'));
const file = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function sqlOn(url: string, text: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

const imported = (url: string, from: number, to: number) =>
  countRows(url, `select count(*) from innovation where external_id between 'IGA-${String(from).padStart(7, '0')}' and 'IGA-${String(to).padStart(7, '0')}'`);

describe('jipp import: every row imported or reported', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());
  const run = (args: string[]) => jipp(['import', ...args], { DATABASE_URL: db.url });

  it('imports the first line of a JSON Lines file and of a CSV file that start with a byte-order mark', async () => {
    writeJsonl(file('bom.jsonl'), [innovationRecord(100), innovationRecord(101)]);
    fs.writeFileSync(file('bom.jsonl'), `\uFEFF${fs.readFileSync(file('bom.jsonl'), 'utf8')}`);
    writeCsv(file('bom.csv'), [innovationRecord(102), innovationRecord(103)]);
    fs.writeFileSync(file('bom.csv'), `\uFEFF${fs.readFileSync(file('bom.csv'), 'utf8')}`);
    const runs = [await run(['innovations', file('bom.jsonl'), '--json']), await run(['innovations', file('bom.csv'), '--json'])];
    expect(runs.map((r) => [r.code, JSON.parse(r.stdout).inserted, JSON.parse(r.stdout).failed])).toEqual([
      [0, 2, 0],
      [0, 2, 0],
    ]);
    expect(await imported(db.url, 100, 103)).toBe(4);
  });

  it('reports a CSV line whose quote is never closed and imports the lines after it', async () => {
    const records = Array.from({ length: 8 }, (_, i) => innovationRecord(200 + i));
    writeCsv(file('quote.csv'), records);
    const lines = fs.readFileSync(file('quote.csv'), 'utf8').split('\n');
    lines[4] = lines[4].replace('Inovasi Impor 203', '"Inovasi Impor 203'); // line 5 of the file
    fs.writeFileSync(file('quote.csv'), lines.join('\n'));
    const result = await run(['innovations', file('quote.csv'), '--batch-size', '3', '--json', '--rejects', file('quote.rejects.csv')]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      kind: 'innovations',
      dryRun: false,
      received: 8,
      inserted: 7,
      updated: 0,
      unchanged: 0,
      failed: 1,
      errorCount: 1,
      errorsTruncated: false,
      errors: [{ line: 5, field: null, code: 'BAD_USER_INPUT', message: 'Line 5 cannot be read as CSV: it opens a quote (") that is never closed.', value: null }],
    });
    expect(await imported(db.url, 200, 207)).toBe(7);
    const rejects = parse(fs.readFileSync(file('quote.rejects.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rejects).toEqual([
      expect.objectContaining({ registry: 'IGA', externalId: 'IGA-0000203', title: expect.stringContaining('Inovasi Impor 203'), _reject: expect.stringContaining('line 5:') }),
    ]);
    expect(result.stderr).toContain(`1 rows not imported written to ${file('quote.rejects.csv')}`);
  });

  it('writes a CSV rejects file that imports as it is once fixed, ending where a clean file ends', async () => {
    const records = Array.from({ length: 12 }, (_, i) => innovationRecord(300 + i));
    const bad = records.map((r, i) => (i % 4 === 1 ? { ...r, launchYear: '20x5' } : i % 4 === 2 ? { ...r, regencyCode: '99.99' } : r));
    writeCsv(file('bad.csv'), bad);
    fs.appendFileSync(file('bad.csv'), 'IGA,IGA-0000399,Satu Sel Kurang\n');
    const first = await run(['innovations', file('bad.csv'), '--batch-size', '5', '--rejects', file('bad.rejects.csv')]);
    expect(first.code).toBe(1);
    const text = fs.readFileSync(file('bad.rejects.csv'), 'utf8');
    const rejected = parse(text, { relax_column_count: true }) as string[][];
    expect(rejected[0]).toEqual([...Object.keys(records[0]), '_reject']);
    expect(rejected.slice(1).map((r) => r.at(-1)!.replace(/:.*/, ''))).toEqual(['line 3', 'line 4', 'line 7', 'line 8', 'line 11', 'line 12', 'line 14']);
    expect(rejected[1]).toEqual([...Object.values(bad[1]).map(String), expect.stringContaining('launchYear BAD_USER_INPUT: launchYear must be a whole number from 1945 to 2100')]);

    // The person fixes the values in place, keeps the _reject column, drops the row they cannot fix, and imports the file.
    const fixed = text
      .split('\n')
      .filter((line) => !line.startsWith('IGA,IGA-0000399'))
      .map((line) => line.replace(',20x5,', ',2020,').replace(',99.99,', ',35.25,'))
      .join('\n');
    fs.writeFileSync(file('bad.rejects.csv'), fixed);
    const second = await run(['innovations', file('bad.rejects.csv'), '--json', '--rejects', file('bad.rejects2.csv')]);
    expect([second.code, JSON.parse(second.stdout).inserted, JSON.parse(second.stdout).failed]).toEqual([0, 6, 0]);
    expect(await imported(db.url, 300, 311)).toBe(12);
    expect(parse(fs.readFileSync(file('bad.rejects2.csv'), 'utf8'))).toEqual([[...Object.keys(records[0]), '_reject']]);
  });

  it('writes a JSON Lines rejects file with a _reject field, and keeps lines that are not JSON as text', async () => {
    const records = [innovationRecord(500), { ...innovationRecord(501), launchYear: '20x5' }, innovationRecord(502)];
    writeJsonl(file('bad.jsonl'), records);
    fs.appendFileSync(file('bad.jsonl'), '{"registry": "IGA",\n');
    const first = await run(['innovations', file('bad.jsonl'), '--rejects', file('bad.rejects.jsonl')]);
    expect(first.code).toBe(1);
    const rejected = fs.readFileSync(file('bad.rejects.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(rejected).toEqual([
      {
        ...records[1],
        _reject: {
          line: 2,
          errors: [{ field: 'launchYear', code: 'BAD_USER_INPUT', message: 'launchYear must be a whole number from 1945 to 2100.', value: '20x5' }],
        },
      },
      { _reject: { line: 4, errors: [{ field: null, code: 'BAD_USER_INPUT', message: 'Line 4 is not valid JSON.', value: null }], text: '{"registry": "IGA",' } },
    ]);
    const fixed = [JSON.stringify({ ...rejected[0], launchYear: 2021 }), JSON.stringify({ ...innovationRecord(503), _reject: rejected[1]._reject })];
    fs.writeFileSync(file('bad.rejects.jsonl'), `${fixed.join('\n')}\n`);
    const second = await run(['innovations', file('bad.rejects.jsonl'), '--json']);
    expect([second.code, JSON.parse(second.stdout).inserted]).toEqual([0, 2]);
    expect(await imported(db.url, 500, 503)).toBe(4);
  });

  it('puts every row from a batch that failed as a whole on into the rejects file, and exits 3', async () => {
    writeCsv(file('stopped.csv'), Array.from({ length: 9 }, (_, i) => innovationRecord(600 + i)));
    // A database failure the row checks cannot foresee, in the second batch (lines 6 to 9).
    await sqlOn(db.url, `create function refuse_604() returns trigger language plpgsql as $$
      begin if new.external_id = 'IGA-0000604' then raise exception 'refused by a test trigger'; end if; return new; end $$`);
    await sqlOn(db.url, `create trigger refuse_604 before insert on innovation for each row execute function refuse_604()`);
    try {
      const result = await run(['innovations', file('stopped.csv'), '--batch-size', '4', '--rejects', file('stopped.rejects.csv')]);
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`the import stopped at line 6: refused by a test trigger (SQLSTATE P0001). The batches counted above were committed; the rows from line 6 on are in ${file('stopped.rejects.csv')}.`);
      const rejected = parse(fs.readFileSync(file('stopped.rejects.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
      expect(rejected.map((r) => r.externalId)).toEqual(['IGA-0000604', 'IGA-0000605', 'IGA-0000606', 'IGA-0000607', 'IGA-0000608']);
      expect(rejected.every((r) => r._reject.includes('Not imported: the import stopped'))).toBe(true);
      expect(await imported(db.url, 600, 608)).toBe(4);
    } finally {
      await sqlOn(db.url, 'drop trigger refuse_604 on innovation; drop function refuse_604()');
    }
  });
});
