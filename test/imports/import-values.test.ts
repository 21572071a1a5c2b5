// Imports through GraphQL never lose a row to one bad value: every field of every row is taken by the
// schema (ImportValue) and checked per row, so a malformed value is that row's coded error, with its value
// and its line in the client's file (firstLine), and the other rows are imported. The error list is whole.
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { asMutationRow, innovationRecord, replicationRecord } from '../support/import-files';
import { VIEWERS } from '../support/viewers';

const IMPORT = `mutation($rows: [InnovationImportRow!]!, $firstLine: Int) {
  importInnovations(rows: $rows, firstLine: $firstLine) {
    received inserted failed errors { line index field code message value } } }`;

const row = (i: number) => asMutationRow(innovationRecord(40_000 + i));

describe('import rows checked per row', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await openTestApi();
  });
  afterAll(() => api.close());

  it('reports malformed values of any type as row errors with the value and the file line, importing the rest', async () => {
    const rows = [
      row(0),
      { ...row(1), launchYear: '20x5' },
      { ...row(2), launchYear: '2015', isDigital: 'true' }, // digits as text are fine
      { ...row(3), registry: 5, isDigital: 'maybe', sources: ['https://a.example', 7] },
      { ...row(4), title: undefined, launchYear: { year: 2015 } },
      { ...row(5), launchYear: 2015.5, stage: 'SELESAI' },
      { ...row(6), launchYear: '0x7DF' },
    ];
    const result = await api.run(IMPORT, { rows, firstLine: 2 }, VIEWERS.integration);
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      data: {
        importInnovations: {
          received: 7,
          inserted: 2,
          failed: 5,
          errors: [
            { line: 3, index: 1, field: 'launchYear', code: 'BAD_USER_INPUT', message: 'launchYear must be a whole number from 1945 to 2100.', value: '20x5' },
            { line: 5, index: 3, field: 'registry', code: 'BAD_USER_INPUT', message: expect.stringMatching(/^registry/), value: '5' },
            { line: 5, index: 3, field: 'isDigital', code: 'BAD_USER_INPUT', message: expect.stringMatching(/^isDigital/), value: 'maybe' },
            { line: 5, index: 3, field: 'sources.1', code: 'BAD_USER_INPUT', message: expect.stringMatching(/^sources\.1/), value: '["https://a.example",7]' },
            { line: 6, index: 4, field: 'title', code: 'BAD_USER_INPUT', message: 'title is required.', value: null },
            { line: 6, index: 4, field: 'launchYear', code: 'BAD_USER_INPUT', message: 'launchYear must be a whole number from 1945 to 2100.', value: '{"year":2015}' },
            { line: 7, index: 5, field: 'launchYear', code: 'BAD_USER_INPUT', message: 'launchYear must be a whole number from 1945 to 2100.', value: '2015.5' },
            { line: 7, index: 5, field: 'stage', code: 'BAD_USER_INPUT', message: expect.stringMatching(/^stage/), value: 'SELESAI' },
            { line: 8, index: 6, field: 'launchYear', code: 'BAD_USER_INPUT', message: 'launchYear must be a whole number from 1945 to 2100.', value: '0x7DF' },
          ],
        },
      },
    });
    expect(await api.sql(`select external_id, launch_year from innovation where external_id in ('IGA-0040000', 'IGA-0040002') order by 1`)).toEqual([
      { external_id: 'IGA-0040000', launch_year: 2015 },
      { external_id: 'IGA-0040002', launch_year: 2015 },
    ]);
  });

  it('takes malformed values written in the query text too, per row', async () => {
    const query = `mutation { importReplications(rows: [
      { registry: "JIPPNAS", externalId: "R-X1", sourceRegistry: "IGA", sourceExternalId: "IGA-0040000", adopterScope: "REGENCY",
        adopterRegencyCode: "35.15", kind: "REPLICATION", year: "20x5", sources: "https://jippnas.example/r" }
      { registry: "JIPPNAS", externalId: "R-X2", sourceRegistry: "IGA", sourceExternalId: "IGA-0040000", adopterScope: "REGENCY",
        adopterRegencyCode: "35.15", kind: "REPLICATION", year: 2024, sources: ["https://jippnas.example/r"] }
    ]) { received inserted failed errors { line field code value } } }`;
    expect((await api.run(query, {}, VIEWERS.integration)).body).toEqual({
      data: { importReplications: { received: 2, inserted: 1, failed: 1, errors: [{ line: 1, field: 'year', code: 'BAD_USER_INPUT', value: '20x5' }] } },
    });
  });

  it('echoes the value of a row refused by the database checks too', async () => {
    const result = await api.run(IMPORT, { rows: [{ ...row(10), regencyCode: '99.99' }] }, VIEWERS.integration);
    expect(dataOf(result).importInnovations.errors).toEqual([
      { line: 1, index: 0, field: 'regencyCode', code: 'NOT_FOUND', message: 'There is no regency 99.99.', value: '99.99' },
    ]);
  });

  it('lists every error of a full call, none left out', async () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ ...row(100 + i), launchYear: 'x', stage: 'y' }));
    const report = dataOf(await api.run(IMPORT, { rows }, VIEWERS.integration)).importInnovations;
    expect({ ...report, errors: report.errors.length }).toEqual({ received: 1000, inserted: 0, failed: 1000, errors: 2000 });
    expect(report.errors.at(-1)).toMatchObject({ line: 1000, index: 999, field: 'stage', value: 'y' });
  });

  it('refuses a firstLine that is not a line', async () => {
    const result = await api.run(IMPORT, { rows: [row(20)], firstLine: 0 }, VIEWERS.integration);
    expect(result.body).toEqual({
      data: { importInnovations: null },
      errors: [expect.objectContaining({ path: ['importInnovations'], extensions: { code: 'BAD_USER_INPUT', argument: 'firstLine' } })],
    });
    expect(await api.sql(`select 1 from innovation where external_id = 'IGA-0040020'`)).toEqual([]);
  });

  it('keeps replication rows typed as before working (numbers, lists)', async () => {
    const replication = { ...asMutationRow(replicationRecord(0)), sourceExternalId: 'IGA-0040000' };
    const result = await api.run(
      `mutation($rows: [ReplicationImportRow!]!) { importReplications(rows: $rows) { inserted failed errors { field } } }`,
      { rows: [replication] },
      VIEWERS.integration,
    );
    expect(result.body).toEqual({ data: { importReplications: { inserted: 1, failed: 0, errors: [] } } });
  });
});
