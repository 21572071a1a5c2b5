// Bulk import: bad rows reported by line and field while good rows commit, re-runs converge, dry runs
// write nothing, scope is checked per row, and a killed import re-run ends where an uninterrupted one does.
import { spawn } from 'node:child_process';
import { Client } from 'pg';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, dataOf, openTestApi, type TestApi } from '../support/harness';
import { innovationRecord, writeCsv, writeJsonl } from '../support/import-files';
import { VIEWERS } from '../support/viewers';

const IMPORT = `mutation($rows: [InnovationImportRow!]!, $dryRun: Boolean!, $key: String) {
  importInnovations(rows: $rows, dryRun: $dryRun, idempotencyKey: $key) {
    dryRun received inserted updated unchanged failed errors { line field code } replayed } }`;
const CLI = path.join(__dirname, '..', '..', 'dist', 'src', 'modules', 'imports', 'import.cli.js');

const rows = (from: number, count: number): Record<string, unknown>[] =>
  Array.from({ length: count }, (_, i) => {
    const { isDigital, sources, ...rest } = innovationRecord(from + i);
    return { ...rest, isDigital: isDigital === 'true', sources: String(sources).split('|') };
  });

async function digest(api: { sql: TestApi['sql'] }): Promise<string> {
  const [row] = await api.sql<{ d: string }>(
    `select md5(coalesce(string_agg(concat_ws('|', registry, external_id, title, owner_id, province_code, regency_code, launch_year, stage, is_digital, version), ';' order by external_id), '')) as d
     from innovation where dataset = 'IMPORTED'`,
  );
  return row.d;
}

describe('Mutation.importInnovations', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi();
  });
  afterAll(() => api.close());

  it('writes the good rows and reports each bad one by line, field and code', async () => {
    const batch = rows(0, 5);
    batch[1] = { ...batch[1], regencyCode: '99.99' };
    batch[3] = { ...batch[3], launchYear: 1800 };
    const result = await api.run(IMPORT, { rows: batch, dryRun: false }, VIEWERS.integration);
    expect(dataOf(result).importInnovations).toEqual({
      dryRun: false, received: 5, inserted: 3, updated: 0, unchanged: 0, failed: 2, replayed: false,
      errors: [
        { line: 2, field: 'regencyCode', code: 'NOT_FOUND' },
        { line: 4, field: 'launchYear', code: 'BAD_USER_INPUT' },
      ],
    });
  });

  it('converges on a re-run: equal rows unchanged, changed rows updated, no duplicates', async () => {
    const batch = rows(100, 20);
    await api.run(IMPORT, { rows: batch, dryRun: false }, VIEWERS.integration);
    const before = await digest(api);
    const again = dataOf(await api.run(IMPORT, { rows: batch, dryRun: false }, VIEWERS.integration)).importInnovations;
    expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 20]);
    expect(await digest(api)).toBe(before);
    batch[0] = { ...batch[0], title: 'Judul Baru' };
    const changed = dataOf(await api.run(IMPORT, { rows: batch, dryRun: false }, VIEWERS.integration)).importInnovations;
    expect([changed.inserted, changed.updated, changed.unchanged]).toEqual([0, 1, 19]);
    const [{ n }] = await api.sql<{ n: string }>(`select count(*) as n from innovation where external_id like 'IGA-00001%'`);
    expect(Number(n)).toBe(20);
  });

  it('writes nothing in a dry run, but says what would happen', async () => {
    const before = await digest(api);
    const result = dataOf(await api.run(IMPORT, { rows: rows(500, 10), dryRun: true }, VIEWERS.integration)).importInnovations;
    expect([result.dryRun, result.inserted, result.failed]).toEqual([true, 10, 0]);
    expect(await digest(api)).toBe(before);
  });

  it('lets a hub operator import only rows of its own province, row by row', async () => {
    const batch = rows(700, 10); // regencies cycle through ten provinces; one in ten is 35.25, one 35.15
    const result = dataOf(await api.run(IMPORT, { rows: batch, dryRun: false }, VIEWERS.jatimOperator)).importInnovations;
    expect(result.inserted).toBe(2);
    expect(result.errors.filter((e: { code: string }) => e.code === 'FORBIDDEN')).toHaveLength(8);
  });

  it('refuses callers without an import role', async () => {
    for (const [who, code] of [['public', 'UNAUTHENTICATED'], ['untan', 'FORBIDDEN']] as const) {
      const result = await api.run(IMPORT, { rows: rows(900, 1), dryRun: false }, VIEWERS[who]);
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    }
  });

  it('replays a call with the same idempotency key, and audits each batch once', async () => {
    const batch = rows(1000, 3);
    const first = dataOf(await api.run(IMPORT, { rows: batch, dryRun: false, key: 'sync-42' }, VIEWERS.integration)).importInnovations;
    const second = dataOf(await api.run(IMPORT, { rows: batch, dryRun: false, key: 'sync-42' }, VIEWERS.integration)).importInnovations;
    expect(second).toEqual({ ...first, replayed: true });
    const audits = await api.sql<{ action: string; after: { inserted: number } }>(`select action, after from audit_event where idempotency_key = 'sync-42'`);
    expect(audits).toEqual([{ action: 'import.innovations', after: expect.objectContaining({ inserted: 3, received: 3 }) }]);
  });

  it('refuses more than 1000 rows in one call', async () => {
    const result = await api.run(IMPORT, { rows: rows(0, 1001), dryRun: true }, VIEWERS.integration);
    expect(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'rows']]);
  });
});

describe('npm run import', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-import-'));
  const csv = path.join(dir, 'innovations.csv');
  const records = Array.from({ length: 12_000 }, (_, i) => innovationRecord(i));
  writeCsv(csv, records);

  /** Runs the compiled CLI; with killOnProgress it is SIGKILLed as soon as it reports a committed batch. */
  function run(databaseUrl: string, args: string[], killOnProgress = false): Promise<{ code: number | null; stdout: string; stderr: string }> {
    if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: run npm test (it compiles first) or npx tsc -p tsconfig.json`);
    return new Promise((resolve) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: databaseUrl, NODE_ENV: 'production' } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (killOnProgress && /imported \d+\/\d+ rows/.test(stderr)) child.kill('SIGKILL');
      });
      child.on('exit', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('imports a file, reports bad lines with exit code 1, and a killed run re-run ends as an uninterrupted one', async () => {
    const broken = path.join(dir, 'broken.jsonl');
    writeJsonl(broken, [innovationRecord(1), { ...innovationRecord(2), regencyCode: 'x' }, 'not json' as unknown as object]);
    fs.appendFileSync(broken, '{not json\n');
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    const count = async (url: string) => {
      const client = new Client({ connectionString: url });
      await client.connect();
      const result = await client.query(`select count(*)::int as n from innovation where dataset = 'IMPORTED'`);
      await client.end();
      return result.rows[0] as { n: number };
    };
    try {
      const bad = await run(a.url, ['innovations', broken, '--json']);
      expect(bad.code).toBe(1);
      const report = JSON.parse(bad.stdout);
      expect(report.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual([[2, 'BAD_USER_INPUT'], [3, 'BAD_USER_INPUT'], [4, 'BAD_USER_INPUT']]);

      const whole = await run(b.url, ['innovations', csv, '--batch-size', '500']);
      expect(whole.code).toBe(0);
      // Killed mid-way (some batches committed), then run again to the end.
      const killed = await run(a.url, ['innovations', csv, '--batch-size', '500'], true);
      expect(killed.code).toBeNull(); // killed, not finished
      const partial = await count(a.url);
      expect(partial.n).toBeGreaterThanOrEqual(500);
      expect(partial.n).toBeLessThan(records.length - 1);
      const rerun = await run(a.url, ['innovations', csv, '--batch-size', '500']);
      expect(rerun.code).toBe(0);
      const countLater = async (url: string) => {
        const client = new Client({ connectionString: url });
        await client.connect();
        const digestRow = await client.query(
          `select count(*)::int as n, md5(string_agg(concat_ws('|', registry, external_id, title, province_code, regency_code, launch_year, stage, is_digital), ';' order by external_id)) as d
           from innovation where dataset = 'IMPORTED' and external_id like 'IGA-%' and external_id <> 'IGA-0000001'`,
        );
        await client.end();
        return digestRow.rows[0];
      };
      const [left, right] = [await countLater(a.url), await countLater(b.url)];
      expect(left.n).toBe(records.length - 1);
      expect(left).toEqual(right);
    } finally {
      await a.drop();
      await b.drop();
    }
  }, 120_000);
});
