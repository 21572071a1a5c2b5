// The reference seed against a seeded database: idempotent, complete, faithful to the reference file's
// grading and sources, and able to restore a corrected fact.
import fs from 'node:fs';
import path from 'node:path';
import { replicationKey, seedReference } from '../../seeds/reference/reference.seeder';
import type { ReferenceReplication } from '../../seeds/reference/reference-data';
import { titleCase } from '../../seeds/reference/regions';
import { openTestApi, type TestApi } from '../support/harness';

let api: TestApi;

beforeAll(async () => {
  api = await openTestApi();
});

afterAll(async () => {
  await api.close();
});

// The reference files as written, read here rather than through the seeder's parser.
type Grade = 'confirmed' | 'reported' | 'unconfirmed';
interface Sourced {
  confidence?: Grade;
  sources?: string[];
  note?: string;
}
interface ReferenceFile {
  legalInstruments: (Sourced & { key: string })[];
  hubDesignations: (Sourced & { provinceCode: string; instrument: string | null; confidence: Grade })[];
  hubTotals: { asOf: string; sources: string[] }[];
  innovations: (Sourced & {
    key: string;
    title: string;
    owner: string;
    awards?: { competition: string; year: number; tier: string; confidence?: Grade }[];
  })[];
  replications: (Sourced & { adopter: { regencyCode?: string; unit?: string } })[];
  universities: { key: string; name: string }[];
  mentoringProgrammes: (Sourced & { year: number; provinceCode: string; partner: string | null; confidence: Grade })[];
  mentoringContext: { sources: string[] };
}
const readJson = <T>(name: string): T =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'seeds', 'reference', name), 'utf8')) as T;
const reference = readJson<ReferenceFile>('jipp-reference.json');
const ministryHubs = readJson<{ hubs: { name: string }[] }>('ministry-hubs.json');

/** The tables the reference seed writes, in the order it writes them. */
const SEEDED_TABLES = [
  'province',
  'regency',
  'legal_instrument',
  'institution',
  'hub',
  'innovation',
  'award',
  'university',
  'mentoring_programme',
  'replication',
  'region_centroid',
  'reference_count',
];

const RANK: Record<string, number> = { UNCONFIRMED: 0, REPORTED: 1, CONFIRMED: 2 };
/** What the reference file says: its grade, or REPORTED when it gives none. */
const graded = (record: { confidence?: Grade }) => (record.confidence ?? 'reported').toUpperCase();

interface Fact {
  key: string;
  confidence: string;
  sources: string[];
}

async function facts(sql: string): Promise<Map<string, Fact>> {
  const rows = await api.sql<Fact>(sql);
  return new Map(rows.map((row) => [row.key, row]));
}

function fact(map: Map<string, Fact>, key: string): Fact {
  const found = map.get(key);
  if (!found) throw new Error(`no seeded row for ${key}`);
  return found;
}

/** One digest per table of every column of every row, so any change to any row shows. */
async function tableDigests(): Promise<Record<string, string>> {
  const tables = await api.sql<{ name: string }>(
    `select table_name as name from information_schema.tables
      where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  );
  const digests: Record<string, string> = {};
  for (const { name } of tables) {
    const [row] = await api.sql<{ digest: string; rows: number }>(
      `select md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as digest, count(*)::int as rows from "${name}" t`,
    );
    digests[name] = `${row.rows}:${row.digest}`;
  }
  return digests;
}

const NOTHING_CHANGED = Object.fromEntries(SEEDED_TABLES.map((table) => [table, 0]));

describe('seedReference on a seeded database', () => {
  it('changes nothing and reports changed: 0', async () => {
    const before = await tableDigests();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(SEEDED_TABLES));
    const result = await seedReference(api.orm);
    expect(result).toEqual({ changed: 0, tables: NOTHING_CHANGED });
    expect(await tableDigests()).toEqual(before);
  });

  it('stays idempotent when run twice more', async () => {
    const before = await tableDigests();
    expect((await seedReference(api.orm)).changed).toBe(0);
    expect((await seedReference(api.orm)).changed).toBe(0);
    expect(await tableDigests()).toEqual(before);
  });

  it('draws no id from any sequence, so ids added later do not jump', async () => {
    const sequences = () =>
      api.sql<{ name: string; last: string | null }>(
        `select sequencename as name, last_value::text as last from pg_sequences where schemaname = 'public' order by 1`,
      );
    const before = await sequences();
    expect(before.length).toBeGreaterThan(5);
    await seedReference(api.orm);
    expect(await sequences()).toEqual(before);
  });
});

describe('the seeded reference data', () => {
  async function count(table: string): Promise<number> {
    const [row] = await api.sql<{ count: number }>(`select count(*)::int as count from ${table}`);
    return row.count;
  }

  /** Owners of innovations, adopting units (named with their regency), ministry hubs. */
  async function institutionNames(): Promise<Set<string>> {
    const regencyNames = new Map(
      (await api.sql<{ code: string; name: string }>('select code, name from regency')).map((r) => [r.code, titleCase(r.name)]),
    );
    const adopterUnits = reference.replications
      .filter((r) => r.adopter.regencyCode && r.adopter.unit)
      .map((r) => `${r.adopter.unit} ${regencyNames.get(r.adopter.regencyCode!)}`);
    return new Set([...reference.innovations.map((i) => i.owner), ...adopterUnits, ...ministryHubs.hubs.map((h) => h.name)]);
  }

  it('has as many rows per table as the reference files', async () => {
    const institutions = await institutionNames();

    const counts: Record<string, number> = {};
    for (const table of [...SEEDED_TABLES, 'mentoring_session']) counts[table] = await count(table);
    expect(counts).toEqual({
      province: 38,
      regency: 514,
      legal_instrument: reference.legalInstruments.length,
      institution: institutions.size,
      hub: reference.hubDesignations.length + ministryHubs.hubs.length,
      innovation: reference.innovations.length,
      award: reference.innovations.reduce((sum, i) => sum + (i.awards?.length ?? 0), 0),
      university: reference.universities.length,
      mentoring_programme: reference.mentoringProgrammes.length,
      replication: reference.replications.length,
      // A point for every province and regency of the official list.
      region_centroid: 38 + 514,
      // KIPP: 9 years registered, 2 with a count past administration; IGA: 8 years of 2 counts; JIPPNas: 1.
      reference_count: 9 + 2 + 8 * 2 + 1,
      mentoring_session: 0,
    });
    // The numbers as they stand, so a silently shrunken reference file shows too.
    expect(counts).toMatchObject({ legal_instrument: 8, hub: 38, innovation: 40, award: 8, replication: 38 });
  });

  it('names every institution the reference files name, and no other', async () => {
    const names = (await api.sql<{ name: string }>('select name from institution')).map((r) => r.name);
    expect(names.sort()).toEqual([...(await institutionNames())].sort());
    expect(names).toContain('Dinas Koperasi, UKM dan Perindustrian Kabupaten Bangka Barat');
    // Buleleng's environment agency owns PAS URBAN and adopts TOSS: one institution, not two.
    expect(names.filter((n) => n === 'Dinas Lingkungan Hidup Kabupaten Buleleng')).toHaveLength(1);
  });

  it('holds only REFERENCE rows, no DEMO ones', async () => {
    for (const table of SEEDED_TABLES) {
      const rows = await api.sql<{ dataset: string; count: number }>(`select dataset, count(*)::int as count from ${table} group by dataset`);
      expect({ table, datasets: rows.map((r) => r.dataset) }).toEqual({ table, datasets: ['REFERENCE'] });
    }
  });

  describe('confidence', () => {
    it('is never stronger than the reference file grades a record', async () => {
      const checks: { what: string; seeded: string; graded: string }[] = [];
      const check = (what: string, seeded: Fact, record: { confidence?: Grade }) =>
        checks.push({ what, seeded: seeded.confidence, graded: graded(record) });

      const instruments = await facts(`select key, confidence, sources from legal_instrument`);
      for (const i of reference.legalInstruments) check(i.key, fact(instruments, i.key), i);

      const hubs = await facts(`select province_code as key, confidence, sources from hub where province_code is not null`);
      for (const h of reference.hubDesignations) check(`hub ${h.provinceCode}`, fact(hubs, h.provinceCode), h);

      const innovations = await facts(`select reference_key as key, confidence, sources from innovation`);
      for (const i of reference.innovations) check(i.key, fact(innovations, i.key), i);

      const awards = await facts(
        `select i.reference_key || '/' || a.competition || '/' || a.year || '/' || a.tier as key, a.confidence, a.sources
           from award a join innovation i on i.id = a.innovation_id`,
      );
      for (const i of reference.innovations) {
        for (const a of i.awards ?? []) {
          const key = `${i.key}/${a.competition}/${a.year}/${a.tier}`;
          check(key, fact(awards, key), a);
        }
      }

      const replications = await facts(`select reference_key as key, confidence, sources from replication`);
      for (const r of reference.replications) {
        const key = replicationKey(r as unknown as ReferenceReplication);
        check(key, fact(replications, key), r);
      }

      const programmes = await facts(
        `select m.year || '-' || m.province_code || '-' || coalesce(u.acronym, '') as key, m.confidence, m.sources
           from mentoring_programme m left join university u on u.id = m.university_id`,
      );
      for (const p of reference.mentoringProgrammes) {
        const key = `${p.year}-${p.provinceCode}-${p.partner ?? ''}`;
        check(key, fact(programmes, key), p);
      }

      expect(checks).toHaveLength(
        reference.legalInstruments.length +
          reference.hubDesignations.length +
          reference.innovations.length +
          8 +
          reference.replications.length +
          reference.mentoringProgrammes.length,
      );
      const stronger = checks.filter((c) => RANK[c.seeded] > RANK[c.graded]);
      expect(stronger).toEqual([]);
      // Weaker than the file would lose facts: the grade is the file's.
      expect(checks.filter((c) => c.seeded !== c.graded)).toEqual([]);
    });

    it('keeps hubs graded "reported" REPORTED', async () => {
      const rows = await api.sql<{ code: string; confidence: string }>(
        `select province_code as code, confidence from hub where province_code in ('17', '21', '71', '76') order by 1`,
      );
      expect(rows).toEqual([
        { code: '17', confidence: 'REPORTED' },
        { code: '21', confidence: 'REPORTED' },
        { code: '71', confidence: 'REPORTED' },
        { code: '76', confidence: 'CONFIRMED' },
      ]);
    });

    it('records what the file does not grade as REPORTED, never CONFIRMED', async () => {
      const ungraded = await api.sql<{ table: string; confidence: string; count: number }>(`
        select 'institution' as table, confidence, count(*)::int as count from institution group by confidence
        union all select 'university', confidence, count(*)::int from university group by confidence
        union all select 'ministry hub', confidence, count(*)::int from hub where institution_id is not null group by confidence
        union all select 'innovation', confidence, count(*)::int from innovation group by confidence
        union all select 'replication', confidence, count(*)::int from replication group by confidence
        union all select 'legal_instrument', confidence, count(*)::int from legal_instrument group by confidence
        order by 1, 2`);
      // None of these records carries a grade in the reference files.
      expect(reference.innovations.every((i) => !i.confidence)).toBe(true);
      expect(reference.replications.every((r) => !r.confidence)).toBe(true);
      expect(reference.legalInstruments.every((i) => !i.confidence)).toBe(true);
      expect(ungraded).toEqual([
        { table: 'innovation', confidence: 'REPORTED', count: 40 },
        { table: 'institution', confidence: 'REPORTED', count: expect.any(Number) },
        { table: 'legal_instrument', confidence: 'REPORTED', count: 8 },
        { table: 'ministry hub', confidence: 'REPORTED', count: 12 },
        { table: 'replication', confidence: 'REPORTED', count: 38 },
        { table: 'university', confidence: 'REPORTED', count: 2 },
      ]);
    });
  });

  describe('sources', () => {
    it('leaves no reference row without sources', async () => {
      for (const table of SEEDED_TABLES) {
        const [row] = await api.sql<{ count: number }>(`select count(*)::int as count from ${table} where cardinality(sources) = 0`);
        expect({ table, withoutSources: row.count }).toEqual({ table, withoutSources: 0 });
      }
    });

    it('cites the official area code list for provinces and regencies', async () => {
      const rows = await api.sql<{ sources: string[]; confidence: string; count: number }>(`
        select sources, confidence, count(*)::int as count from (
          select sources, confidence from province union all select sources, confidence from regency
        ) r group by sources, confidence`);
      expect(rows).toEqual([{ sources: [expect.stringMatching(/^idn-area-data \d+\.\d+\.\d+ /)], confidence: 'CONFIRMED', count: 552 }]);
    });

    it('keeps the sources the reference file gives each record', async () => {
      const instrumentSources = new Map(reference.legalInstruments.map((i) => [i.key, i.sources ?? []]));

      const instruments = await facts(`select key, confidence, sources from legal_instrument`);
      for (const i of reference.legalInstruments) expect([i.key, fact(instruments, i.key).sources]).toEqual([i.key, i.sources]);

      const hubs = await facts(`select province_code as key, confidence, sources from hub where province_code is not null`);
      for (const h of reference.hubDesignations) {
        // A hub without sources of its own is sourced by its decree.
        const expected = h.sources?.length ? h.sources : instrumentSources.get(h.instrument!);
        expect([h.provinceCode, fact(hubs, h.provinceCode).sources]).toEqual([h.provinceCode, expected]);
      }

      const ministrySources = reference.hubTotals.find((t) => t.asOf === '2023-10-20')!.sources;
      const ministries = await api.sql<{ sources: string[] }>(`select sources from hub where institution_id is not null`);
      expect(ministries).toEqual(ministryHubs.hubs.map(() => ({ sources: ministrySources })));

      const innovations = await facts(`select reference_key as key, confidence, sources from innovation`);
      for (const i of reference.innovations) expect([i.key, fact(innovations, i.key).sources]).toEqual([i.key, i.sources]);

      const awards = await api.sql<{ key: string; award: string[]; innovation: string[] }>(
        `select i.reference_key as key, a.sources as award, i.sources as innovation from award a join innovation i on i.id = a.innovation_id`,
      );
      for (const a of awards) expect([a.key, a.award]).toEqual([a.key, a.innovation]);

      const replications = await facts(`select reference_key as key, confidence, sources from replication`);
      for (const r of reference.replications) {
        const key = replicationKey(r as unknown as ReferenceReplication);
        expect([key, fact(replications, key).sources]).toEqual([key, r.sources]);
      }

      const programmes = await facts(`select year || '-' || province_code as key, confidence, sources from mentoring_programme`);
      for (const p of reference.mentoringProgrammes) {
        const key = `${p.year}-${p.provinceCode}`;
        // A programme without sources of its own is sourced by the 2021 mentoring scope.
        const expected = p.sources?.length ? p.sources : reference.mentoringContext.sources;
        expect([key, fact(programmes, key).sources]).toEqual([key, expected]);
      }
    });
  });
});

describe('seedReference after a fact was changed in the database', () => {
  it('restores a wrong title and reports changed: 1', async () => {
    const [{ id }] = await api.sql<{ id: number }>(`select id from innovation where reference_key = 'toss'`);
    const untouched = await tableDigests();
    await api.sql(`update innovation set title = 'TOSS (wrong)' where id = ?`, [id]);

    const result = await seedReference(api.orm);

    expect(result).toEqual({ changed: 1, tables: { ...NOTHING_CHANGED, innovation: 1 } });
    const [row] = await api.sql<{ title: string; version: number }>(`select title, version from innovation where id = ?`, [id]);
    expect(row).toEqual({ title: 'TOSS (Tempat Olah Sampah Setempat)', version: 2 });
    const after = await tableDigests();
    const changedTables = Object.keys(after).filter((table) => after[table] !== untouched[table]);
    // The correction is recorded in the change log, as every committed write is.
    expect(changedTables).toEqual(['change_commit', 'change_event', 'innovation']);
    const events = await api.sql(`select record_type, operation, bulk, row_count, scope, actor->>'tool' as tool from change_event order by id desc limit 1`);
    expect(events).toEqual([{ record_type: 'Innovation', operation: 'UPDATE', bulk: true, row_count: 1, scope: '51', tool: 'reference seed' }]);
    expect((await seedReference(api.orm)).changed).toBe(0);
  });

  it('takes back a confidence raised by hand', async () => {
    await api.sql(`update hub set confidence = 'CONFIRMED' where province_code = '21'`);
    const result = await seedReference(api.orm);
    expect(result).toEqual({ changed: 1, tables: { ...NOTHING_CHANGED, hub: 1 } });
    const [row] = await api.sql<{ confidence: string }>(`select confidence from hub where province_code = '21'`);
    expect(row.confidence).toBe('REPORTED');
  });

  it('restores a source removed by hand', async () => {
    await api.sql(`update legal_instrument set sources = sources[1:1] where key = 'KEPMENPANRB-94-2020'`);
    const result = await seedReference(api.orm);
    expect(result).toEqual({ changed: 1, tables: { ...NOTHING_CHANGED, legal_instrument: 1 } });
    const [row] = await api.sql<{ sources: string[] }>(`select sources from legal_instrument where key = 'KEPMENPANRB-94-2020'`);
    expect(row.sources).toEqual(reference.legalInstruments.find((i) => i.key === 'KEPMENPANRB-94-2020')!.sources);
  });

  it('puts back a deleted award', async () => {
    await api.sql(`delete from award where tier = 'UNPSA_NOMINEE'`);
    const result = await seedReference(api.orm);
    expect(result).toEqual({ changed: 1, tables: { ...NOTHING_CHANGED, award: 1 } });
    const rows = await api.sql<{ key: string; year: number }>(
      `select i.reference_key as key, a.year from award a join innovation i on i.id = a.innovation_id where a.tier = 'UNPSA_NOMINEE'`,
    );
    expect(rows).toEqual([{ key: 'anc-hipnoterapi', year: 2019 }]);
  });
});
