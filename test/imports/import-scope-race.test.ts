// Scope inside the statement that writes: two hub operators import the same external ids at the same time.
// Whoever inserts a key first owns it; the other's row for that key is refused (FORBIDDEN), also when its
// own look at the stored rows ran before the first importer committed. No row ends outside the province of
// the importer that wrote it.
import type { Viewer } from '../../src/auth/viewer';
import { createImporter, type ImportReport } from '../../src/modules/imports/import-engine';
import type { ImportKind } from '../../src/modules/imports/import-rows';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { asMutationRow, innovationRecord } from '../support/import-files';
import { untilBlocked } from '../support/locks';
import { VIEWERS } from '../support/viewers';

const IMPORT_INNOVATIONS = `mutation($rows: [InnovationImportRow!]!) {
  importInnovations(rows: $rows) { received inserted updated unchanged failed errors { line field code } } }`;
const IMPORT_REPLICATIONS = `mutation($rows: [ReplicationImportRow!]!) {
  importReplications(rows: $rows) { received inserted updated unchanged failed errors { line field code } } }`;

const KEYS = 25;
const TRIALS = [1, 2, 3, 4];

let api: TestApi;

beforeAll(async () => {
  api = await openTestApi();
  // Sources for the replication rows: IGA-0000000 .. IGA-0000009.
  const sources = Array.from({ length: 10 }, (_, i) => asMutationRow(innovationRecord(i)));
  expect(dataOf(await api.run(IMPORT_INNOVATIONS, { rows: sources }, VIEWERS.integration)).importInnovations).toMatchObject({ inserted: 10, failed: 0 });
});
afterAll(() => api.close());

const WRITERS = [
  { viewer: VIEWERS.jatengOperator, province: '33', regency: '33.74' },
  { viewer: VIEWERS.jatimOperator, province: '35', regency: '35.25' },
] as const;
type Writer = (typeof WRITERS)[number];

const keys = (prefix: string) => Array.from({ length: KEYS }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);

const innovationRows = (ids: string[], w: Writer) =>
  ids.map((externalId) => ({
    registry: 'KIPP',
    externalId,
    title: `Rebutan ${externalId} ${w.province}`,
    owner: `Pemerintah Uji Rebutan ${w.regency}`,
    regencyCode: w.regency,
    sources: ['https://example.org/rebutan'],
  }));

const replicationRows = (ids: string[], w: Writer) =>
  ids.map((externalId, i) => ({
    registry: 'JIPPNAS',
    externalId,
    sourceRegistry: 'IGA',
    sourceExternalId: `IGA-${String(i % 10).padStart(7, '0')}`,
    adopterScope: 'PROVINCE',
    adopterProvinceCode: w.province,
    kind: 'REPLICATION',
    year: 2025,
    sources: ['https://example.org/rebutan'],
  }));

/** Where each key is stored now, and at which version. */
async function stored(table: 'innovation' | 'replication', ids: string[]) {
  const column = table === 'innovation' ? 'province_code' : 'adopter_province_code';
  const rows = await api.sql<{ external_id: string; province: string; version: number }>(
    `select external_id, ${column} as province, version from ${table} where external_id = any(?::text[]) order by external_id`,
    [`{${ids.join(',')}}`],
  );
  return rows;
}

/** An import through the engine in a transaction the test commits when it says so. */
function heldImport(kind: ImportKind, viewer: Viewer, rows: object[]) {
  const importer = createImporter(kind, { viewer, requestId: 'held-import' }, { dryRun: false });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let wrote!: () => void;
  const written = new Promise<void>((resolve) => (wrote = resolve));
  const done = api.orm.em.fork().transactional(async (tx) => {
    await importer.processBatch(tx, rows.map((record, i) => ({ line: i + 1, record })));
    wrote();
    await gate;
  });
  return {
    written: Promise.race([written, done]),
    commit: async (): Promise<ImportReport> => {
      release();
      await done;
      return importer.report;
    },
  };
}

const forbiddenRows = (count: number) => Array.from({ length: count }, (_, i) => ({ line: i + 1, field: 'externalId', code: 'FORBIDDEN' }));

describe.each([
  ['innovations', 'innovation', IMPORT_INNOVATIONS, 'importInnovations', innovationRows],
  ['replications', 'replication', IMPORT_REPLICATIONS, 'importReplications', replicationRows],
] as const)('importing %s', (kind, table, document, field, rowsOf) => {
  it('refuses keys another province inserted and has not committed yet, once it has', async () => {
    const ids = keys(`HELD-${kind}`);
    const [jateng, jatim] = WRITERS;
    const first = heldImport(kind, jateng.viewer, rowsOf(ids, jateng));
    await first.written;
    const second = api.run(document, { rows: rowsOf(ids, jatim) }, jatim.viewer);
    // The second importer saw no stored rows (the first has not committed) and now waits on the unique index.
    await untilBlocked(api, second);
    expect(await first.commit()).toMatchObject({ inserted: KEYS, updated: 0, failed: 0 });
    expect(dataOf(await second)[field]).toEqual({ received: KEYS, inserted: 0, updated: 0, unchanged: 0, failed: KEYS, errors: forbiddenRows(KEYS) });
    expect(await stored(table, ids)).toEqual(ids.map((external_id) => ({ external_id, province: jateng.province, version: 1 })));
  });

  it.each(TRIALS)('trial %i: two provinces racing on the same keys each keep what they inserted, and nothing else', async (trial) => {
    const ids = keys(`RACE-${kind}-${trial}`);
    const order = trial % 2 === 0 ? WRITERS : ([WRITERS[1], WRITERS[0]] as const);
    const reports = await Promise.all(order.map(async (w) => ({ w, report: dataOf(await api.run(document, { rows: rowsOf(ids, w) }, w.viewer))[field] })));
    const insertedBy = new Map<string, string>();
    for (const { w, report } of reports) {
      const refused = new Set<number>(report.errors.map((e: { line: number }) => e.line));
      expect(report.errors).toEqual(forbiddenRows(KEYS).filter((e) => refused.has(e.line)));
      expect(report).toMatchObject({ received: KEYS, inserted: KEYS - refused.size, updated: 0, unchanged: 0, failed: refused.size });
      ids.forEach((id, i) => !refused.has(i + 1) && insertedBy.set(id, w.province));
    }
    expect([insertedBy.size, reports.reduce((sum, { report }) => sum + report.inserted, 0)]).toEqual([KEYS, KEYS]);
    expect(await stored(table, ids)).toEqual(ids.map((external_id) => ({ external_id, province: insertedBy.get(external_id), version: 1 })));
  });
});
