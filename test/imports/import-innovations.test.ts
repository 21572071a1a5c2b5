// Mutation.importInnovations: bad rows reported by line, field and code while good rows commit, re-runs
// converge, dry runs write nothing, scope is checked per row (also against the stored row), idempotency
// keys replay, and every call leaves one audit record.
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { importedState } from '../support/import-checksums';
import { asMutationRow, innovationRecord } from '../support/import-files';
import { VIEWERS } from '../support/viewers';

const IMPORT = `mutation($rows: [InnovationImportRow!]!, $dryRun: Boolean, $key: String) {
  importInnovations(rows: $rows, dryRun: $dryRun, idempotencyKey: $key) {
    dryRun received inserted updated unchanged failed errors { line field code } replayed } }`;

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => asMutationRow(innovationRecord(from + i)));

describe('Mutation.importInnovations', () => {
  let api: TestApi;
  const importAs = async (viewer: (typeof VIEWERS)[keyof typeof VIEWERS], variables: Record<string, unknown>) =>
    dataOf(await api.run(IMPORT, variables, viewer)).importInnovations;
  const stored = (externalId: string) =>
    api.sql<{ title: string; version: number; updated_at: Date; province_code: string; dataset: string }>(
      'select title, version, updated_at, province_code, dataset from innovation where external_id = ?',
      [externalId],
    );

  beforeAll(async () => {
    api = await openTestApi();
  });
  afterAll(() => api.close());

  it('writes the good rows and reports each bad one by line, field and code', async () => {
    const batch = rows(0, 7);
    batch[1] = { ...batch[1], regencyCode: '99.99' };
    batch[2] = { ...batch[2], owner: 'Pemerintah Kota Semarang' };
    batch[3] = { ...batch[3], launchYear: 1800 };
    batch[4] = { ...batch[4], title: 'Judul\u0000Rusak' };
    batch[5] = { ...batch[5], provinceCode: '33' }; // its regency is 51.08
    batch[6] = { ...batch[0], title: 'Kembar' }; // the key of line 1 again
    expect(await importAs(VIEWERS.integration, { rows: batch })).toEqual({
      dryRun: false, received: 7, inserted: 2, updated: 0, unchanged: 0, failed: 5, replayed: false,
      errors: [
        { line: 2, field: 'regencyCode', code: 'NOT_FOUND' },
        { line: 4, field: 'launchYear', code: 'BAD_USER_INPUT' },
        { line: 5, field: 'title', code: 'BAD_USER_INPUT' },
        { line: 6, field: 'regencyCode', code: 'BAD_USER_INPUT' },
        { line: 7, field: 'externalId', code: 'CONFLICT' },
      ],
    });
    const written = await api.sql<{ external_id: string; title: string; owner: string; kind: string }>(
      `select i.external_id, i.title, o.name as owner, o.kind from innovation i join institution o on o.id = i.owner_id
        where i.external_id like 'IGA-000000%' order by 1`,
    );
    expect(written).toEqual([
      { external_id: 'IGA-0000000', title: 'Inovasi Impor 0', owner: 'Pemerintah Uji Impor 35.25', kind: 'OTHER' },
      { external_id: 'IGA-0000002', title: 'Inovasi Impor 2', owner: 'Pemerintah Kota Semarang', kind: 'CITY_GOVERNMENT' },
    ]);
  });

  it('keeps a report whose errors echo a NUL character, and replays it for the same idempotency key', async () => {
    const ECHOED = `mutation($rows: [InnovationImportRow!]!, $key: String) {
      importInnovations(rows: $rows, idempotencyKey: $key) { inserted failed errors { line field code value } replayed } }`;
    const batch = rows(50, 2);
    batch[1] = { ...batch[1], regencyCode: '35.2\u0000' };
    const first = dataOf(await api.run(ECHOED, { rows: batch, key: 'nul-echo' }, VIEWERS.integration)).importInnovations;
    // Shown as the six characters \u0000: PostgreSQL stores no NUL, in a text or in a kept report.
    const errors = [{ line: 2, field: 'regencyCode', code: 'BAD_USER_INPUT', value: '35.2\\u0000' }];
    expect(first).toEqual({ inserted: 1, failed: 1, errors, replayed: false });
    expect(dataOf(await api.run(ECHOED, { rows: batch, key: 'nul-echo' }, VIEWERS.integration)).importInnovations).toEqual({ ...first, replayed: true });
  });

  it('converges on a re-run: equal rows unchanged (no new version), changed rows updated, no duplicates', async () => {
    const batch = rows(100, 20);
    expect(await importAs(VIEWERS.integration, { rows: batch })).toMatchObject({ inserted: 20, updated: 0, unchanged: 0 });
    const before = await importedState(api.databaseUrl);
    const [first] = await stored('IGA-0000100');
    expect(await importAs(VIEWERS.integration, { rows: batch })).toMatchObject({ inserted: 0, updated: 0, unchanged: 20, failed: 0 });
    expect(await importedState(api.databaseUrl)).toEqual(before);
    expect(await stored('IGA-0000100')).toEqual([first]);

    batch[0] = { ...batch[0], title: 'Judul Baru' };
    expect(await importAs(VIEWERS.integration, { rows: batch })).toMatchObject({ inserted: 0, updated: 1, unchanged: 19 });
    expect(await stored('IGA-0000100')).toEqual([expect.objectContaining({ title: 'Judul Baru', version: 2 })]);
    const [{ n }] = await api.sql<{ n: string }>(`select count(*) as n from innovation where external_id between 'IGA-0000100' and 'IGA-0000119'`);
    expect(Number(n)).toBe(20);
  });

  it('writes nothing in a dry run, not even an audit record or a new owner, but says what would happen', async () => {
    const before = await importedState(api.databaseUrl);
    const batch = [...rows(500, 9), { ...rows(509, 1)[0], owner: 'Dinas Baru Kota Uji' }];
    expect(await importAs(VIEWERS.integration, { rows: batch, dryRun: true })).toMatchObject({ dryRun: true, inserted: 10, failed: 0 });
    expect(await importedState(api.databaseUrl)).toEqual(before);
    expect(await api.sql(`select 1 from audit_event where (after->>'dryRun')::boolean`)).toEqual([]);
  });

  it('refuses rows that would change curated or synthetic records (CONFLICT)', async () => {
    await api.sql(`update innovation set registry = 'KIPP', external_id = 'KIPP-REF-1' where id = (select min(id) from innovation where dataset = 'REFERENCE')`);
    const [reference] = await api.sql<{ title: string }>(`select title from innovation where external_id = 'KIPP-REF-1'`);
    const row = { ...rows(600, 1)[0], registry: 'KIPP', externalId: 'KIPP-REF-1' };
    const result = await importAs(VIEWERS.ministry, { rows: [row] });
    expect(result).toMatchObject({ inserted: 0, updated: 0, failed: 1, errors: [{ line: 1, field: 'externalId', code: 'CONFLICT' }] });
    expect(await api.sql(`select title, dataset from innovation where external_id = 'KIPP-REF-1'`)).toEqual([{ title: reference.title, dataset: 'REFERENCE' }]);
  });

  it('lets a hub operator import only rows of its own province, row by row', async () => {
    const batch = [...rows(700, 10), { ...rows(710, 1)[0], regencyCode: null }]; // ten provinces, then a national row
    const result = await importAs(VIEWERS.jatimOperator, { rows: batch });
    expect(result).toMatchObject({ received: 11, inserted: 2, failed: 9 });
    expect(result.errors.map((e: { line: number; code: string }) => [e.line, e.code])).toEqual(
      [3, 4, 5, 6, 7, 8, 9, 10, 11].map((line) => [line, 'FORBIDDEN']),
    );
    expect(await api.sql(`select external_id from innovation where external_id between 'IGA-0000700' and 'IGA-0000710' order by 1`)).toEqual([
      { external_id: 'IGA-0000700' },
      { external_id: 'IGA-0000701' },
    ]);
  });

  it('does not let a hub operator take over a record stored in another province by moving it', async () => {
    await importAs(VIEWERS.integration, { rows: rows(802, 1) }); // stored in 33.74
    const moved = { ...rows(802, 1)[0], regencyCode: '35.25', title: 'Diambil Alih' };
    const result = await importAs(VIEWERS.jatimOperator, { rows: [moved] });
    expect(result).toMatchObject({ updated: 0, failed: 1, errors: [{ line: 1, field: 'externalId', code: 'FORBIDDEN' }] });
    expect(await stored('IGA-0000802')).toEqual([expect.objectContaining({ title: 'Inovasi Impor 802', province_code: '33', version: 1 })]);
  });

  it('refuses callers without an import role', async () => {
    for (const [who, code] of [['public', 'UNAUTHENTICATED'], ['untan', 'FORBIDDEN']] as const) {
      const result = await api.run(IMPORT, { rows: rows(900, 1) }, VIEWERS[who]);
      expect(result.body).toEqual({ data: { importInnovations: null }, errors: [expect.objectContaining({ extensions: expect.objectContaining({ code }) })] });
    }
    expect(await stored('IGA-0000900')).toEqual([]);
  });

  it('replays a call with the same idempotency key, refuses the key with other rows, and audits the call once', async () => {
    const batch = rows(1000, 3);
    const first = await importAs(VIEWERS.integration, { rows: batch, key: 'sync-42' });
    const second = await importAs(VIEWERS.integration, { rows: batch, key: 'sync-42' });
    expect(second).toEqual({ ...first, replayed: true });
    const other = await api.run(IMPORT, { rows: rows(1003, 1), key: 'sync-42' }, VIEWERS.integration);
    expect(other.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['CONFLICT', 'idempotencyKey']]);
    const audits = await api.sql(
      `select role, api_key_id, actor, action, entity_type, request_id is not null as has_request_id, after from audit_event where idempotency_key = 'sync-42'`,
    );
    expect(audits).toEqual([
      {
        role: 'INTEGRATION',
        api_key_id: 2,
        actor: 'integration-2',
        action: 'import.innovations',
        entity_type: 'Innovation',
        has_request_id: true,
        after: { received: 3, inserted: 3, updated: 0, unchanged: 0, failed: 0, dryRun: false, firstLine: 1, lastLine: 3 },
      },
    ]);
  });

  it('lets two concurrent imports of the same new rows both succeed, with one copy of each row', async () => {
    const batch = rows(1100, 50);
    const results = await Promise.all([importAs(VIEWERS.integration, { rows: batch }), importAs(VIEWERS.ministry, { rows: batch })]);
    expect(results.map((r) => r.inserted).sort()).toEqual([0, 50]);
    expect(results.map((r) => r.unchanged).sort()).toEqual([0, 50]);
    const [{ n }] = await api.sql<{ n: string }>(`select count(*) as n from innovation where external_id between 'IGA-0001100' and 'IGA-0001149'`);
    expect(Number(n)).toBe(50);
  });

  it('refuses more than 1000 rows in one call', async () => {
    const result = await api.run(IMPORT, { rows: rows(0, 1001), dryRun: true }, VIEWERS.integration);
    expect(result.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['BAD_USER_INPUT', 'rows']]);
  });
});
