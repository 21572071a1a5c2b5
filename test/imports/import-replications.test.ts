// Mutation.importReplications: sources found by registry id, the database's adopter rules checked per row,
// re-runs converge, and hub operators import only adoptions in their own province.
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { importedState } from '../support/import-checksums';
import { asMutationRow, innovationRecord, replicationRecord } from '../support/import-files';
import { VIEWERS } from '../support/viewers';

const IMPORT_INNOVATIONS = `mutation($rows: [InnovationImportRow!]!) { importInnovations(rows: $rows) { inserted failed } }`;
const IMPORT = `mutation($rows: [ReplicationImportRow!]!, $dryRun: Boolean) {
  importReplications(rows: $rows, dryRun: $dryRun) { dryRun received inserted updated unchanged failed errors { line field code } } }`;

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => asMutationRow(replicationRecord(from + i)));

describe('Mutation.importReplications', () => {
  let api: TestApi;
  const importAs = async (viewer: (typeof VIEWERS)[keyof typeof VIEWERS], variables: Record<string, unknown>) =>
    dataOf(await api.run(IMPORT, variables, viewer)).importReplications;

  beforeAll(async () => {
    api = await openTestApi();
    const sources = Array.from({ length: 100 }, (_, i) => asMutationRow(innovationRecord(i)));
    expect(dataOf(await api.run(IMPORT_INNOVATIONS, { rows: sources }, VIEWERS.integration)).importInnovations).toEqual({ inserted: 100, failed: 0 });
  });
  afterAll(() => api.close());

  it('writes the good rows and reports each bad one by line, field and code', async () => {
    const batch = rows(0, 10);
    batch[1] = { ...batch[1], sourceExternalId: 'IGA-9999999' };
    batch[2] = { ...batch[2], adopterScope: 'NATIONAL' }; // but names a regency
    batch[3] = { ...batch[3], adopterRegencyCode: '35.25', facilitatingHubCode: '35' }; // innovation 3 was born in 32.75
    batch[4] = { ...batch[4], adopterRegencyCode: '51.08', facilitatingHubCode: null }; // innovation 4 was born in 51.08
    batch[5] = { ...batch[5], adopterRegencyCode: '73.22', kind: 'SCALING_UP', facilitatingHubCode: '73' }; // at home, allowed
    batch[6] = { ...batch[6], facilitatingHubCode: '11' }; // Aceh has no hub
    batch[7] = { ...batch[7], implementationYear: 2010 };
    batch[8] = { ...batch[8], adopterProvinceCode: '33' }; // its regency is 35.15
    batch[9] = { ...batch[9], status: 'DONE' };
    expect(await importAs(VIEWERS.integration, { rows: batch })).toEqual({
      dryRun: false, received: 10, inserted: 3, updated: 0, unchanged: 0, failed: 7,
      errors: [
        { line: 2, field: 'sourceExternalId', code: 'NOT_FOUND' },
        { line: 3, field: 'adopterScope', code: 'BAD_USER_INPUT' },
        { line: 5, field: 'adopterScope', code: 'BAD_USER_INPUT' },
        { line: 7, field: 'facilitatingHubCode', code: 'NOT_FOUND' },
        { line: 8, field: 'implementationYear', code: 'BAD_USER_INPUT' },
        { line: 9, field: 'adopterRegencyCode', code: 'BAD_USER_INPUT' },
        { line: 10, field: 'status', code: 'BAD_USER_INPUT' },
      ],
    });
    // The database filled in where each source was born, and the hub by its province.
    expect(
      await api.sql(
        `select r.external_id, r.kind, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, h.province_code as hub
           from replication r left join hub h on h.id = r.facilitating_hub_id where r.registry = 'JIPPNAS' order by 1`,
      ),
    ).toEqual([
      { external_id: 'R-0000000', kind: 'REPLICATION', source_regency_code: '35.25', adopter_province_code: '32', adopter_regency_code: '32.75', hub: '32' },
      { external_id: 'R-0000003', kind: 'REPLICATION', source_regency_code: '32.75', adopter_province_code: '35', adopter_regency_code: '35.25', hub: '35' },
      { external_id: 'R-0000005', kind: 'SCALING_UP', source_regency_code: '73.22', adopter_province_code: '73', adopter_regency_code: '73.22', hub: '73' },
    ]);
  });

  it('converges on a re-run: equal rows unchanged, a new status updated with a new version', async () => {
    const batch = rows(20, 10);
    expect(await importAs(VIEWERS.integration, { rows: batch })).toMatchObject({ inserted: 10, failed: 0 });
    const before = await importedState(api.databaseUrl);
    expect(await importAs(VIEWERS.integration, { rows: batch })).toMatchObject({ inserted: 0, updated: 0, unchanged: 10 });
    expect(await importedState(api.databaseUrl)).toEqual(before);
    batch[0] = { ...batch[0], status: 'INSTITUTIONALIZED' };
    expect(await importAs(VIEWERS.integration, { rows: batch })).toMatchObject({ inserted: 0, updated: 1, unchanged: 9 });
    expect(await api.sql(`select status, version from replication where external_id = 'R-0000020'`)).toEqual([{ status: 'INSTITUTIONALIZED', version: 2 }]);
  });

  it('writes nothing in a dry run', async () => {
    const before = await importedState(api.databaseUrl);
    expect(await importAs(VIEWERS.integration, { rows: rows(40, 10), dryRun: true })).toMatchObject({ dryRun: true, inserted: 10, failed: 0 });
    expect(await importedState(api.databaseUrl)).toEqual(before);
  });

  it('lets a hub operator import adoptions in its own province only (of innovations from anywhere)', async () => {
    // Replication i adopts in REGENCIES[(i + 3) % 10]: 35.25 for i = 57, 35.15 for i = 58.
    const batch = [...rows(50, 10), { ...rows(60, 1)[0], adopterScope: 'NATIONAL', adopterRegencyCode: null, facilitatingHubCode: null }];
    const result = await importAs(VIEWERS.jatimOperator, { rows: batch });
    expect(result).toMatchObject({ received: 11, inserted: 2, failed: 9 });
    expect(result.errors.every((e: { code: string; field: string | null }) => e.code === 'FORBIDDEN' && e.field === null)).toBe(true);
    expect(await api.sql(`select external_id from replication where external_id between 'R-0000050' and 'R-0000060' order by 1`)).toEqual([
      { external_id: 'R-0000057' },
      { external_id: 'R-0000058' },
    ]);
  });

  it('refuses callers without an import role', async () => {
    for (const [who, code] of [['public', 'UNAUTHENTICATED'], ['ubb', 'FORBIDDEN']] as const) {
      const result = await api.run(IMPORT, { rows: rows(70, 1) }, VIEWERS[who]);
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual([code]);
    }
  });
});
