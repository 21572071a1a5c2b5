// What a mutation may point at: every reference field of every mutation, for every role that may make the
// mutation, with a target inside the caller's scope and one outside it (docs/authorization.md is the table
// this runs). Everything else in each call is valid and in scope, so the outcome is the reference's alone:
// the whole response is asserted, and a refusal leaves every table as it was.
import fs from 'node:fs';
import path from 'node:path';
import { toGlobalId } from '../../src/graphql/global-id';
import { getSchema } from '../../src/schema';
import { openTestApi, type GraphQLResponse, type TestApi } from '../support/harness';
import { VIEWERS, type ViewerName } from '../support/viewers';
import { dbId, Fixtures, refused, userError } from '../support/writes';

/** Webhook registrations are no records of the network: test/changes/webhooks.test.ts checks who may make them. */
const WEBHOOK_WRITES = new Set(['registerWebhook', 'enableWebhook', 'deleteWebhook']);

let api: TestApi;
let fx: Fixtures;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
});
afterAll(() => api.close());

type Outcome = { writes: true } | { userError: [string, string] } | { refused: string };
const WRITES: Outcome = { writes: true };
const forbidden = (field: string): Outcome => ({ userError: [field, 'FORBIDDEN'] });
const badInput = (field: string): Outcome => ({ userError: [field, 'BAD_USER_INPUT'] });
const REFUSED: Outcome = { refused: 'FORBIDDEN' };

interface Case {
  mutation: string;
  field: string;
  target: string;
  /** Fresh variables for one call: every call gets records of its own. */
  input: () => Promise<Record<string, unknown>>;
  expected: Partial<Record<ViewerName, Outcome>>;
}

const SOURCES = ['https://example.org/rujukan'];
let counter = 0;
const unique = () => `${Date.now().toString(36)}-${(counter += 1)}`;
const institution = async (name: string) => toGlobalId('Institution', await fx.institutionId(name));
/** An institution of its own in a regency, so adoptions there can name an adopting unit. */
const unitIn = async (regencyCode: string) => {
  const [{ id }] = await api.sql<{ id: number }>(
    `insert into institution (name, kind, province_code, regency_code, dataset) values (?, 'REGIONAL_AGENCY', left(?, 2), ?, 'IMPORTED') returning id`,
    [`Dinas Uji ${unique()}`, regencyCode, regencyCode],
  );
  return toGlobalId('Institution', id);
};

// Operators: jatimOperator (35); universities: untan. Targets are named from their point of view.
const OPERATOR_AND_MINISTRY = (operator: Outcome, ministry: Outcome = WRITES) => ({ jatimOperator: operator, ministry });
const UNIVERSITY_AND_MINISTRY = (university: Outcome, ministry: Outcome = WRITES) => ({ untan: university, ministry });

const newInnovation = (change: () => Promise<Record<string, unknown>> | Record<string, unknown> = () => ({})) => async () => ({
  title: `Inovasi Rujukan ${unique()}`,
  owner: { id: await institution('Pemerintah Kabupaten Gresik') },
  regencyCode: '35.25',
  sources: SOURCES,
  ...(await change()),
});
/** A new owner for the region cases, so only the region differs between in and out of scope. */
const newOwner = () => ({ name: `Dinas Baru ${unique()}` });

const replicationInput = (change: () => Promise<Record<string, unknown>> | Record<string, unknown>) => async () => ({
  sourceId: await fx.innovation({ regencyCode: '33.26' }),
  adopter: { scope: 'REGENCY', regencyCode: '35.15' },
  kind: 'REPLICATION',
  year: 2025,
  sources: SOURCES,
  ...(await change()),
});

const decree = (number: string) => ({ kind: 'MINISTERIAL_DECREE', number, year: 2026, title: `Penetapan Hub ${number}`, issuer: 'Menteri PANRB' });

const CASES: Case[] = [
  // createInnovation
  { mutation: 'createInnovation', field: 'region', target: 'a regency of 35', input: newInnovation(() => ({ owner: newOwner() })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'createInnovation', field: 'region', target: 'a regency of 33', input: newInnovation(() => ({ owner: newOwner(), regencyCode: '33.26' })), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  { mutation: 'createInnovation', field: 'region', target: 'none (national)', input: newInnovation(() => ({ owner: newOwner(), regencyCode: null })), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  { mutation: 'createInnovation', field: 'owner.id', target: 'an institution of 35', input: newInnovation(), expected: OPERATOR_AND_MINISTRY(WRITES) },
  {
    mutation: 'createInnovation',
    field: 'owner.id',
    target: 'an institution of 33',
    input: newInnovation(async () => ({ owner: { id: await institution('Pemerintah Kabupaten Pekalongan') } })),
    expected: OPERATOR_AND_MINISTRY(forbidden('input.owner.id')),
  },
  {
    mutation: 'createInnovation',
    field: 'owner.id',
    target: 'a national institution',
    input: newInnovation(async () => ({ owner: { id: await institution('Kementerian Kesehatan') } })),
    expected: OPERATOR_AND_MINISTRY(forbidden('input.owner.id')),
  },
  { mutation: 'createInnovation', field: 'owner.name', target: 'an institution of 35', input: newInnovation(() => ({ owner: { name: 'Pemerintah Kabupaten Gresik' } })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'createInnovation', field: 'owner.name', target: 'an institution of 33', input: newInnovation(() => ({ owner: { name: 'Pemerintah Kabupaten Pekalongan' } })), expected: OPERATOR_AND_MINISTRY(forbidden('input.owner.name')) },
  { mutation: 'createInnovation', field: 'owner.name', target: 'a national institution', input: newInnovation(() => ({ owner: { name: 'Kementerian Kesehatan' } })), expected: OPERATOR_AND_MINISTRY(forbidden('input.owner.name')) },
  { mutation: 'createInnovation', field: 'owner.name', target: 'a new name (created in 35.25)', input: newInnovation(() => ({ owner: newOwner() })), expected: OPERATOR_AND_MINISTRY(WRITES) },

  // updateInnovation
  { mutation: 'updateInnovation', field: 'id', target: 'an IMPORTED innovation of 35', input: async () => ({ id: await fx.innovation({ regencyCode: '35.25' }), version: 1, summary: 'Diperbarui' }), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'updateInnovation', field: 'id', target: 'an innovation of 33', input: async () => ({ id: await fx.innovation({ regencyCode: '33.26' }), version: 1, summary: 'Diperbarui' }), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  {
    mutation: 'updateInnovation',
    field: 'id',
    target: 'a REFERENCE innovation of 35',
    input: async () => ({ id: await fx.innovation({ regencyCode: '35.25', dataset: 'REFERENCE' }), version: 1, summary: 'Koreksi' }),
    expected: OPERATOR_AND_MINISTRY(REFUSED),
  },
  { mutation: 'updateInnovation', field: 'id', target: 'a DEMO innovation of 35', input: async () => ({ id: await fx.innovation({ regencyCode: '35.25', dataset: 'DEMO' }), version: 1, summary: 'Koreksi' }), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  { mutation: 'updateInnovation', field: 'region', target: 'a regency of 35', input: async () => ({ id: await fx.innovation({ regencyCode: '35.25' }), version: 1, regencyCode: '35.15' }), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'updateInnovation', field: 'region', target: 'a regency of 33', input: async () => ({ id: await fx.innovation({ regencyCode: '35.25' }), version: 1, regencyCode: '33.26' }), expected: OPERATOR_AND_MINISTRY(REFUSED) },

  // recordReplication
  { mutation: 'recordReplication', field: 'adopter', target: 'a regency of 35', input: replicationInput(() => ({})), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'recordReplication', field: 'adopter', target: 'a regency of 33', input: replicationInput(async () => ({ sourceId: await fx.innovation({ regencyCode: '51.08' }), adopter: { scope: 'REGENCY', regencyCode: '33.74' } })), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  { mutation: 'recordReplication', field: 'adopter', target: 'NATIONAL', input: replicationInput(() => ({ adopter: { scope: 'NATIONAL' }, kind: 'SCALING_UP' })), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  { mutation: 'recordReplication', field: 'sourceId', target: 'an innovation of 33', input: replicationInput(() => ({})), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'recordReplication', field: 'sourceId', target: 'a REFERENCE innovation of 51', input: replicationInput(async () => ({ sourceId: await fx.innovation({ regencyCode: '51.05', dataset: 'REFERENCE' }) })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'recordReplication', field: 'adopter.institutionId', target: 'an institution of the adopting regency', input: replicationInput(async () => ({ adopter: { scope: 'REGENCY', regencyCode: '35.15', institutionId: await unitIn('35.15') } })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  {
    mutation: 'recordReplication',
    field: 'adopter.institutionId',
    target: 'an institution of 33',
    input: replicationInput(async () => ({ adopter: { scope: 'REGENCY', regencyCode: '35.15', institutionId: await unitIn('33.74') } })),
    expected: OPERATOR_AND_MINISTRY(badInput('input.adopter.institutionId'), badInput('input.adopter.institutionId')),
  },
  { mutation: 'recordReplication', field: 'facilitatingHubCode', target: "35's hub", input: replicationInput(() => ({ facilitatingHubCode: '35' })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'recordReplication', field: 'facilitatingHubCode', target: "51's hub", input: replicationInput(() => ({ facilitatingHubCode: '51' })), expected: OPERATOR_AND_MINISTRY(forbidden('input.facilitatingHubCode')) },
  { mutation: 'recordReplication', field: 'mentoringProgrammeId', target: 'a programme mentoring 35', input: replicationInput(async () => ({ mentoringProgrammeId: await fx.programme(null, '35') })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  {
    mutation: 'recordReplication',
    field: 'mentoringProgrammeId',
    target: "UNTAN's programme mentoring 61",
    input: replicationInput(async () => ({ mentoringProgrammeId: await fx.programme('UNTAN', '61') })),
    expected: OPERATOR_AND_MINISTRY(forbidden('input.mentoringProgrammeId')),
  },
  { mutation: 'recordReplication', field: 'adoptedAsId', target: 'an IMPORTED innovation of 35', input: replicationInput(async () => ({ adoptedAsId: await fx.innovation({ regencyCode: '35.15' }) })), expected: OPERATOR_AND_MINISTRY(WRITES) },
  {
    mutation: 'recordReplication',
    field: 'adoptedAsId',
    target: 'a REFERENCE innovation of 35',
    input: replicationInput(async () => ({ adoptedAsId: await fx.innovation({ regencyCode: '35.15', dataset: 'REFERENCE' }) })),
    expected: OPERATOR_AND_MINISTRY(forbidden('input.adoptedAsId')),
  },
  {
    mutation: 'recordReplication',
    field: 'adoptedAsId',
    target: 'a DEMO innovation of 35',
    input: replicationInput(async () => ({ adoptedAsId: await fx.innovation({ regencyCode: '35.15', dataset: 'DEMO' }) })),
    expected: OPERATOR_AND_MINISTRY(forbidden('input.adoptedAsId')),
  },
  {
    mutation: 'recordReplication',
    field: 'adoptedAsId',
    target: 'an innovation of 33',
    input: replicationInput(async () => ({ adoptedAsId: await fx.innovation({ regencyCode: '33.74' }) })),
    expected: OPERATOR_AND_MINISTRY(badInput('input.adoptedAsId'), badInput('input.adoptedAsId')),
  },

  // updateReplicationStatus
  { mutation: 'updateReplicationStatus', field: 'id', target: 'a replication adopted in 35', input: async () => ({ id: await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15' }), version: 1, status: 'COMMITTED' }), expected: OPERATOR_AND_MINISTRY(WRITES) },
  { mutation: 'updateReplicationStatus', field: 'id', target: 'a replication adopted in 33', input: async () => ({ id: await fx.replication(await fx.innovation({ regencyCode: '35.25' }), { regencyCode: '33.26' }), version: 1, status: 'COMMITTED' }), expected: OPERATOR_AND_MINISTRY(REFUSED) },
  {
    mutation: 'updateReplicationStatus',
    field: 'id',
    target: 'a REFERENCE replication adopted in 35',
    input: async () => ({ id: await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15', dataset: 'REFERENCE' }), version: 1, status: 'COMMITTED' }),
    expected: OPERATOR_AND_MINISTRY(REFUSED),
  },

  // designateHub: the ministry only, anywhere
  { mutation: 'designateHub', field: 'provinceCode', target: 'a province without a hub', input: async () => ({ provinceCode: await fx.provinceWithoutHub(), cohortYear: 2026, stage: 'COMMITTED', sources: SOURCES }), expected: { ministry: WRITES } },
  {
    mutation: 'designateHub',
    field: 'instrument',
    target: 'a decree already recorded',
    input: async () => {
      const [instrument] = await api.sql(`select kind, number, year, title, issuer from legal_instrument where key = 'KEPMENPANRB-305-2024'`);
      return { provinceCode: await fx.provinceWithoutHub(), cohortYear: 2026, stage: 'DESIGNATED', instrument, sources: SOURCES };
    },
    expected: { ministry: WRITES },
  },
  { mutation: 'designateHub', field: 'instrument', target: 'a new decree', input: async () => ({ provinceCode: await fx.provinceWithoutHub(), cohortYear: 2026, stage: 'DESIGNATED', instrument: decree(String(900 + (counter += 1))), sources: SOURCES }), expected: { ministry: WRITES } },

  // createMentoringProgramme
  { mutation: 'createMentoringProgramme', field: 'universityId', target: 'UNTAN (its own)', input: async () => ({ year: 2026, provinceCode: '61', universityId: toGlobalId('University', await fx.universityId('UNTAN')), sources: SOURCES }), expected: UNIVERSITY_AND_MINISTRY(WRITES) },
  { mutation: 'createMentoringProgramme', field: 'universityId', target: 'UBB', input: async () => ({ year: 2026, provinceCode: '19', universityId: toGlobalId('University', await fx.universityId('UBB')), sources: SOURCES }), expected: UNIVERSITY_AND_MINISTRY(REFUSED) },
  { mutation: 'createMentoringProgramme', field: 'universityId', target: 'left out', input: async () => ({ year: 2026, provinceCode: '61', otherPartner: 'Mitra Lain', sources: SOURCES }), expected: UNIVERSITY_AND_MINISTRY(WRITES) },
  { mutation: 'createMentoringProgramme', field: 'provinceCode', target: 'a province the university is not in (35)', input: async () => ({ year: 2026, provinceCode: '35', sources: SOURCES }), expected: UNIVERSITY_AND_MINISTRY(WRITES) },

  // recordMentoringSession
  { mutation: 'recordMentoringSession', field: 'programmeId', target: "UNTAN's programme", input: async () => ({ programmeId: await fx.programme('UNTAN', '61'), heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Klinik' }), expected: UNIVERSITY_AND_MINISTRY(WRITES) },
  { mutation: 'recordMentoringSession', field: 'programmeId', target: "UBB's programme", input: async () => ({ programmeId: await fx.programme('UBB', '19'), heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Klinik' }), expected: UNIVERSITY_AND_MINISTRY(REFUSED) },
  {
    mutation: 'recordMentoringSession',
    field: 'regencyCodes',
    target: 'regencies of the province mentored (61)',
    input: async () => ({ programmeId: await fx.programme('UNTAN', '61'), heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Klinik', regencyCodes: ['61.01', '61.71'] }),
    expected: UNIVERSITY_AND_MINISTRY(WRITES),
  },
  {
    mutation: 'recordMentoringSession',
    field: 'regencyCodes',
    target: 'a regency of another province (35.25)',
    input: async () => ({ programmeId: await fx.programme('UNTAN', '61'), heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Klinik', regencyCodes: ['61.71', '35.25'] }),
    expected: UNIVERSITY_AND_MINISTRY(forbidden('input.regencyCodes')),
  },
];

const PAYLOAD: Record<string, [string, string]> = {
  createInnovation: ['CreateInnovationInput', 'innovation'],
  updateInnovation: ['UpdateInnovationInput', 'innovation'],
  recordReplication: ['RecordReplicationInput', 'replication'],
  updateReplicationStatus: ['UpdateReplicationStatusInput', 'replication'],
  designateHub: ['DesignateHubInput', 'hub'],
  createMentoringProgramme: ['CreateMentoringProgrammeInput', 'programme'],
  recordMentoringSession: ['RecordMentoringSessionInput', 'session'],
};

function expectedBody(mutation: string, outcome: Outcome): GraphQLResponse {
  const payload = PAYLOAD[mutation][1];
  if ('refused' in outcome) return refused(mutation, outcome.refused);
  if ('userError' in outcome) return { data: { [mutation]: { [payload]: null, userErrors: [userError(...outcome.userError)] } } };
  return { data: { [mutation]: { [payload]: { id: expect.any(String) }, userErrors: [] } } };
}

/** The rows a call may change: the record an update names. */
const rowsOf = (mutation: string, input: Record<string, unknown>) =>
  mutation === 'updateInnovation' ? [{ table: 'innovation', id: String(input.id) }] : mutation === 'updateReplicationStatus' ? [{ table: 'replication', id: String(input.id) }] : [];

/** The (write, field) rows of the table in docs/authorization.md. */
function documentedFields(): string[] {
  const doc = fs.readFileSync(path.join(__dirname, '../../docs/authorization.md'), 'utf8');
  return [...doc.matchAll(/^\| `(\w+)` \| `([\w.]+)` \|/gm)].map(([, write, field]) => `${write}.${field}`);
}

describe('what each mutation may point at, for every role that may make it', () => {
  it('covers every mutation but the imports, and every reference field the documentation tables for them', async () => {
    // Key management is the ministry's alone and claims nothing of a scope: test/writes/api-keys.test.ts has its role matrix.
    const mutations = Object.keys((await getSchema()).getMutationType()!.getFields()).filter((name) => !name.startsWith('import') && !WEBHOOK_WRITES.has(name) && !name.endsWith('ApiKey'));
    expect([...new Set(CASES.map((c) => c.mutation))].sort()).toEqual(mutations.sort());
    const documented = documentedFields().filter((f) => !f.startsWith('import'));
    expect([...new Set(CASES.map((c) => `${c.mutation}.${c.field}`))].sort()).toEqual([...new Set(documented)].sort());
  });

  const MATRIX = CASES.flatMap((c) => (Object.entries(c.expected) as [ViewerName, Outcome][]).map(([who, outcome]) => [c.mutation, c.field, c.target, who, outcome, c] as const));

  it.each(MATRIX)('%s %s -> %s, as %s: %j', async (mutation, _field, _target, who, outcome, c) => {
    const input = await c.input();
    const rows = rowsOf(mutation, input);
    const before = await fx.picture(rows);
    const [inputType, payload] = PAYLOAD[mutation];
    const document = `mutation($input: ${inputType}!) { ${mutation}(input: $input) { ${payload} { id } userErrors { field message code } } }`;
    const result = await api.run(document, { input }, VIEWERS[who]);
    expect(result.body).toEqual(expectedBody(mutation, outcome));
    const after = await fx.picture(rows);
    if ('writes' in outcome) expect(Number(after.audit_event)).toBeGreaterThan(Number(before.audit_event));
    else expect(after).toEqual(before);
    // The written row points where the input said: nothing was swapped for an in-scope stand-in.
    if ('writes' in outcome && mutation === 'recordReplication' && input.adoptedAsId) {
      const id = (result.body.data as Record<string, { replication: { id: string } }>).recordReplication.replication.id;
      expect(await api.sql(`select adopted_as_id from replication where id = ?`, [dbId(id)])).toEqual([{ adopted_as_id: dbId(String(input.adoptedAsId)) }]);
    }
  });
});
