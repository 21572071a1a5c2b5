// The rollup tables stay equal to a fresh aggregate of their source through every kind of write:
// row and multi-row inserts, status and region updates (including the cascade from an innovation's region
// to its replications), deletes, and truncation.
import { ROLLUP_TABLES } from '../../src/db/rollups';
import { expectSpreadCounts } from '../support/spread-contract';
import { openTestApi, type TestApi } from '../support/harness';
import { buildNetwork } from '../support/network';

interface RollupShape {
  table: string;
  source: string;
  keys: string[];
  count: string;
}

describe('rollups', () => {
  let api: TestApi;
  let shapes: RollupShape[];

  /** Every rollup row with a positive count, and the same aggregate computed from the source table. */
  async function compare(shape: RollupShape) {
    const keys = shape.keys.join(', ');
    const order = shape.keys.map((k) => `${k} nulls first`).join(', ');
    const kept = await api.sql(`select ${keys}, ${shape.count} as n from ${shape.table} where ${shape.count} > 0 order by ${order}`);
    const fresh = await api.sql(`select ${keys}, count(*)::int as n from ${shape.source} group by ${keys} order by ${order}`);
    return { kept, fresh };
  }

  async function expectConsistent() {
    for (const shape of shapes) {
      const { kept, fresh } = await compare(shape);
      expect({ table: shape.table, rows: kept }).toEqual({ table: shape.table, rows: fresh });
    }
    await expectSpreadCounts((text) => api.sql(text));
  }

  beforeAll(async () => {
    api = await openTestApi();
    shapes = [];
    // The spread rollup is no plain count of rows: expectSpreadCounts checks what it is for.
    for (const table of ROLLUP_TABLES.filter((t) => t !== 'replication_spread_rollup')) {
      const columns = await api.sql<{ column_name: string }>(
        `select column_name from information_schema.columns where table_name = ? order by ordinal_position`,
        [table],
      );
      const names = columns.map((c) => c.column_name);
      const count = names[names.length - 1];
      shapes.push({ table, source: count === 'innovations' ? 'innovation' : 'replication', keys: names.slice(0, -1), count });
    }
  });

  afterAll(() => api.close());

  it('covers every rollup table the migration creates', () => {
    expect(shapes.map((s) => `${s.table}.${s.count}`).sort()).toEqual([
      'innovation_rollup.innovations',
      'replication_activity_rollup.n',
      'replication_flow_rollup.replications',
      'replication_in_rollup.replications',
      'replication_out_rollup.replications',
      'replication_province_rollup.replications',
      'replication_regency_flow_rollup.replications',
    ]);
  });

  it('holds the reference data after migration and seeding', async () => {
    const [{ n }] = await api.sql<{ n: number }>('select count(*)::int as n from replication');
    expect(n).toBeGreaterThan(0);
    await expectConsistent();
  });

  it('follows row-by-row inserts of a generated network', async () => {
    await buildNetwork(api, 7, 12);
    await expectConsistent();
  });

  it('follows status, year and kind updates of many rows in one statement', async () => {
    await api.sql(`update replication set status = 'INSTITUTIONALIZED', year = year + 1 where id % 3 = 0 and year < 2099`);
    await api.sql(`update replication set kind = 'SCALING_UP' where id % 5 = 0`);
    await expectConsistent();
  });

  it("follows an innovation moved to another region, and the cascade to its replications' source codes", async () => {
    const [moved] = await api.sql<{ id: number }>(
      `select source_id as id from replication where source_regency_code is not null group by source_id order by count(*) desc limit 1`,
    );
    const [target] = await api.sql<{ code: string }>(
      `select code from regency where province_code <> (select province_code from innovation where id = ?) order by code limit 1`,
      [moved.id],
    );
    await api.sql(`update innovation set province_code = left(?, 2), regency_code = ? where id = ?`, [target.code, target.code, moved.id]);
    const [{ n }] = await api.sql<{ n: number }>(`select count(*)::int as n from replication where source_id = ? and source_regency_code = ?`, [
      moved.id,
      target.code,
    ]);
    expect(n).toBeGreaterThan(0);
    await expectConsistent();
  });

  it("follows awards through the innovation's award flag: a first award, a moved one, the last one removed", async () => {
    const flagWrong = () =>
      api.sql<{ n: number }>(
        'select count(*)::int as n from innovation i where i.has_award <> exists (select 1 from award a where a.innovation_id = i.id)',
      );
    expect(await flagWrong()).toEqual([{ n: 0 }]);
    const bare = await api.sql<{ id: number }>(
      `select id from innovation i where not exists (select 1 from award a where a.innovation_id = i.id) order by id limit 3`,
    );
    await api.sql(
      `insert into award (innovation_id, competition, year, tier, dataset, confidence, sources)
       select id, 'KIPP', 2019 + n::int, 'TOP_99', 'DEMO', 'UNCONFIRMED', '{test}' from unnest(?::int[]) with ordinality as u(id, n)`,
      [`{${bare.map((b) => b.id).join(',')}}`],
    );
    expect(await api.sql(`select count(*)::int as n from innovation where id = any(?::int[]) and has_award`, [`{${bare.map((b) => b.id).join(',')}}`])).toEqual([{ n: 3 }]);
    await api.sql(`update award set innovation_id = ? where innovation_id = ?`, [bare[2].id, bare[0].id]);
    await api.sql(`delete from award where innovation_id = ?`, [bare[1].id]);
    expect(await flagWrong()).toEqual([{ n: 0 }]);
    expect(await api.sql(`select id, has_award from innovation where id = any(?::int[]) order by id`, [`{${bare.map((b) => b.id).join(',')}}`])).toEqual([
      { id: bare[0].id, has_award: false },
      { id: bare[1].id, has_award: false },
      { id: bare[2].id, has_award: true },
    ]);
    await expectConsistent();
  });

  it('follows deletes, leaving no positive count behind for what is gone', async () => {
    await api.sql(`delete from replication where id % 4 = 1 and adopted_as_id is null`);
    await expectConsistent();
    await api.sql(`delete from replication where dataset = 'DEMO'`);
    await api.sql(`delete from innovation where dataset = 'DEMO' and id not in (select source_id from replication)`);
    await expectConsistent();
  });

  it('is emptied when its source is truncated', async () => {
    await api.sql('truncate replication, mentoring_session_regency, mentoring_session cascade');
    await expectConsistent();
    const left = await api.sql<{ n: number }>(
      `select (select count(*) from replication_province_rollup)::int + (select count(*) from replication_flow_rollup)::int
            + (select count(*) from replication_out_rollup)::int
            + (select count(*) from replication_in_rollup)::int + (select count(*) from replication_spread_rollup)::int
            + (select count(*) from replication_activity_rollup)::int + (select count(*) from replication_regency_flow_rollup)::int as n`,
    );
    expect(left).toEqual([{ n: 0 }]);
  });
});
