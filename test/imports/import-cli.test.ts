// jipp import, run as the compiled CLI against a database of its own: exit codes, lines in the file,
// dry runs, one audit record per batch, and a run killed mid-import then re-run ending exactly where an
// uninterrupted run ends.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase } from '../support/harness';
import { countRows, importedState, selectRows } from '../support/import-checksums';
import { innovationRecord, replicationRecord, writeCsv, writeJsonl } from '../support/import-files';

const JIPP = path.join(__dirname, '..', '..', 'dist', 'src', 'cli', 'jipp.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI; with killOnProgress it is SIGKILLed as soon as it reports a committed batch. */
function run(databaseUrl: string, args: string[], killOnProgress = false): Promise<Run> {
  if (!fs.existsSync(JIPP)) throw new Error(`${JIPP} is missing: run npm test (it compiles first) or npx tsc -p tsconfig.json`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [JIPP, 'import', ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (killOnProgress && /importing \d+\/\d+ rows/.test(stderr)) child.kill('SIGKILL');
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-import-'));
const file = (name: string) => path.join(dir, name);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('jipp import', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it('exits 2 on usage errors and unreadable files, writing nothing', async () => {
    fs.writeFileSync(file('typo.csv'), 'registry,externalId,title,owner,regency_code,sources\nIGA,IGA-1,Judul,Pemilik,35.25,https://x.example\n');
    fs.writeFileSync(file('notes.txt'), 'hello\n');
    const runs = await Promise.all([
      run(db.url, ['awards', file('typo.csv')]),
      run(db.url, ['innovations', file('missing.csv')]),
      run(db.url, ['innovations', file('notes.txt')]),
      run(db.url, ['innovations', file('typo.csv'), '--batch-size', '0']),
      run(db.url, ['innovations', file('typo.csv')]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(runs[4].stderr).toContain('unknown column(s) regency_code');
    expect(await countRows(db.url, `select count(*) from innovation where dataset = 'IMPORTED'`)).toBe(0);
  });

  it('reports bad CSV rows by their line in the file and exits 1, importing the good ones', async () => {
    const records = Array.from({ length: 6 }, (_, i) => innovationRecord(5000 + i));
    records[1] = { ...records[1], launchYear: 'dua ribu' };
    records[3] = { ...records[3], stage: 'SELESAI', regencyCode: '99.99' };
    writeCsv(file('bad.csv'), records);
    // A row with a cell missing, after a blank line: reported on its own line, its values not shifted.
    fs.appendFileSync(file('bad.csv'), '\nIGA,IGA-0005999,Judul,Pemilik,35.25,2020,INISIATIF,https://x.example\n');
    const result = await run(db.url, ['innovations', file('bad.csv'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ kind: 'innovations', dryRun: false, received: 7, inserted: 4, updated: 0, unchanged: 0, failed: 3 });
    expect(report.errors.map((e: { line: number; field: string | null; code: string }) => [e.line, e.field, e.code])).toEqual([
      [3, 'launchYear', 'BAD_USER_INPUT'],
      [5, 'stage', 'BAD_USER_INPUT'],
      [9, null, 'BAD_USER_INPUT'],
    ]);
    expect(result.stderr).toMatch(/innovations: 7 rows in .*4 inserted, 0 updated, 0 unchanged, 3 failed/);
    expect(await countRows(db.url, `select count(*) from innovation where external_id between 'IGA-0005000' and 'IGA-0005999'`)).toBe(4);
  });

  it('reports bad JSON Lines by line: invalid JSON, unknown fields, wrong types', async () => {
    writeJsonl(file('bad.jsonl'), [
      innovationRecord(6000),
      { ...innovationRecord(6001), regency_code: '35.25' },
      { ...innovationRecord(6002), launchYear: 2020, isDigital: true, sources: ['https://a.example', 'https://b.example'] },
      { ...innovationRecord(6003), sources: [] },
    ]);
    fs.appendFileSync(file('bad.jsonl'), '{"registry": "IGA", \n\n[1, 2]\n');
    const result = await run(db.url, ['innovations', file('bad.jsonl'), '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ received: 6, inserted: 2, failed: 4 });
    expect(report.errors.map((e: { line: number; field: string | null }) => [e.line, e.field])).toEqual([
      [2, 'regency_code'],
      [4, 'sources'],
      [5, null],
      [7, null],
    ]);
  });

  it('writes nothing in a dry run, and counts what a real run would do', async () => {
    writeCsv(file('dry.csv'), Array.from({ length: 30 }, (_, i) => innovationRecord(7000 + i)));
    const before = await importedState(db.url);
    const result = await run(db.url, ['innovations', file('dry.csv'), '--dry-run', '--batch-size', '10', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, received: 30, inserted: 30, failed: 0, errors: [] });
    expect(await importedState(db.url)).toEqual(before);
    expect(await countRows(db.url, `select count(*) from audit_event where after->>'file' = 'dry.csv'`)).toBe(0);
  });

  it('audits every batch as the command line, and refuses a key repeated in a later batch', async () => {
    const records = Array.from({ length: 25 }, (_, i) => innovationRecord(8000 + i));
    records[22] = { ...records[2], title: 'Sama Kunci' }; // line 24 repeats the key of line 4, two batches later
    writeCsv(file('audited.csv'), records);
    const result = await run(db.url, ['innovations', file('audited.csv'), '--batch-size', '10', '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ inserted: 24, failed: 1, errors: [{ line: 24, field: 'externalId', code: 'CONFLICT' }] });
    const rows = await selectRows<{ role: string; actor: string; api_key_id: number | null; action: string; entity_type: string; request_id: string; after: Record<string, number> }>(
      db.url,
      `select role, actor, api_key_id, action, entity_type, request_id, after from audit_event where after->>'file' = 'audited.csv' order by id`,
    );
    expect(rows.map((r) => [r.role, r.actor, r.api_key_id, r.action, r.entity_type])).toEqual(
      Array(3).fill(['MINISTRY_ADMIN', 'jipp import', null, 'import.innovations', 'Innovation']),
    );
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(1);
    expect(rows.map((r) => [r.after.firstLine, r.after.lastLine, r.after.received, r.after.inserted, r.after.failed])).toEqual([
      [2, 11, 10, 10, 0],
      [12, 21, 10, 10, 0],
      [22, 26, 5, 4, 1],
    ]);
  });
});

describe('jipp import, killed and re-run', () => {
  it('ends in the same state as an uninterrupted run, with no duplicates', async () => {
    writeCsv(file('innovations.csv'), Array.from({ length: 20_000 }, (_, i) => innovationRecord(i)));
    writeJsonl(file('replications.jsonl'), Array.from({ length: 8_000 }, (_, i) => replicationRecord(i)));
    const [killed, whole] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    try {
      const args = (kind: string, name: string) => [kind, file(name), '--batch-size', '1000'];
      // Uninterrupted, and killed after its first committed batch then run again to the end, side by side.
      const [wholeInnovations, killedInnovations] = await Promise.all([
        run(whole.url, args('innovations', 'innovations.csv')),
        run(killed.url, args('innovations', 'innovations.csv'), true),
      ]);
      expect([wholeInnovations.code, killedInnovations.code]).toEqual([0, null]);
      const partial = await countRows(killed.url, `select count(*) from innovation where dataset = 'IMPORTED'`);
      expect(partial).toBeGreaterThanOrEqual(1000);
      expect(partial).toBeLessThan(20_000);
      expect((await run(killed.url, args('innovations', 'innovations.csv'))).code).toBe(0);

      const [wholeReplications, killedReplications] = await Promise.all([
        run(whole.url, args('replications', 'replications.jsonl')),
        run(killed.url, args('replications', 'replications.jsonl'), true),
      ]);
      expect([wholeReplications.code, killedReplications.code]).toEqual([0, null]);
      expect(await countRows(killed.url, `select count(*) from replication where dataset = 'IMPORTED'`)).toBeLessThan(8_000);
      expect((await run(killed.url, args('replications', 'replications.jsonl'))).code).toBe(0);

      const [left, right] = await Promise.all([importedState(killed.url), importedState(whole.url)]);
      expect(left).toEqual(right);
      expect(left).toMatchObject({ innovations: 20_000, replications: 8_000 });
    } finally {
      await Promise.all([killed.drop(), whole.drop()]);
    }
  }, 120_000);
});

