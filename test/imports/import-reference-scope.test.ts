// What an import row may point at: every reference field of both imports, for every role that may import,
// with a target inside the caller's scope and one outside it (docs/authorization.md is the table this runs).
// Everything else in each row is valid and in scope, so the report's verdict is the reference's alone; a
// refused row leaves every table as it was (but for the batch's audit record).
import fs from 'node:fs';
import path from 'node:path';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { VIEWERS, type ViewerName } from '../support/viewers';
import { dbId, Fixtures } from '../support/writes';

let api: TestApi;
let fx: Fixtures;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
});
afterAll(() => api.close());

type Outcome = { writes: 'inserted' | 'updated' } | { row: [string | null, string] };
const INSERTED: Outcome = { writes: 'inserted' };
const UPDATED: Outcome = { writes: 'updated' };
const rowError = (field: string | null, code = 'FORBIDDEN'): Outcome => ({ row: [field, code] });

interface Case {
  kind: 'importInnovations' | 'importReplications';
  field: string;
  target: string;
  /** One fresh row, and the stored row it would change, if any. */
  row: () => Promise<{ row: Record<string, unknown>; stored?: { table: string; id: string } }>;
  expected: Partial<Record<ViewerName, Outcome>>;
}

const SOURCES = ['https://example.org/impor-rujukan'];
let counter = 0;
const fresh = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${(counter += 1)}`;
/** Operators: jatimOperator (35). Integrations and the ministry import anywhere. */
const ALL = (operator: Outcome, others: Outcome = operator) => ({ jatimOperator: operator, integration: others, ministry: others });

/** Gives a stored record a registry key, so an import row can name it. */
async function keyed(table: 'innovation' | 'replication', id: string, registry: string): Promise<string> {
  const externalId = fresh('TERSIMPAN');
  await api.sql(`update ${table} set registry = ?, external_id = ? where id = ?`, [registry, externalId, dbId(id)]);
  return externalId;
}

const innovationRow = (change: () => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})) => async () => ({
  row: { registry: 'KIPP', externalId: fresh('KIPP'), title: `Impor Rujukan ${counter}`, owner: 'Pemerintah Kabupaten Gresik', regencyCode: '35.25', sources: SOURCES, ...(await change()) },
});

const storedInnovation = (options: { regencyCode: string; dataset?: string }) => async () => {
  const id = await fx.innovation(options);
  const { row } = await innovationRow()();
  return { row: { ...row, externalId: await keyed('innovation', id, 'KIPP') }, stored: { table: 'innovation', id } };
};

/** A source innovation that rows can name by its registry key. */
async function source(options: { regencyCode: string; dataset?: string } = { regencyCode: '33.26' }) {
  return { sourceRegistry: 'IGA', sourceExternalId: await keyed('innovation', await fx.innovation(options), 'IGA') };
}

const replicationRow = (change: () => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})) => async () => ({
  row: {
    registry: 'JIPPNAS',
    externalId: fresh('R'),
    ...(await source()),
    adopterScope: 'REGENCY',
    adopterRegencyCode: '35.15',
    kind: 'REPLICATION',
    year: 2025,
    sources: SOURCES,
    ...(await change()),
  },
});

const storedReplication = (options: { regencyCode: string; dataset?: string }) => async () => {
  const id = await fx.replication(await fx.innovation({ regencyCode: '51.08' }), options);
  const { row } = await replicationRow()();
  return { row: { ...row, externalId: await keyed('replication', id, 'JIPPNAS') }, stored: { table: 'replication', id } };
};

const CASES: Case[] = [
  { kind: 'importInnovations', field: 'region', target: 'a regency of 35', row: innovationRow(), expected: ALL(INSERTED) },
  { kind: 'importInnovations', field: 'region', target: 'a regency of 33', row: innovationRow(() => ({ regencyCode: '33.26', owner: `Dinas Uji ${counter}` })), expected: ALL(rowError(null), INSERTED) },
  { kind: 'importInnovations', field: 'region', target: 'none (national)', row: innovationRow(() => ({ regencyCode: null, owner: 'Kementerian Kesehatan' })), expected: ALL(rowError(null), INSERTED) },
  { kind: 'importInnovations', field: 'externalId', target: 'a key stored as IMPORTED in 35', row: storedInnovation({ regencyCode: '35.25' }), expected: ALL(UPDATED) },
  { kind: 'importInnovations', field: 'externalId', target: 'a key stored as IMPORTED in 33', row: storedInnovation({ regencyCode: '33.26' }), expected: ALL(rowError('externalId'), UPDATED) },
  { kind: 'importInnovations', field: 'externalId', target: 'a key stored as REFERENCE in 35', row: storedInnovation({ regencyCode: '35.25', dataset: 'REFERENCE' }), expected: ALL(rowError('externalId', 'CONFLICT')) },
  { kind: 'importInnovations', field: 'externalId', target: 'a key stored as DEMO in 35', row: storedInnovation({ regencyCode: '35.25', dataset: 'DEMO' }), expected: ALL(rowError('externalId', 'CONFLICT')) },
  { kind: 'importInnovations', field: 'owner', target: 'an institution of 35', row: innovationRow(), expected: ALL(INSERTED) },
  { kind: 'importInnovations', field: 'owner', target: 'an institution of 33', row: innovationRow(() => ({ owner: 'Pemerintah Kabupaten Pekalongan' })), expected: ALL(rowError('owner'), INSERTED) },
  { kind: 'importInnovations', field: 'owner', target: 'a national institution', row: innovationRow(() => ({ owner: 'Kementerian Kesehatan' })), expected: ALL(rowError('owner'), INSERTED) },
  { kind: 'importInnovations', field: 'owner', target: 'a new name (created in 35.25)', row: innovationRow(() => ({ owner: fresh('Dinas Impor Baru') })), expected: ALL(INSERTED) },

  { kind: 'importReplications', field: 'adopter', target: 'a regency of 35', row: replicationRow(), expected: ALL(INSERTED) },
  { kind: 'importReplications', field: 'adopter', target: 'a regency of 33', row: replicationRow(() => ({ adopterRegencyCode: '33.74' })), expected: ALL(rowError(null), INSERTED) },
  { kind: 'importReplications', field: 'adopter', target: 'NATIONAL', row: replicationRow(() => ({ adopterScope: 'NATIONAL', adopterRegencyCode: null, kind: 'SCALING_UP' })), expected: ALL(rowError(null), INSERTED) },
  { kind: 'importReplications', field: 'externalId', target: 'a key stored as IMPORTED, adopted in 35', row: storedReplication({ regencyCode: '35.15' }), expected: ALL(UPDATED) },
  { kind: 'importReplications', field: 'externalId', target: 'a key stored as IMPORTED, adopted in 33', row: storedReplication({ regencyCode: '33.74' }), expected: ALL(rowError('externalId'), UPDATED) },
  { kind: 'importReplications', field: 'externalId', target: 'a key stored as REFERENCE', row: storedReplication({ regencyCode: '35.15', dataset: 'REFERENCE' }), expected: ALL(rowError('externalId', 'CONFLICT')) },
  { kind: 'importReplications', field: 'source', target: 'an innovation of 33', row: replicationRow(), expected: ALL(INSERTED) },
  { kind: 'importReplications', field: 'source', target: 'a REFERENCE innovation of 51', row: replicationRow(() => source({ regencyCode: '51.05', dataset: 'REFERENCE' })), expected: ALL(INSERTED) },
  { kind: 'importReplications', field: 'facilitatingHubCode', target: "35's hub", row: replicationRow(() => ({ facilitatingHubCode: '35' })), expected: ALL(INSERTED) },
  { kind: 'importReplications', field: 'facilitatingHubCode', target: "51's hub", row: replicationRow(() => ({ facilitatingHubCode: '51' })), expected: ALL(rowError('facilitatingHubCode'), INSERTED) },
];

const DOCUMENT = {
  importInnovations: `mutation($rows: [InnovationImportRow!]!) { importInnovations(rows: $rows) { received inserted updated unchanged failed errors { line field code } } }`,
  importReplications: `mutation($rows: [ReplicationImportRow!]!) { importReplications(rows: $rows) { received inserted updated unchanged failed errors { line field code } } }`,
};

function expectedReport(outcome: Outcome) {
  if ('row' in outcome) {
    const [field, code] = outcome.row;
    return { received: 1, inserted: 0, updated: 0, unchanged: 0, failed: 1, errors: [{ line: 1, field, code }] };
  }
  return { received: 1, inserted: outcome.writes === 'inserted' ? 1 : 0, updated: outcome.writes === 'updated' ? 1 : 0, unchanged: 0, failed: 0, errors: [] };
}

function documentedFields(): string[] {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/authorization.md'), 'utf8');
  return [...doc.matchAll(/^\| `(import\w+)` \| `([\w.]+)` \|/gm)].map(([, write, field]) => `${write}.${field}`);
}

describe('what an import row may point at, for every role that may import', () => {
  it('covers every reference field the documentation tables for the imports', () => {
    expect([...new Set(CASES.map((c) => `${c.kind}.${c.field}`))].sort()).toEqual(documentedFields().sort());
  });

  const MATRIX = CASES.flatMap((c) => (Object.entries(c.expected) as [ViewerName, Outcome][]).map(([who, outcome]) => [c.kind, c.field, c.target, who, outcome, c] as const));

  it.each(MATRIX)('%s %s -> %s, as %s: %j', async (kind, _field, _target, who, outcome, c) => {
    const { row, stored } = await c.row();
    const rows = stored ? [stored] : [];
    const { audit_event: _audits, ...before } = await fx.picture(rows);
    const report = dataOf(await api.run(DOCUMENT[kind], { rows: [row] }, VIEWERS[who]))[kind];
    expect(report).toEqual(expectedReport(outcome));
    const { audit_event: _auditsAfter, ...after } = await fx.picture(rows);
    if ('row' in outcome) expect(after).toEqual(before);
    else expect(after).not.toEqual(before);
  });
});
