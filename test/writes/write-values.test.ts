// One set of text limits for every way in. Every String a write takes (found by walking the schema, so a new
// field cannot slip by) is either a stored text, with a limit from src/writes/text-limits.ts, or a code or
// enum checked by its pattern. A text at its limit is written; one character more is BAD_USER_INPUT naming the
// field, as a userError or an import row error; a NUL character (U+0000) in any of them is BAD_USER_INPUT too,
// never a 500. Every date a write takes is refused the same way outside the years src/writes/dates.ts allows.
import { getNamedType, getNullableType, isInputObjectType, isListType, type GraphQLInputType } from 'graphql';
import type { Viewer } from '../../src/auth/viewer';
import { toGlobalId } from '../../src/graphql/global-id';
import { getSchema } from '../../src/schema';
import { DATE_RANGE } from '../../src/writes/dates';
import { TEXT_LIMITS, type TextKind } from '../../src/writes/text-limits';
import { openTestApi, type GraphQLResponse, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import { dbId, Fixtures, refused, userError } from '../support/writes';

let api: TestApi;
let fx: Fixtures;
let untanProgramme: string;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
  untanProgramme = await fx.programme('UNTAN', '61');
});
afterAll(() => api.close());

const SOURCES = ['https://example.org/batas'];
let counter = 0;
const fresh = (prefix = 'U') => `${prefix}${(counter += 1)}-${Date.now().toString(36)}`;
/** A value of exactly `length` characters, distinct from every other one made here. */
const ofLength = (length: number) => `${fresh('T')}-${'x'.repeat(length)}`.slice(0, length);
const NUL_VALUE = 'Nilai\u0000Rusak';

interface Write {
  viewer: Viewer;
  /** The payload field of a mutation, or null for an import (which answers with a report). */
  payload: string | null;
  /** The field of the payload's record the document selects: its id, unless it has none. */
  recordField?: string;
  document: string;
  /** Variables of a valid call, in the caller's scope. */
  valid: () => Promise<Record<string, unknown>>;
}

const replicationSource = () => fx.innovation({ regencyCode: '33.26' });

const WRITES: Record<string, Write> = {
  createInnovation: {
    viewer: VIEWERS.jatimOperator,
    payload: 'innovation',
    document: 'mutation($input: CreateInnovationInput!, $idempotencyKey: String) { createInnovation(input: $input, idempotencyKey: $idempotencyKey) { innovation { id } userErrors { field message code } } }',
    valid: async () => ({ input: { title: 'Batas Teks', owner: { name: 'Pemerintah Kabupaten Gresik' }, regencyCode: '35.25', registry: 'KIPP', externalId: fresh('KIPP-'), sources: SOURCES } }),
  },
  updateInnovation: {
    viewer: VIEWERS.jatimOperator,
    payload: 'innovation',
    document: 'mutation($input: UpdateInnovationInput!) { updateInnovation(input: $input) { innovation { id } userErrors { field message code } } }',
    valid: async () => ({ input: { id: await fx.innovation({ regencyCode: '35.25' }), version: 1 } }),
  },
  recordReplication: {
    viewer: VIEWERS.jatimOperator,
    payload: 'replication',
    document: 'mutation($input: RecordReplicationInput!, $idempotencyKey: String) { recordReplication(input: $input, idempotencyKey: $idempotencyKey) { replication { id } userErrors { field message code } } }',
    valid: async () => ({
      input: { sourceId: await replicationSource(), adopter: { scope: 'REGENCY', regencyCode: '35.15' }, kind: 'REPLICATION', year: 2025, registry: 'JIPPNAS', externalId: fresh('R-'), sources: SOURCES },
    }),
  },
  updateReplicationStatus: {
    viewer: VIEWERS.jatimOperator,
    payload: 'replication',
    document: 'mutation($input: UpdateReplicationStatusInput!) { updateReplicationStatus(input: $input) { replication { id } userErrors { field message code } } }',
    valid: async () => ({ input: { id: await fx.replication(await replicationSource(), { regencyCode: '35.15' }), version: 1, status: 'COMMITTED' } }),
  },
  designateHub: {
    viewer: VIEWERS.ministry,
    payload: 'hub',
    document: 'mutation($input: DesignateHubInput!, $idempotencyKey: String) { designateHub(input: $input, idempotencyKey: $idempotencyKey) { hub { id } userErrors { field message code } } }',
    valid: async () => {
      // Changes the hub of 35 (at the version it is at now), with a new decree each time.
      const instrument = { kind: 'MINISTERIAL_DECREE', number: fresh('N'), year: 2026, title: 'Penetapan Hub', issuer: 'Menteri PANRB' };
      return { input: { provinceCode: '35', cohortYear: 2020, stage: 'DESIGNATED', isPilot: true, instrument, version: await fx.version('Hub', await hub35()), sources: SOURCES } };
    },
  },
  createMentoringProgramme: {
    viewer: VIEWERS.untan,
    payload: 'programme',
    document: 'mutation($input: CreateMentoringProgrammeInput!, $idempotencyKey: String) { createMentoringProgramme(input: $input, idempotencyKey: $idempotencyKey) { programme { id } userErrors { field message code } } }',
    valid: async () => ({ input: { year: 2026, provinceCode: '61', sources: SOURCES } }),
  },
  recordMentoringSession: {
    viewer: VIEWERS.untan,
    payload: 'session',
    document: 'mutation($input: RecordMentoringSessionInput!, $idempotencyKey: String) { recordMentoringSession(input: $input, idempotencyKey: $idempotencyKey) { session { id } userErrors { field message code } } }',
    valid: async () => ({ input: { programmeId: untanProgramme, heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Klinik' } }),
  },
  importInnovations: {
    viewer: VIEWERS.integration,
    payload: null,
    document: 'mutation($rows: [InnovationImportRow!]!, $idempotencyKey: String, $dryRun: Boolean) { importInnovations(rows: $rows, idempotencyKey: $idempotencyKey, dryRun: $dryRun) { received inserted updated unchanged failed errors { line field code } } }',
    valid: async () => ({ rows: [{ registry: 'KIPP', externalId: fresh('KIPP-'), title: 'Batas Impor', owner: 'Pemerintah Kabupaten Gresik', regencyCode: '35.25', sources: SOURCES }] }),
  },
  importReplications: {
    viewer: VIEWERS.integration,
    payload: null,
    document: 'mutation($rows: [ReplicationImportRow!]!, $idempotencyKey: String, $dryRun: Boolean) { importReplications(rows: $rows, idempotencyKey: $idempotencyKey, dryRun: $dryRun) { received inserted updated unchanged failed errors { line field code } } }',
    valid: async () => {
      const sourceExternalId = fresh('IGA-');
      await keyedSource(sourceExternalId);
      return { rows: [{ registry: 'JIPPNAS', externalId: fresh('R-'), sourceRegistry: 'IGA', sourceExternalId, adopterScope: 'REGENCY', adopterRegencyCode: '35.15', kind: 'REPLICATION', year: 2025, sources: SOURCES }] };
    },
  },
  createApiKey: {
    viewer: VIEWERS.ministry,
    payload: 'apiKey',
    recordField: 'prefix',
    document: 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { prefix } userErrors { field message code } } }',
    valid: async () => ({ input: { role: 'HUB_OPERATOR', provinceCode: '35', label: fresh('Kunci ') } }),
  },
  revokeApiKey: {
    viewer: VIEWERS.ministry,
    payload: 'apiKey',
    recordField: 'prefix',
    document: 'mutation($prefix: String!) { revokeApiKey(prefix: $prefix) { apiKey { prefix } userErrors { field message code } } }',
    valid: async () => {
      const created = await api.run(`mutation { createApiKey(input: { role: INTEGRATION, label: "dicabut" }) { apiKey { prefix } } }`, {}, VIEWERS.ministry);
      return { prefix: (created.body.data as { createApiKey: { apiKey: { prefix: string } } }).createApiKey.apiKey.prefix };
    },
  },
};

/** Writes that take no idempotency key: updates (they take a version) and key management. */
const WITHOUT_IDEMPOTENCY = new Set(['createApiKey', 'revokeApiKey']);

const hub35 = async () => toGlobalId('Hub', (await api.sql<{ id: number }>(`select id from hub where province_code = '35'`))[0].id);
async function keyedSource(externalId: string) {
  await api.sql(`update innovation set registry = 'IGA', external_id = ? where id = ?`, [externalId, dbId(await replicationSource())]);
}

/** Stored texts, by the path of the value in the call's variables, and the limit each has. */
const TEXTS: Record<string, TextKind> = {
  'createInnovation.input.title': 'title',
  'createInnovation.input.summary': 'summary',
  'createInnovation.input.owner.name': 'institutionName',
  'createInnovation.input.externalId': 'externalId',
  'createInnovation.input.category': 'category',
  'createInnovation.input.sources[0]': 'source',
  'createInnovation.input.note': 'note',
  'updateInnovation.input.title': 'title',
  'updateInnovation.input.summary': 'summary',
  'updateInnovation.input.category': 'category',
  'updateInnovation.input.sources[0]': 'source',
  'updateInnovation.input.note': 'note',
  'recordReplication.input.externalId': 'externalId',
  'recordReplication.input.sources[0]': 'source',
  'recordReplication.input.note': 'note',
  'updateReplicationStatus.input.sources[0]': 'source',
  'designateHub.input.instrument.number': 'instrumentNumber',
  'designateHub.input.instrument.title': 'instrumentTitle',
  'designateHub.input.instrument.issuer': 'instrumentIssuer',
  'designateHub.input.sources[0]': 'source',
  'designateHub.input.note': 'note',
  'createMentoringProgramme.input.otherPartner': 'otherPartner',
  'createMentoringProgramme.input.recommendedBy': 'recommendedBy',
  'createMentoringProgramme.input.outputs[0]': 'output',
  'createMentoringProgramme.input.sources[0]': 'source',
  'createMentoringProgramme.input.note': 'note',
  'recordMentoringSession.input.topic': 'topic',
  'recordMentoringSession.input.mentorNames[0]': 'mentorName',
  'recordMentoringSession.input.sources[0]': 'source',
  'importInnovations.rows[0].externalId': 'externalId',
  'importInnovations.rows[0].title': 'title',
  'importInnovations.rows[0].summary': 'summary',
  'importInnovations.rows[0].owner': 'institutionName',
  'importInnovations.rows[0].category': 'category',
  'importInnovations.rows[0].sources[0]': 'source',
  'importInnovations.rows[0].note': 'note',
  'importReplications.rows[0].externalId': 'externalId',
  'importReplications.rows[0].sourceExternalId': 'externalId',
  'importReplications.rows[0].sources[0]': 'source',
  'importReplications.rows[0].note': 'note',
  'createApiKey.input.label': 'keyLabel',
};

/** Strings that are codes or enum names: checked by their pattern, so only the NUL case applies. */
const CODES = [
  'createInnovation.input.provinceCode',
  'createInnovation.input.regencyCode',
  'updateInnovation.input.provinceCode',
  'updateInnovation.input.regencyCode',
  'recordReplication.input.adopter.provinceCode',
  'recordReplication.input.adopter.regencyCode',
  'recordReplication.input.facilitatingHubCode',
  'designateHub.input.provinceCode',
  'createMentoringProgramme.input.provinceCode',
  'recordMentoringSession.input.regencyCodes[0]',
  'createApiKey.input.provinceCode',
  'revokeApiKey.prefix',
  ...['registry', 'provinceCode', 'regencyCode', 'stage', 'sustainability', 'confidence'].map((f) => `importInnovations.rows[0].${f}`),
  ...['registry', 'sourceRegistry', 'adopterScope', 'adopterProvinceCode', 'adopterRegencyCode', 'kind', 'status', 'facilitatingHubCode', 'confidence'].map((f) => `importReplications.rows[0].${f}`),
];

/** Every value of a scalar type a write takes, as `<path in its variables>`. */
function leafPaths(prefix: string, type: GraphQLInputType, scalar: string[]): string[] {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return leafPaths(`${prefix}[0]`, inner.ofType, scalar);
  if (isInputObjectType(inner)) return Object.values(inner.getFields()).flatMap((f) => leafPaths(`${prefix}.${f.name}`, f.type, scalar));
  return scalar.includes(getNamedType(inner).name) ? [prefix] : [];
}

/** Webhook registrations are no records of the network: test/changes/webhooks.test.ts checks their inputs. */
const WEBHOOK_WRITES = new Set(['registerWebhook', 'enableWebhook', 'deleteWebhook']);

/** Every value of some scalar types every write takes, as `<write>.<path>`. */
async function writePaths(scalar: string[]): Promise<string[]> {
  const mutations = (await getSchema()).getMutationType()!.getFields();
  return Object.values(mutations).filter((m) => !WEBHOOK_WRITES.has(m.name)).flatMap((m) => m.args.flatMap((a) => leafPaths(a.name, a.type, scalar).map((p) => `${m.name}.${p}`)));
}

/** Puts `value` at a path such as input.owner.name or rows[0].sources[0] (a list item replaces the list). */
function setAt(variables: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const copy = structuredClone(variables);
  const steps = path.replace(/\[0\]/g, '.0').split('.');
  let node = copy as Record<string, unknown>;
  for (const [i, step] of steps.slice(0, -1).entries()) {
    if (node[step] == null) node[step] = steps[i + 1] === '0' ? [] : {};
    node = node[step] as Record<string, unknown>;
  }
  const last = steps[steps.length - 1];
  if (last === '0') (node as unknown as string[]).splice(0, (node as unknown as string[]).length, value);
  else node[last] = value;
  return copy;
}

/** The field an error names: the input path in a userError, the row's field in an import row error. */
const errorField = (path: string) => (path.startsWith('rows[0].') ? path.slice('rows[0].'.length).replace(/\[0\]/g, '.0') : path);

function expected(write: string, path: string, ok: boolean): GraphQLResponse {
  const { payload } = WRITES[write];
  if (path === 'idempotencyKey') return refused(write, 'BAD_USER_INPUT', 'idempotencyKey');
  if (payload === null) {
    const report = ok
      ? { received: 1, inserted: 1, updated: 0, unchanged: 0, failed: 0, errors: [] }
      : { received: 1, inserted: 0, updated: 0, unchanged: 0, failed: 1, errors: [{ line: 1, field: errorField(path), code: 'BAD_USER_INPUT' }] };
    return { data: { [write]: report } };
  }
  return ok
    ? { data: { [write]: { [payload]: { [WRITES[write].recordField ?? 'id']: expect.any(String) }, userErrors: [] } } }
    : { data: { [write]: { [payload]: null, userErrors: [userError(errorField(path), 'BAD_USER_INPUT')] } } };
}

/** The variables of a valid call with `value` at `path`. */
async function prepare(write: string, path: string, value: string) {
  const variables = setAt(await WRITES[write].valid(), path, value);
  // An import's source must exist for the row to be written: a new key at the limit gets its innovation.
  if (write === 'importReplications' && path.endsWith('sourceExternalId') && value.length === TEXT_LIMITS.externalId) await keyedSource(value);
  return variables;
}

const run = async (write: string, variables: Record<string, unknown>) => (await api.run(WRITES[write].document, variables, WRITES[write].viewer)).body;

/**
 * Row counts of every writable table but the audit log (an import audits a batch even when every row
 * fails), and the record an update names.
 */
async function counts(write: string, variables: Record<string, unknown>) {
  const table = { updateInnovation: 'innovation', updateReplicationStatus: 'replication' }[write];
  const id = (variables.input as { id?: string } | undefined)?.id;
  const { audit_event: _audits, ...rest } = await fx.picture(table && id ? [{ table, id }] : []);
  return rest;
}

/** The creates and imports take an idempotency key (a string stored with the first result). */
const IDEMPOTENCY_KEYS = Object.keys(WRITES).filter((w) => !w.startsWith('update') && !WITHOUT_IDEMPOTENCY.has(w)).map((w) => `${w}.idempotencyKey`);

/** Dates every write takes. */
const DATES = [
  'recordReplication.input.committedOn',
  'recordReplication.input.implementedOn',
  'updateReplicationStatus.input.on',
  'designateHub.input.instrument.issuedOn',
  'designateHub.input.committedOn',
  'designateHub.input.designatedOn',
  'createMentoringProgramme.input.periodStart',
  'createMentoringProgramme.input.periodEnd',
  'createMentoringProgramme.input.commitmentSignedOn',
  'recordMentoringSession.input.heldOn',
];

const split = (key: string) => [key.slice(0, key.indexOf('.')), key.slice(key.indexOf('.') + 1)] as const;

/** Import values that hold numbers or booleans, checked by their own rules (test/imports/import-values.test.ts). */
const IMPORT_NUMBERS = ['importInnovations.rows[0].launchYear', 'importInnovations.rows[0].isDigital', 'importReplications.rows[0].year', 'importReplications.rows[0].implementationYear'];

describe('text limits and NUL characters, the same for mutations and imports', () => {
  it('classifies every String (and import value) every write takes, as a limited text or a code', async () => {
    expect((await writePaths(['String', 'ImportValue'])).filter((p) => !IMPORT_NUMBERS.includes(p)).sort()).toEqual([...Object.keys(TEXTS), ...CODES, ...IDEMPOTENCY_KEYS].sort());
  });

  const LIMITED = Object.entries(TEXTS).map(([key, kind]) => [...split(key), kind, TEXT_LIMITS[kind]] as const);

  it.each(LIMITED)('%s %s (%s): writes %i characters', async (write, path, _kind, limit) => {
    expect(await run(write, await prepare(write, path, ofLength(limit)))).toEqual(expected(write, path, true));
  });

  it.each(LIMITED)('%s %s (%s): refuses %i characters and one more, and writes nothing', async (write, path, _kind, limit) => {
    const variables = await prepare(write, path, ofLength(limit + 1));
    const before = await counts(write, variables);
    expect(await run(write, variables)).toEqual(expected(write, path, false));
    expect(await counts(write, variables)).toEqual(before);
  });

  const ALL = [...Object.keys(TEXTS), ...CODES, ...IDEMPOTENCY_KEYS].map(split);

  it.each(ALL)('%s %s: refuses a NUL character as BAD_USER_INPUT, and writes nothing', async (write, path) => {
    const variables = await prepare(write, path, NUL_VALUE);
    const before = await counts(write, variables);
    expect(await run(write, variables)).toEqual(expected(write, path, false));
    expect(await counts(write, variables)).toEqual(before);
  });

  it.each(['importInnovations', 'importReplications'])('%s dry run: refuses a NUL in idempotencyKey too (its audit record keeps the key)', async (write) => {
    const variables = { ...(await prepare(write, 'idempotencyKey', NUL_VALUE)), dryRun: true };
    const before = await fx.picture();
    expect(await run(write, variables)).toEqual(expected(write, 'idempotencyKey', false));
    expect(await fx.picture()).toEqual(before);
  });
});

describe('dates, for every write that takes one', () => {
  it('lists every date every write takes', async () => {
    expect((await writePaths(['LocalDate'])).sort()).toEqual([...DATES].sort());
  });

  it.each(DATES.map(split))('%s %s: writes the last day of the range', async (write, path) => {
    expect(await run(write, await prepare(write, path, DATE_RANGE.to))).toEqual(expected(write, path, true));
  });

  it.each(DATES.map(split))('%s %s: refuses year 0 (which PostgreSQL cannot store) as BAD_USER_INPUT, and writes nothing', async (write, path) => {
    const variables = await prepare(write, path, '0000-01-01');
    const before = await counts(write, variables);
    expect(await run(write, variables)).toEqual(expected(write, path, false));
    expect(await counts(write, variables)).toEqual(before);
  });
});
