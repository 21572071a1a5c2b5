// The database itself rejects what cannot be true: every check, key and trigger is exercised with plain
// SQL, and a rejection is asserted by its PostgreSQL error code and constraint name. Each test runs in a
// transaction that is rolled back, so the tests do not see each other's rows.
import { Client, DatabaseError } from 'pg';
import { createTestDatabase } from '../support/harness';

const CHECK_VIOLATION = '23514';
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';

type Row = Record<string, any>;

let database: { url: string; drop: () => Promise<void> };
let client: Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new Client({ connectionString: database.url });
  await client.connect();
});

afterAll(async () => {
  await client.end();
  await database.drop();
});

beforeEach(() => client.query('begin'));
afterEach(() => client.query('rollback'));

async function rows(text: string, params: unknown[] = []): Promise<Row[]> {
  return (await client.query(text, params)).rows;
}

async function one(text: string, params: unknown[] = []): Promise<Row> {
  const result = await rows(text, params);
  if (result.length !== 1) throw new Error(`expected one row, got ${result.length}: ${text}`);
  return result[0];
}

/** Tables whose rows carry provenance; test rows are synthetic, so they say DEMO unless a test says otherwise. */
const FACT_TABLES = new Set(['province', 'regency', 'legal_instrument', 'institution', 'hub', 'innovation', 'award', 'replication', 'university', 'mentoring_programme', 'mentoring_session']);

function insertSql(table: string, given: Row): [string, unknown[]] {
  const values = FACT_TABLES.has(table) && !('dataset' in given) ? { dataset: 'DEMO', ...given } : given;
  const columns = Object.keys(values);
  const text = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')}) returning *`;
  return [text, Object.values(values)];
}

function insert(table: string, values: Row): Promise<Row> {
  return one(...insertSql(table, values));
}

/** Runs a statement that must fail; returns the error code and constraint, and keeps the transaction usable. */
async function rejection(text: string, params: unknown[] = []): Promise<{ code?: string; constraint?: string }> {
  await client.query('savepoint attempt');
  try {
    await client.query(text, params);
  } catch (error) {
    await client.query('rollback to savepoint attempt');
    if (!(error instanceof DatabaseError)) throw error;
    return { code: error.code, constraint: error.constraint };
  }
  await client.query('release savepoint attempt');
  throw new Error(`the database accepted: ${text} ${JSON.stringify(params)}`);
}

function insertRejection(table: string, values: Row) {
  return rejection(...insertSql(table, values));
}

async function innovationByKey(key: string): Promise<Row> {
  return one('select id, owner_id, province_code, regency_code from innovation where reference_key = $1', [key]);
}

async function provinceWithoutHub(): Promise<string> {
  const row = await one(
    'select min(code) as code from province where code not in (select province_code from hub where province_code is not null)',
  );
  return row.code;
}

// ANC Hipnoterapi, owned by Pemerintah Kabupaten Luwu Utara, in Kabupaten Luwu Utara (73.22).
const ORIGIN_REGENCY = '73.22';

describe('replication: no self-adoption (trigger replication_before_write)', () => {
  let anc: Row;

  beforeEach(async () => {
    anc = await innovationByKey('anc-hipnoterapi');
    expect(anc).toMatchObject({ province_code: '73', regency_code: ORIGIN_REGENCY });
  });

  function replicationTo(regencyCode: string, extra: Row = {}): Row {
    return {
      source_id: anc.id,
      adopter_scope: 'REGENCY',
      adopter_province_code: regencyCode.slice(0, 2),
      adopter_regency_code: regencyCode,
      kind: 'REPLICATION',
      status: 'PROPOSED',
      year: 2022,
      ...extra,
    };
  }

  it('rejects a REPLICATION of an innovation to its own regency by its own owner', async () => {
    expect(await insertRejection('replication', replicationTo(ORIGIN_REGENCY))).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'replication_not_self_adoption',
    });
    expect(await insertRejection('replication', replicationTo(ORIGIN_REGENCY, { adopter_institution_id: anc.owner_id }))).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'replication_not_self_adoption',
    });
  });

  it('rejects a DISSEMINATION of an innovation to its own regency by its own owner', async () => {
    expect(
      await insertRejection('replication', replicationTo(ORIGIN_REGENCY, { kind: 'DISSEMINATION', adopter_institution_id: anc.owner_id })),
    ).toEqual({ code: CHECK_VIOLATION, constraint: 'replication_not_self_adoption' });
  });

  it('rejects a REPLICATION of a provincial innovation to its own province', async () => {
    const jabar = await innovationByKey('ekosistem-data-jabar');
    expect(jabar).toMatchObject({ province_code: '32', regency_code: null });

    expect(
      await insertRejection('replication', {
        source_id: jabar.id,
        adopter_scope: 'PROVINCE',
        adopter_province_code: '32',
        kind: 'REPLICATION',
        status: 'PROPOSED',
        year: 2022,
      }),
    ).toEqual({ code: CHECK_VIOLATION, constraint: 'replication_not_self_adoption' });
  });

  it('allows a SCALING_UP at the origin, as the reference records for ANC Hipnoterapi -> Hypnogreen in 73.22', async () => {
    expect(
      await rows(
        `select r.kind, r.adopter_scope, r.adopter_regency_code, r.source_regency_code, a.reference_key as adopted_as
           from replication r join innovation a on a.id = r.adopted_as_id
          where r.source_id = $1`,
        [anc.id],
      ),
    ).toEqual([
      { kind: 'SCALING_UP', adopter_scope: 'REGENCY', adopter_regency_code: ORIGIN_REGENCY, source_regency_code: ORIGIN_REGENCY, adopted_as: 'hypnogreen' },
    ]);

    const inserted = await insert('replication', replicationTo(ORIGIN_REGENCY, { kind: 'SCALING_UP', adopter_institution_id: anc.owner_id }));
    expect(inserted).toMatchObject({ kind: 'SCALING_UP', adopter_regency_code: ORIGIN_REGENCY });
  });

  it('rejects turning the scaling-up at the origin into a replication', async () => {
    const seeded = await one(`select id from replication where source_id = $1 and kind = 'SCALING_UP'`, [anc.id]);

    expect(await rejection(`update replication set kind = 'REPLICATION' where id = $1`, [seeded.id])).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'replication_not_self_adoption',
    });
  });

  it('allows a replication by a different unit of the same regency', async () => {
    const unit = await insert('institution', {
      name: 'Dinas Kesehatan Kabupaten Luwu Utara',
      kind: 'REGIONAL_AGENCY',
      province_code: '73',
      regency_code: ORIGIN_REGENCY,
    });

    const inserted = await insert('replication', replicationTo(ORIGIN_REGENCY, { adopter_institution_id: unit.id }));
    expect(inserted).toMatchObject({ kind: 'REPLICATION', adopter_regency_code: ORIGIN_REGENCY, adopter_institution_id: unit.id });
  });
});

describe('replication: source region (triggers replication_before_write and innovation_region_changed)', () => {
  it("copies the source innovation's province and regency on insert, whatever the writer sent", async () => {
    const anc = await innovationByKey('anc-hipnoterapi');

    const inserted = await insert('replication', {
      source_id: anc.id,
      source_province_code: '11',
      source_regency_code: '11.01',
      adopter_scope: 'REGENCY',
      adopter_province_code: '35',
      adopter_regency_code: '35.25',
      kind: 'REPLICATION',
      status: 'PROPOSED',
      year: 2022,
    });

    expect(inserted).toMatchObject({ source_province_code: '73', source_regency_code: ORIGIN_REGENCY });
  });

  it('moves the replications along when their source innovation moves to another region', async () => {
    const toss = await innovationByKey('toss');
    const sourceRegions = () =>
      rows('select distinct source_province_code, source_regency_code from replication where source_id = $1', [toss.id]);
    expect(await sourceRegions()).toEqual([{ source_province_code: toss.province_code, source_regency_code: toss.regency_code }]);

    await client.query(`update innovation set province_code = '35', regency_code = '35.25' where id = $1`, [toss.id]);
    expect(await sourceRegions()).toEqual([{ source_province_code: '35', source_regency_code: '35.25' }]);

    await client.query(`update innovation set province_code = null, regency_code = null where id = $1`, [toss.id]);
    expect(await sourceRegions()).toEqual([{ source_province_code: null, source_regency_code: null }]);
  });
});

describe('regions', () => {
  it('rejects a regency whose code does not belong to its province', async () => {
    expect(await insertRejection('regency', { code: '35.90', province_code: '36', name: 'KOTA SALAH', kind: 'KOTA' })).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'regency_code_in_province',
    });
  });

  it('rejects a regency kind that does not match its code (KOTA codes are .71 to .99)', async () => {
    const mismatch = { code: CHECK_VIOLATION, constraint: 'regency_kind_matches_code' };
    expect(await insertRejection('regency', { code: '35.30', province_code: '35', name: 'KOTA BARU', kind: 'KOTA' })).toEqual(mismatch);
    expect(await insertRejection('regency', { code: '35.80', province_code: '35', name: 'KABUPATEN BARU', kind: 'KABUPATEN' })).toEqual(mismatch);

    await insert('regency', { code: '35.30', province_code: '35', name: 'KABUPATEN BARU', kind: 'KABUPATEN' });
    await insert('regency', { code: '35.80', province_code: '35', name: 'KOTA BARU', kind: 'KOTA' });
  });

  it('agrees with the seeded regencies: every KOTA code is .71 or above, every KABUPATEN below', async () => {
    expect(
      await one(`select count(*)::int as kota, count(*) filter (where substr(code, 4, 2) >= '71')::int as kota_codes from regency where kind = 'KOTA'`),
    ).toEqual({ kota: 98, kota_codes: 98 });
  });

  it('rejects an innovation whose regency is not in its province', async () => {
    const owner = await one(`select id from institution where name = 'Pemerintah Kabupaten Luwu Utara'`);
    expect(
      await insertRejection('innovation', { title: 'Salah Wilayah', owner_id: owner.id, province_code: '35', regency_code: ORIGIN_REGENCY }),
    ).toEqual({ code: CHECK_VIOLATION, constraint: 'innovation_regency_in_province' });
  });

  it('rejects an institution whose regency is not in its province', async () => {
    expect(
      await insertRejection('institution', { name: 'Dinas Salah Wilayah', kind: 'REGIONAL_AGENCY', province_code: '35', regency_code: ORIGIN_REGENCY }),
    ).toEqual({ code: CHECK_VIOLATION, constraint: 'institution_regency_in_province' });
  });
});

describe('hubs', () => {
  it('accepts a committed province hub (the baseline the other cases vary)', async () => {
    const province = await provinceWithoutHub();
    expect(await insert('hub', { province_code: province, cohort_year: 2025, stage: 'COMMITTED' })).toMatchObject({ province_code: province });
  });

  it('rejects a hub for an unknown province', async () => {
    expect(await rows(`select code from province where code = '99'`)).toEqual([]);
    expect(await insertRejection('hub', { province_code: '99', cohort_year: 2025, stage: 'COMMITTED' })).toEqual({
      code: FOREIGN_KEY_VIOLATION,
      constraint: 'hub_province_code_foreign',
    });
  });

  it('rejects a hub that is neither a province nor an institution', async () => {
    expect(await insertRejection('hub', { cohort_year: 2025, stage: 'COMMITTED' })).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'hub_is_province_or_institution',
    });
  });

  it('rejects a hub that is both a province and an institution', async () => {
    const institution = await insert('institution', { name: 'Kementerian Contoh', kind: 'MINISTRY' });
    expect(
      await insertRejection('hub', { province_code: await provinceWithoutHub(), institution_id: institution.id, cohort_year: 2025, stage: 'COMMITTED' }),
    ).toEqual({ code: CHECK_VIOLATION, constraint: 'hub_is_province_or_institution' });
  });

  it('rejects a DESIGNATED hub without a decree', async () => {
    expect(await insertRejection('hub', { province_code: await provinceWithoutHub(), cohort_year: 2025, stage: 'DESIGNATED' })).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'hub_designated_has_instrument',
    });
  });
});

describe('innovations: registry ids', () => {
  let ownerId: number;

  beforeEach(async () => {
    ownerId = (await one(`select id from institution where name = 'Pemerintah Kabupaten Luwu Utara'`)).id;
  });

  function innovation(title: string, registry: string | null, externalId: string | null): Row {
    return { title, owner_id: ownerId, province_code: '73', regency_code: ORIGIN_REGENCY, registry, external_id: externalId };
  }

  it('rejects the same external id twice in one registry', async () => {
    await insert('innovation', innovation('Pertama', 'KIPP', 'KIPP-2024-0001'));
    expect(await insertRejection('innovation', innovation('Kedua', 'KIPP', 'KIPP-2024-0001'))).toEqual({
      code: UNIQUE_VIOLATION,
      constraint: 'innovation_registry_external_id_unique',
    });
  });

  it('accepts the same external id in two registries', async () => {
    await insert('innovation', innovation('Pertama', 'KIPP', '0001'));
    expect(await insert('innovation', innovation('Kedua', 'IGA', '0001'))).toMatchObject({ registry: 'IGA', external_id: '0001' });
  });

  it('rejects an external id without a registry', async () => {
    expect(await insertRejection('innovation', innovation('Tanpa Registri', null, '0001'))).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'innovation_external_id_has_registry',
    });
  });
});

describe('replication: adopter and years', () => {
  let base: Row;

  beforeEach(async () => {
    const anc = await innovationByKey('anc-hipnoterapi');
    base = {
      source_id: anc.id,
      adopter_scope: 'REGENCY',
      adopter_province_code: '35',
      adopter_regency_code: '35.25',
      kind: 'REPLICATION',
      status: 'COMMITTED',
      year: 2022,
      implementation_year: 2023,
    };
  });

  it('accepts a replication to another regency (the baseline the other cases vary)', async () => {
    expect(await insert('replication', base)).toMatchObject({ adopter_regency_code: '35.25', implementation_year: 2023 });
  });

  it('rejects a replication adopted as its own source', async () => {
    expect(await insertRejection('replication', { ...base, adopted_as_id: base.source_id })).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'replication_not_adopted_as_itself',
    });
  });

  it.each([
    ['NATIONAL with a province', { adopter_scope: 'NATIONAL', adopter_province_code: '35', adopter_regency_code: null }],
    ['NATIONAL with a regency', { adopter_scope: 'NATIONAL', adopter_province_code: null, adopter_regency_code: '35.25' }],
    ['PROVINCE without a province', { adopter_scope: 'PROVINCE', adopter_province_code: null, adopter_regency_code: null }],
    ['PROVINCE with a regency', { adopter_scope: 'PROVINCE', adopter_province_code: '35', adopter_regency_code: '35.25' }],
    ['REGENCY without a regency', { adopter_scope: 'REGENCY', adopter_province_code: '35', adopter_regency_code: null }],
    ['REGENCY whose province differs', { adopter_scope: 'REGENCY', adopter_province_code: '73', adopter_regency_code: '35.25' }],
  ])('rejects an inconsistent adopter: %s', async (_name, adopter) => {
    expect(await insertRejection('replication', { ...base, ...adopter })).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'replication_adopter_scope',
    });
  });

  it('rejects an implementation year before the year', async () => {
    expect(await insertRejection('replication', { ...base, year: 2022, implementation_year: 2021 })).toEqual({
      code: CHECK_VIOLATION,
      constraint: 'replication_implementation_after_year',
    });
  });
});

describe('provenance', () => {
  it('refuses a row that does not say which dataset it belongs to, so nothing becomes a "fact" by default', async () => {
    const owner = (await one(`select id from institution where name = 'Pemerintah Kabupaten Luwu Utara'`)).id;
    expect(await rejection('insert into innovation (title, owner_id) values ($1, $2)', ['Tanpa dataset', owner])).toEqual({
      code: '23502',
      constraint: undefined,
    });
  });
});
