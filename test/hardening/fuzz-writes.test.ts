// Property-based fuzz (fast-check) of the writes: every mutation, imports included, called by every role
// with random variables that name records inside and outside the caller's scope (and texts over their
// limits, NUL characters, forged ids, stale versions, replayed idempotency keys). Whatever comes in:
//   - the answer is never a 500 and never INTERNAL_SERVER_ERROR;
//   - no row outside the caller's scope changes: a checksum of those rows, table by table, is the same
//     after each call as before it (denormalized copies that triggers keep are left out).
// Runs are bounded: the roles that may make a mutation get RUNS calls of it, the others a few.
import fc from 'fast-check';
import { getNamedType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { Role, type Viewer } from '../../src/auth/viewer';
import { toGlobalId, type NodeType } from '../../src/graphql/global-id';
import { getSchema } from '../../src/schema';
import { openTestApi, type Result, type TestApi } from '../support/harness';
import { VIEWERS, type ViewerName } from '../support/viewers';
import { dbId, Fixtures } from '../support/writes';
import type { WritePools } from './fuzz-write-arbitraries';
import { writeCall } from './fuzz-write-shapes';

const RUNS = 20;
const RUNS_REFUSED_ROLE = 3;

/** Who may make each mutation at all (the others are refused before anything is read). */
const MAKERS: Record<string, Role[]> = {
  createInnovation: [Role.HUB_OPERATOR, Role.MINISTRY_ADMIN],
  updateInnovation: [Role.HUB_OPERATOR, Role.MINISTRY_ADMIN],
  recordReplication: [Role.HUB_OPERATOR, Role.MINISTRY_ADMIN],
  updateReplicationStatus: [Role.HUB_OPERATOR, Role.MINISTRY_ADMIN],
  designateHub: [Role.MINISTRY_ADMIN],
  createMentoringProgramme: [Role.UNIVERSITY, Role.MINISTRY_ADMIN],
  recordMentoringSession: [Role.UNIVERSITY, Role.MINISTRY_ADMIN],
  importInnovations: [Role.INTEGRATION, Role.MINISTRY_ADMIN, Role.HUB_OPERATOR],
  importReplications: [Role.INTEGRATION, Role.MINISTRY_ADMIN, Role.HUB_OPERATOR],
  registerWebhook: [Role.INTEGRATION, Role.MINISTRY_ADMIN],
  enableWebhook: [Role.INTEGRATION, Role.MINISTRY_ADMIN],
  deleteWebhook: [Role.INTEGRATION, Role.MINISTRY_ADMIN],
  createApiKey: [Role.MINISTRY_ADMIN],
  revokeApiKey: [Role.MINISTRY_ADMIN],
};

const CLIENT_CODES = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'QUERY_TOO_COMPLEX', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST']);

/** The tables writes touch (rollups and the audit log aside), and the row columns a trigger keeps in step. */
const TABLES: [table: string, row: string][] = [
  ['innovation', 'to_jsonb(t)'],
  ['replication', "to_jsonb(t) - 'source_province_code' - 'source_regency_code'"],
  ['institution', 'to_jsonb(t)'],
  ['hub', 'to_jsonb(t)'],
  ['legal_instrument', 'to_jsonb(t)'],
  ['mentoring_programme', 'to_jsonb(t)'],
  ['mentoring_session', 'to_jsonb(t)'],
  ['mentoring_session_regency', 'to_jsonb(t)'],
  ['award', 'to_jsonb(t)'],
];

/**
 * The rows a caller may change, per table (SQL on alias t); every other row is outside its scope. No write
 * changes an institution that exists: a caller's scope holds only those it creates.
 */
function scope(viewer: Viewer): Record<string, string> {
  const created = `t.id > ${institutionsBefore}`;
  switch (viewer.role) {
    case Role.MINISTRY_ADMIN:
      return Object.fromEntries(TABLES.map(([table]) => [table, 'true']));
    case Role.HUB_OPERATOR: {
      const p = `'${viewer.provinceCode}'`;
      return {
        innovation: `t.dataset = 'IMPORTED' and t.province_code = ${p}`,
        replication: `t.dataset = 'IMPORTED' and t.adopter_province_code = ${p}`,
        institution: `${created} and t.province_code = ${p}`,
      };
    }
    case Role.INTEGRATION:
      return { innovation: `t.dataset = 'IMPORTED'`, replication: `t.dataset = 'IMPORTED'`, institution: created };
    case Role.UNIVERSITY: {
      const programmes = `select id from mentoring_programme where university_id = ${viewer.universityId}`;
      return {
        mentoring_programme: `t.university_id = ${viewer.universityId}`,
        mentoring_session: `t.programme_id in (${programmes})`,
        mentoring_session_regency: `t.mentoring_session_id in (select id from mentoring_session where programme_id in (${programmes}))`,
      };
    }
    default:
      return {};
  }
}

let api: TestApi;
let fx: Fixtures;
let schema: GraphQLSchema;
let seeded: Awaited<ReturnType<typeof seedPools>>;
/** The last institution id before the fuzz: rows above it were created by its calls. */
let institutionsBefore: number;

/** Checksums of the rows outside the viewer's scope, by table. */
async function outside(viewer: Viewer): Promise<Record<string, string>> {
  const inScope = scope(viewer);
  const parts = TABLES.map(
    ([table, row]) => `(select md5(coalesce(string_agg(r, ',' order by r), '')) from (select (${row})::text as r from ${table} t where not (${inScope[table] ?? 'false'})) s) as ${table}`,
  );
  const [sums] = await api.sql<Record<string, string>>(`select ${parts.join(', ')}`);
  return sums;
}

type Favoured = Partial<Omit<WritePools, 'ids'>> & { ids?: WritePools['ids'] };

/** For a bound caller: records of its own, and near misses (out of its scope, but only just). */
interface Near {
  own: Favoured;
  tempting: Favoured;
}

/**
 * Stored records in and out of every scope, named in the pools the arbitraries draw from, and for each
 * bound caller the ones in its own scope and the near misses (both drawn more often: many calls then get
 * as far as writing, and many try what the caller must not do).
 */
async function seedPools(): Promise<{ base: WritePools; near: Partial<Record<ViewerName, Near>> }> {
  const keyed = async (table: string, id: string, registry: string, externalId: string) => {
    await api.sql(`update ${table} set registry = ?, external_id = ? where id = ?`, [registry, externalId, dbId(id)]);
    return id;
  };
  const innovations: string[] = [];
  const replications: string[] = [];
  const source = await fx.innovation({ regencyCode: '51.05' });
  for (const [regencyCode, dataset] of [['35.25', 'IMPORTED'], ['35.15', 'IMPORTED'], ['33.26', 'IMPORTED'], ['35.25', 'REFERENCE'], ['35.15', 'DEMO'], ['51.08', 'IMPORTED']]) {
    const i = innovations.length;
    innovations.push(await keyed('innovation', await fx.innovation({ regencyCode, dataset }), i % 2 ? 'IGA' : 'KIPP', `FZ-I-${i}`));
    replications.push(await keyed('replication', await fx.replication(source, { regencyCode, dataset }), 'JIPPNAS', `FZ-R-${i}`));
  }
  innovations.push(await fx.innovation({}));
  const [reference] = await api.sql<{ id: number }>(`select id from innovation where reference_key = 'kakeku-datang'`);
  innovations.push(toGlobalId('Innovation', reference.id));
  const names = ['Pemerintah Kabupaten Gresik', 'Pemerintah Kabupaten Pekalongan', 'Kementerian Kesehatan', 'Pemerintah Kabupaten Klungkung'];
  const institutions = await Promise.all(names.map(async (name) => toGlobalId('Institution', await fx.institutionId(name))));
  const programmes = [await fx.programme('UNTAN', '61'), await fx.programme('UBB', '19'), await fx.programme(null, '35'), await fx.programme(null, '33')];
  const universities = [toGlobalId('University', await fx.universityId('UNTAN')), toGlobalId('University', await fx.universityId('UBB'))];
  const hubs = (await api.sql<{ id: number }>(`select id from hub order by id limit 3`)).map((h) => toGlobalId('Hub', h.id));
  const base: WritePools = {
    ids: { Innovation: innovations, Replication: replications, Institution: institutions, MentoringProgramme: programmes, University: universities, Hub: hubs },
    provinces: ['35', '33', '51', '61', '19', '11', '99'],
    regencies: ['35.25', '35.15', '33.26', '33.74', '51.08', '61.71', '61.01', '19.05', '99.99'],
    externalIds: [...Array.from({ length: 6 }, (_, i) => [`FZ-I-${i}`, `FZ-R-${i}`]).flat(), 'FZ-NEW-1', 'FZ-NEW-2'],
    ownerNames: [...names, 'Dinas Fuzz Baru'],
    innovationKeys: innovations.slice(0, 6).map((_, i) => [i % 2 ? 'IGA' : 'KIPP', `FZ-I-${i}`]),
    replicationKeys: replications.map((_, i) => ['JIPPNAS', `FZ-R-${i}`]),
  };
  // innovations / replications: 0, 1 IMPORTED in 35; 2 IMPORTED in 33; 3 REFERENCE in 35; 4 DEMO in 35; 5 IMPORTED in 51.
  const jatim: Favoured = {
    ids: { Innovation: innovations.slice(0, 2), Replication: replications.slice(0, 2), Institution: [institutions[0]], MentoringProgramme: [programmes[2]] },
    provinces: ['35'],
    regencies: ['35.25', '35.15'],
    externalIds: ['FZ-I-0', 'FZ-I-1', 'FZ-R-0', 'FZ-R-1'],
    ownerNames: [names[0], 'Dinas Fuzz Jatim'],
    innovationKeys: [['KIPP', 'FZ-I-0'], ['IGA', 'FZ-I-1']],
    replicationKeys: [['JIPPNAS', 'FZ-R-0'], ['JIPPNAS', 'FZ-R-1']],
  };
  const jateng: Favoured = {
    ids: { Innovation: [innovations[2]], Replication: [replications[2]], Institution: [institutions[1]], MentoringProgramme: [programmes[3]] },
    provinces: ['33'],
    regencies: ['33.26', '33.74'],
    externalIds: ['FZ-I-2', 'FZ-R-2'],
    ownerNames: [names[1], 'Dinas Fuzz Jateng'],
    innovationKeys: [['KIPP', 'FZ-I-2']],
    replicationKeys: [['JIPPNAS', 'FZ-R-2']],
  };
  const curated35: Favoured = {
    ids: { Innovation: innovations.slice(3, 5), Replication: replications.slice(3, 5) },
    innovationKeys: [['IGA', 'FZ-I-3'], ['KIPP', 'FZ-I-4']],
    replicationKeys: [['JIPPNAS', 'FZ-R-3'], ['JIPPNAS', 'FZ-R-4']],
  };
  const untan: Favoured = { ids: { MentoringProgramme: [programmes[0]], University: [universities[0]] }, provinces: ['61'], regencies: ['61.71', '61.01'] };
  const ubb: Favoured = { ids: { MentoringProgramme: [programmes[1]], University: [universities[1]] }, provinces: ['19'], regencies: ['19.05'] };
  const near: Partial<Record<ViewerName, Near>> = {
    jatimOperator: { own: jatim, tempting: merge(jateng, curated35) },
    jatengOperator: { own: jateng, tempting: merge(jatim, curated35) },
    untan: { own: untan, tempting: ubb },
    ubb: { own: ubb, tempting: untan },
  };
  return { base, near };
}

function merge(a: Favoured, b: Favoured): Favoured {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof Favoured>;
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === 'ids') {
      const types = new Set([...Object.keys(a.ids ?? {}), ...Object.keys(b.ids ?? {})]) as Set<NodeType>;
      out.ids = Object.fromEntries([...types].map((t) => [t, [...(a.ids?.[t] ?? []), ...(b.ids?.[t] ?? [])]]));
    } else out[key] = [...((a[key] as unknown[]) ?? []), ...((b[key] as unknown[]) ?? [])];
  }
  return out as Favoured;
}

/** The pools for one caller: its own records and its near misses three times over, then everything. */
function poolsFor(who: ViewerName): WritePools {
  const { own = {}, tempting = {} } = seeded.near[who] ?? {};
  const thrice = <T>(pick: (f: Favoured) => T[] | undefined, all: T[]) => {
    const favoured = [...(pick(own) ?? []), ...(pick(tempting) ?? [])];
    return [...favoured, ...favoured, ...favoured, ...all];
  };
  const ids = Object.fromEntries(Object.entries(seeded.base.ids).map(([type, all]) => [type, thrice((f) => f.ids?.[type as NodeType], all ?? [])]));
  return {
    ids,
    provinces: thrice((f) => f.provinces, seeded.base.provinces),
    regencies: thrice((f) => f.regencies, seeded.base.regencies),
    externalIds: thrice((f) => f.externalIds, seeded.base.externalIds),
    ownerNames: thrice((f) => f.ownerNames, seeded.base.ownerNames),
    innovationKeys: thrice((f) => f.innovationKeys, seeded.base.innovationKeys),
    replicationKeys: thrice((f) => f.replicationKeys, seeded.base.replicationKeys),
  };
}

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
  schema = await getSchema();
  seeded = await seedPools();
  [{ institutionsBefore }] = await api.sql<{ institutionsBefore: number }>('select max(id) as "institutionsBefore" from institution');
}, 60_000);
afterAll(() => api.close());

/** A document selecting what the mutation answers: the ids written and the refusals. */
function documentFor(field: GraphQLField<unknown, unknown>): string {
  const declared = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const type = getNamedType(field.type);
  const selection = isObjectType(type) && 'errors' in type.getFields()
    ? '{ inserted updated failed errors { line field code } }'
    : `{ ${Object.values((type as GraphQLObjectType).getFields())
        .filter((f) => f.name !== 'userErrors' && f.name !== 'replayed')
        .map((f) => {
          const record = getNamedType(f.type);
          // The record written, by its id (or, for a record without one, its type); a scalar as it is.
          return isObjectType(record) ? `${f.name} { ${'id' in record.getFields() ? 'id' : '__typename'} }` : f.name;
        })
        .join(' ')} userErrors { field code } }`;
  return `mutation(${declared}) { ${field.name}(${passed}) ${selection} }`;
}

function violation(result: Result): string | null {
  if (result.status >= 500) return `HTTP ${result.status}`;
  const bad = (result.body.errors ?? []).filter((e) => !CLIENT_CODES.has(String(e.extensions?.code)));
  return bad.length ? bad.map((e) => `${e.extensions?.code}: ${e.message}`).join('; ') : null;
}

describe('every mutation, for every role, with random variables', () => {
  it('fuzzes every mutation of the schema', () => {
    expect(Object.keys(MAKERS).sort()).toEqual(Object.keys(schema.getMutationType()!.getFields()).sort());
  });

  it('notices a change outside a scope, and only there (the invariant can fail)', async () => {
    const sums = () => outside(VIEWERS.jatimOperator);
    const before = await sums();
    await api.sql(`update innovation set summary = 'Diubah di luar' where registry = 'KIPP' and external_id = 'FZ-I-0'`);
    expect(await sums()).toEqual(before);
    await api.sql(`update innovation set summary = 'Diubah di luar' where registry = 'KIPP' and external_id = 'FZ-I-2'`);
    const after = await sums();
    expect(Object.keys(before).filter((table) => before[table] !== after[table])).toEqual(['innovation']);
  });

  const PAIRS = Object.keys(MAKERS).flatMap((mutation) => (Object.keys(VIEWERS) as ViewerName[]).map((who) => [mutation, who] as const));

  it.each(PAIRS)('%s as %s: never a 500, never a change outside the caller\'s scope', async (mutation, who) => {
    const field = schema.getMutationType()!.getFields()[mutation];
    const viewer = VIEWERS[who];
    const document = documentFor(field);
    await fc.assert(
      fc.asyncProperty(writeCall(mutation, field.args, poolsFor(who)), async (variables) => {
        const before = await outside(viewer);
        const result = await api.run(document, variables, viewer);
        const problem = violation(result);
        const after = await outside(viewer);
        const changed = Object.keys(before).filter((table) => before[table] !== after[table]);
        if (problem || changed.length) {
          throw new Error(`${problem ?? ''}${changed.length ? ` rows outside the scope of ${who} changed in ${changed.join(', ')}` : ''}\nvariables: ${JSON.stringify(variables).slice(0, 3_000)}\nanswer: ${JSON.stringify(result.body).slice(0, 2_000)}`);
        }
      }),
      { numRuns: MAKERS[mutation].includes(viewer.role) ? RUNS : RUNS_REFUSED_ROLE, endOnFailure: true },
    );
  });
});
