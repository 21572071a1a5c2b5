// The DEMO network generator at small scale, on real PostgreSQL: deterministic, tagged, realistic enough
// for the dashboards, and removable without touching a fact.
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { DemoAlreadyLoadedError, seedDemo } from '../../seeds/demo/demo.seeder';
import { isNeighbour } from '../../seeds/demo/geography';
import { generateDemoNetwork } from '../../seeds/demo/network';
import { DemoStillReferencedError, removeDemo } from '../../seeds/demo/remove';
import { DEMO_SCALES } from '../../seeds/demo/scale';
import { readDemoWorld } from '../../seeds/demo/world';
import { createTestDatabase } from '../support/harness';
import { expectSpreadCounts } from '../support/spread-contract';
import { checksumDemo, checksumRows, countDemo, maxDiffusionDepth } from './demo-sql';

interface Database {
  client: Client;
  drop: () => Promise<void>;
}

async function openDatabase(): Promise<Database> {
  const database = await createTestDatabase();
  const client = new Client({ connectionString: database.url });
  await client.connect();
  return {
    client,
    drop: async () => {
      await client.end();
      await database.drop();
    },
  };
}

const SEED = 7;
const small = DEMO_SCALES.small;

describe('seeds/demo: the DEMO network generator', () => {
  let first: Database;
  let second: Database;
  let referenceBefore: Record<string, string>;
  let everythingBefore: Record<string, string>;

  beforeAll(async () => {
    [first, second] = await Promise.all([openDatabase(), openDatabase()]);
    referenceBefore = await checksumRows(first.client, 'REFERENCE');
    everythingBefore = await checksumRows(second.client, 'NOT_DEMO');
    await seedDemo(first.client, { scale: 'small', seed: SEED });
    await seedDemo(second.client, { scale: 'small', seed: SEED });
  });

  afterAll(async () => {
    await Promise.all([first?.drop(), second?.drop()]);
  });

  const sql = async <T extends object>(text: string, params: unknown[] = []) => (await first.client.query<T>(text, params)).rows;

  it('loads identical rows from the same seed into two fresh databases', async () => {
    expect(await checksumDemo(second.client)).toEqual(await checksumDemo(first.client));
  });

  it('generates a different network from a different seed', async () => {
    const world = await readDemoWorld(first.client);
    const hash = (seed: number) => createHash('md5').update(JSON.stringify(generateDemoNetwork(world, 'small', seed))).digest('hex');
    expect(hash(SEED)).toBe(hash(SEED));
    expect(hash(SEED + 1)).not.toBe(hash(SEED));
  });

  it('loads the counts of the scale, and one government per regency and per province', async () => {
    const [{ regencies, provinces }] = await sql<{ regencies: number; provinces: number }>(
      `select (select count(*)::int from regency) as regencies, (select count(*)::int from province) as provinces`,
    );
    const counts = await countDemo(first.client);
    expect(counts).toMatchObject({ innovation: small.innovations, replication: small.replications });
    expect(counts.award).toBeGreaterThan(0);
    const governments = await sql<{ kind: string; n: number }>(
      `select kind, count(*)::int as n from institution where dataset = 'DEMO' and kind like '%GOVERNMENT' group by kind order by kind`,
    );
    const byKind = Object.fromEntries(governments.map((g) => [g.kind, g.n]));
    expect(byKind.CITY_GOVERNMENT + byKind.REGENCY_GOVERNMENT).toBe(regencies);
    expect(byKind.PROVINCIAL_GOVERNMENT).toBe(provinces);
  });

  it('tags every DEMO row DEMO and UNCONFIRMED, with the synthetic source of its seed and a [DEMO] title', async () => {
    for (const table of ['institution', 'innovation', 'award', 'replication']) {
      const rows = await sql<{ confidence: string; sources: string[]; n: number }>(
        `select confidence, sources, count(*)::int as n from ${table} where dataset = 'DEMO' group by 1, 2`,
      );
      expect(rows.map(({ confidence, sources }) => ({ confidence, sources }))).toEqual([
        { confidence: 'UNCONFIRMED', sources: [`synthetic: demo generator seed=${SEED}`] },
      ]);
    }
    const untitled = await sql(`select id from innovation where dataset = 'DEMO' and title not like '[DEMO] %'`);
    expect(untitled).toEqual([]);
    const unnamed = await sql(`select id from institution where dataset = 'DEMO' and name not like '% (DEMO)'`);
    expect(unnamed).toEqual([]);
  });

  it('leaves every REFERENCE row unchanged', async () => {
    expect(await checksumRows(first.client, 'REFERENCE')).toEqual(referenceBefore);
  });

  it('copies each source region onto its replications (the trigger ran) and gives every innovation a registry id', async () => {
    const mismatched = await sql(
      `select r.id from replication r join innovation i on i.id = r.source_id
        where r.dataset = 'DEMO' and (r.source_province_code is distinct from i.province_code
                                     or r.source_regency_code is distinct from i.regency_code)`,
    );
    expect(mismatched).toEqual([]);
    const [{ missing }] = await sql<{ missing: number }>(
      `select count(*)::int as missing from innovation where dataset = 'DEMO' and (registry is null or external_id is null)`,
    );
    expect(missing).toBe(0);
  });

  it('grows diffusion trees three to five generations deep through local versions', async () => {
    const depth = await maxDiffusionDepth(first.client);
    expect(depth).toBeGreaterThanOrEqual(3);
    expect(depth).toBeLessThanOrEqual(5);
  });

  it('spreads adoptions by a power law: most innovations get few, the top 1% get a large share', async () => {
    const counts = (await sql<{ n: number }>(
      `select count(r.id)::int as n from innovation i left join replication r on r.source_id = i.id
        where i.dataset = 'DEMO' group by i.id order by 1 desc`,
    )).map((r) => r.n);
    const top = counts.slice(0, Math.ceil(counts.length / 100)).reduce((a, b) => a + b, 0);
    expect(counts[Math.floor(counts.length / 2)]).toBeLessThanOrEqual(2);
    expect(top / small.replications).toBeGreaterThan(0.1);
  });

  it('keeps most replications within the source province or a neighbouring one, and weights Java heavily', async () => {
    const pairs = await sql<{ source: string; adopter: string; n: number }>(
      `select source_province_code as source, adopter_province_code as adopter, count(*)::int as n
         from replication where dataset = 'DEMO' and adopter_province_code is not null group by 1, 2`,
    );
    const total = pairs.reduce((sum, p) => sum + p.n, 0);
    const near = pairs.filter((p) => p.source === p.adopter || isNeighbour(p.source, p.adopter)).reduce((sum, p) => sum + p.n, 0);
    expect(near / total).toBeGreaterThan(0.7);
    const [{ java }] = await sql<{ java: number }>(
      `select avg((province_code between '31' and '36')::int)::float as java from innovation where dataset = 'DEMO'`,
    );
    expect(java).toBeGreaterThan(0.45);
  });

  it('has hubs facilitate only once active, and hub provinces replicate more after designation than before', async () => {
    const early = await sql(
      `select r.id from replication r join hub h on h.id = r.facilitating_hub_id
        where r.dataset = 'DEMO' and r.year < extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))`,
    );
    expect(early).toEqual([]);
    const hubs = await sql<{ code: string; active: number }>(
      `select province_code as code, extract(year from coalesce(designated_on, committed_on, make_date(cohort_year, 1, 1)))::int as active
         from hub where province_code is not null and dataset = 'REFERENCE'`,
    );
    const rows = await sql<{ source: string; adopter: string | null; year: number }>(
      `select source_province_code as source, adopter_province_code as adopter, year from replication where dataset = 'DEMO'`,
    );
    const perYear = new Map<number, number>();
    for (const r of rows) perYear.set(r.year, (perYear.get(r.year) ?? 0) + 1);
    // A hub province's share of each year's replications, averaged over the years before and after it became a hub.
    const before: number[] = [];
    const after: number[] = [];
    for (const hub of hubs) {
      for (const [year, total] of perYear) {
        const involved = rows.filter((r) => r.year === year && (r.source === hub.code || r.adopter === hub.code)).length;
        (year < hub.active ? before : after).push(involved / total);
      }
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(after)).toBeGreaterThan(1.2 * mean(before));
  });

  it('leaves the distinct-innovation counts exact after the bulk load, and counted again by the triggers for the next write', async () => {
    const query = async (text: string) => (await first.client.query(text)).rows;
    await expectSpreadCounts(query);
    await sql(
      `insert into replication (dataset, source_id, adopter_scope, adopter_province_code, kind, status, year)
       select 'DEMO', id, 'PROVINCE', '11', 'DISSEMINATION', 'PROPOSED', 2013 from innovation where dataset = 'DEMO' order by id limit 3`,
    );
    await expectSpreadCounts(query);
    await sql(`delete from replication where year = 2013 and kind = 'DISSEMINATION' and dataset = 'DEMO'`);
  });

  it('treats re-running with the same scale and seed as a no-op and refuses another scale or seed', async () => {
    await expect(seedDemo(first.client, { scale: 'small', seed: SEED })).resolves.toMatchObject({ outcome: 'unchanged' });
    await expect(seedDemo(first.client, { scale: 'small', seed: SEED + 1 })).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    await expect(seedDemo(first.client, { scale: 'national', seed: SEED })).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    expect(await countDemo(first.client)).toMatchObject({ innovation: small.innovations, replication: small.replications });
  });

  it('removes every DEMO row and nothing else', async () => {
    const removed = await removeDemo(second.client);
    expect(removed).toMatchObject({ innovation: small.innovations, replication: small.replications });
    expect(Object.values(await countDemo(second.client)).every((n) => n === 0)).toBe(true);
    expect(await checksumRows(second.client, 'NOT_DEMO')).toEqual(everythingBefore);
  });

  it('refuses to remove the DEMO network while a non-DEMO row points at it, changing nothing', async () => {
    await sql(
      `insert into award (innovation_id, competition, year, tier, dataset)
       select id, 'OTHER', 2024, 'TOP_99', 'IMPORTED' from innovation where dataset = 'DEMO' order by id limit 1`,
    );
    await expect(removeDemo(first.client)).rejects.toBeInstanceOf(DemoStillReferencedError);
    expect(await countDemo(first.client)).toMatchObject({ innovation: small.innovations, replication: small.replications });
  });
});
