// An import that loses a deadlock to a concurrent writer on the rollup rows is rolled back by PostgreSQL
// and run again: the caller sees one clean report, nothing doubled, and the rollups stay exact.
import { Client } from 'pg';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { asMutationRow, innovationRecord } from '../support/import-files';
import { VIEWERS } from '../support/viewers';
import { createImporter } from '../../src/modules/imports/import-engine';
import { importBatch } from '../../src/modules/imports/import-run';

/** A mutation row as a file would hold it: every value a string, lists joined by |. */
const fileRecord = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Array.isArray(v) ? v.join('|') : String(v)]));

const IMPORT = `mutation($rows: [InnovationImportRow!]!) {
  importInnovations(rows: $rows) { received inserted updated unchanged failed errors { line field code } replayed } }`;

describe('an import that loses a deadlock', () => {
  let api: TestApi;
  let other: Client;

  beforeAll(async () => {
    api = await openTestApi();
    other = new Client({ connectionString: api.databaseUrl, application_name: 'concurrent-writer' });
    await other.connect();
  });
  afterAll(async () => {
    await other.end();
    await api.close();
  });

  const deadlocks = async () =>
    (await api.sql<{ n: number }>('select deadlocks::int as n from pg_stat_database where datname = current_database()'))[0].n;

  async function waitForBlockedImport() {
    for (let i = 0; i < 100; i += 1) {
      const blocked = await api.sql(
        "select 1 from pg_stat_activity where application_name = 'jipp-api' and wait_event_type = 'Lock' and datname = current_database()",
      );
      if (blocked.length) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the import never waited on the concurrent writer');
  }

  /**
   * Runs an import of one Aceh and one Gresik row while another transaction writes the same two rollup keys
   * in the opposite order; returns the import's report once both are done.
   */
  async function collide(base: number, startImport: (rows: Record<string, unknown>[]) => Promise<unknown>) {
    // Rollup keys are locked in key order, so the import takes Aceh's first, then waits for Gresik's, which
    // the other writer holds.
    const aceh: Record<string, unknown> = { ...asMutationRow(innovationRecord(base)), regencyCode: '11.01', launchYear: 2019 };
    const gresik: Record<string, unknown> = { ...asMutationRow(innovationRecord(base + 1)), regencyCode: '35.25', launchYear: 2020 };
    const [{ id: owner }] = await api.sql<{ id: number }>('select id from institution order by id limit 1');
    const insert = (regency: string, year: number, title: string) =>
      other.query(
        `insert into innovation (title, owner_id, province_code, regency_code, launch_year, dataset, confidence, sources)
         values ($1, $2, left($3, 2), $3, $4, 'IMPORTED', 'REPORTED', '{test}')`,
        [title, owner, regency, year],
      );
    await other.query('begin');
    await insert('35.25', 2020, `Concurrent Gresik ${base}`);
    const imported = startImport([aceh, gresik]);
    await waitForBlockedImport();
    // Now the other writer wants Aceh's key, which the import holds: a cycle. The import waited first, so
    // PostgreSQL's deadlock check (after deadlock_timeout) picks it as the victim and rolls it back.
    await insert('11.01', 2019, `Concurrent Aceh ${base}`);
    await other.query('commit');
    const report = await imported;
    const titles = (await api.sql<{ title: string }>(`select title from innovation where title like '% ${base}' or title like '% ${base + 1}' order by title`)).map(
      (r) => r.title,
    );
    expect(titles).toEqual([`Concurrent Aceh ${base}`, `Concurrent Gresik ${base}`, String(aceh.title), String(gresik.title)].sort());
    return report;
  }

  async function expectRollupExact() {
    const drift = await api.sql(
      `select r.province_code, r.regency_code, r.launch_year, r.dataset from innovation_rollup r
        where r.innovations <> (select count(*) from innovation i where i.province_code is not distinct from r.province_code
          and i.regency_code is not distinct from r.regency_code and i.launch_year is not distinct from r.launch_year and i.dataset = r.dataset
          and i.has_award = r.has_award)
       union all
       select province_code, regency_code, launch_year, dataset from innovation i
        where not exists (select 1 from innovation_rollup r where r.province_code is not distinct from i.province_code
          and r.regency_code is not distinct from i.regency_code and r.launch_year is not distinct from i.launch_year and r.dataset = i.dataset
          and r.has_award = i.has_award)`,
    );
    expect(drift).toEqual([]);
  }

  it('through the mutation: is retried and reports each row once, with one audit record and exact rollups', async () => {
    const before = await deadlocks();
    const report = await collide(9001, (rows) => api.run(IMPORT, { rows }, VIEWERS.integration).then((r) => dataOf(r).importInnovations));
    expect(report).toEqual({ received: 2, inserted: 2, updated: 0, unchanged: 0, failed: 0, errors: [], replayed: false });
    expect(await deadlocks()).toBeGreaterThan(before);
    const audits = await api.sql<{ n: number }>(`select count(*)::int as n from audit_event where action = 'import.innovations'`);
    expect(audits).toEqual([{ n: 1 }]);
    await expectRollupExact();
  });

  it('in a file import (npm run import): the batch is re-run from a clean importer state', async () => {
    const before = await deadlocks();
    const importer = createImporter('innovations', { viewer: VIEWERS.integration, requestId: 'deadlock-test', tool: 'test' }, { dryRun: false });
    const report = await collide(9101, async (rows) => {
      await importBatch(api.orm.em.fork(), importer, rows.map((record, i) => ({ line: i + 2, record: fileRecord(record) })));
      return importer.report;
    });
    expect(report).toEqual({ kind: 'innovations', dryRun: false, received: 2, inserted: 2, updated: 0, unchanged: 0, failed: 0, errors: [], errorCount: 0, errorsTruncated: false });
    expect(await deadlocks()).toBeGreaterThan(before);
    await expectRollupExact();
  });
});
