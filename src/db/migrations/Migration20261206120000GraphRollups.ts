// The graphs' counts at every level and year range, without a pass over the replications:
//
// - replication_regency_flow_rollup: replications per flow between regions (source and adopter province
//   and regency, adopter scope), kind, year and dataset, for the REGENCY graph and any graph filtered on a
//   regency, as the province rollups of Migration20261130000000Rollups serve the PROVINCE graph. Its rows are
//   a fraction of the replications' width, read by source province and year.
// - replication_spread_rollup: distinct innovations that spread. An innovation counts in [a, b] when it has
//   a replication in some year y of the range; it is counted once, at the first such y, which is the year
//   whose previous active year (prev) is before a. So the number of innovations of a node active in [a, b]
//   is the sum of the rows with a <= year <= b and prev < a, and the table grows with nodes and years (year
//   x prev), not with records. Kept per node of the REGENCY graph (a regency, a province for innovations of
//   the province as a whole, NATIONAL): an innovation is in one region, so innovations partition by node,
//   and a province's count, or a total, is the sum over its nodes. Per set of kinds (`kinds`, a bit mask: 1 REPLICATION, 2
//   SCALING_UP, 4 DISSEMINATION; a filter may name any of the seven) and per dataset (one, or ALL): the
//   filters a dashboard moves. prev is 0 for an innovation's first active year.
// - replication_activity_rollup: replications per innovation, source region, kind, dataset and year, from
//   which the spread of an innovation is worked out again whenever one of its replications changes.
//
// All three are kept in the writing transaction by statement-level triggers (replication_spread_*), as
// the earlier rollups are; replication_spread_rebuild() refills them from the replications (the backfill,
// and bulk loads: src/db/rollups.ts).
import { Migration } from '@mikro-orm/migrations';
import { KIND_BITS } from '../rollups';

const FLOW_KEYS = ['source_province_code', 'source_regency_code', 'adopter_province_code', 'adopter_regency_code', 'adopter_scope', 'kind', 'year', 'dataset'];
const ACTIVITY_KEYS = ['source_id', 'source_province_code', 'source_regency_code', 'kind', 'dataset', 'year'];
const SPREAD_KEYS = ['kinds', 'dataset_key', 'node', 'year', 'prev'];

const KIND_BIT = (kind: string) => `(case ${kind} ${Object.entries(KIND_BITS).map(([k, b]) => `when '${k}' then ${b}`).join(' ')} end)`;

type Event = 'insert' | 'update' | 'delete';

const REFERENCING: Record<Event, string> = {
  insert: 'new table as new_rows',
  update: 'old table as old_rows new table as new_rows',
  delete: 'old table as old_rows',
};

/** The event's rows with a sign: +1 for rows that now exist, -1 for rows that no longer do. */
function signed(event: Event, columns: string): string {
  const parts: string[] = [];
  if (event !== 'delete') parts.push(`select ${columns}, 1 as d from new_rows`);
  if (event !== 'insert') parts.push(`select ${columns}, -1 as d from old_rows`);
  return parts.join(' union all ');
}

/** Adds the event's rows to a counting rollup, in key order (no deadlocks between writers). */
function countDelta(event: Event, table: string, keys: string[], count: string, from: (c: string) => string = (c) => c): string {
  const cols = keys.join(', ');
  const source = keys.map(from).join(', ');
  return `insert into ${table} (${cols}, ${count})
    select ${cols}, sum(d)::int from (${signed(event, source)}) x (${cols}, d) group by ${cols} having sum(d) <> 0 order by ${cols}
    on conflict (${cols}) do update set ${count} = ${table}.${count} + excluded.${count};`;
}

/**
 * The spread rows (kinds, dataset_key, node, year, prev) of the activity in `activity` (columns
 * source_id, source_province_code, source_regency_code, kind, dataset, year), one per innovation, key and
 * active year.
 */
function spreadOf(activity: string): string {
  return `select kinds, dataset_key, node, year,
      coalesce(lag(year) over (partition by source_id, kinds, dataset_key, node order by year), 0) as prev
    from (select distinct x.source_id, k.kinds, c.dataset_key, coalesce(x.source_regency_code, x.source_province_code, 'NATIONAL') as node, x.year
          from ${activity} x
          cross join lateral (select m as kinds from generate_series(1, 7) m where m & ${KIND_BIT('x.kind')} <> 0) k
          cross join lateral (values (x.dataset), ('ALL')) c(dataset_key)) y`;
}

/**
 * The spread of the innovations a statement touched, moved from what their activity was to what it is now
 * (the difference applied in key order), then their activity itself. An innovation's spread depends only on
 * which (region, kind, dataset, year) it is active in, so only innovations for which one of those appeared
 * or went are worked out again: most writes (another adoption in a year already active) change no spread.
 */
function spreadTrigger(event: Event): string {
  const cols = ACTIVITY_KEYS.join(', ');
  const spread = SPREAD_KEYS.join(', ');
  // source_id is never null: an equality the key's index answers; the region codes may be.
  const sameKey = ACTIVITY_KEYS.map((c) => (c === 'source_id' || c === 'kind' || c === 'dataset' || c === 'year' ? `a.${c} = d.${c}` : `a.${c} is not distinct from d.${c}`)).join(' and ');
  // Its sorts and aggregates (a thousand-row import batch expands to some 100,000 rows) stay in memory:
  // work_mem is raised for the trigger's own run only.
  return `create or replace function replication_spread_${event}() returns trigger language plpgsql set work_mem = '64MB' as $$
begin
  with delta as (
      select ${cols}, sum(d)::int as n from (${signed(event, cols)}) x group by ${cols}),
    flipped as (
      select distinct d.source_id from delta d
      left join replication_activity_rollup a on ${sameKey}
      where (coalesce(a.n, 0) > 0) <> (coalesce(a.n, 0) + d.n > 0)),
    -- By the key's index (a join is planned as a scan of the whole rollup, the flipped set being unknown).
    before as (select ${ACTIVITY_KEYS.map((c) => `a.${c}`).join(', ')}, a.n from replication_activity_rollup a
               where a.source_id = any (array(select source_id from flipped)) and a.n > 0),
    after as (
      select ${cols}, sum(n)::int as n
      from (select * from before union all select d.* from delta d join flipped f on f.source_id = d.source_id) x
      group by ${cols} having sum(n) > 0)
  insert into replication_spread_rollup (${spread}, innovations)
  select ${spread}, sum(s)::int from (
      select *, -1 as s from (${spreadOf('before')}) o
      union all select *, 1 as s from (${spreadOf('after')}) a) z
    group by ${spread} having sum(s) <> 0 order by ${spread}
  on conflict (${spread}) do update set innovations = replication_spread_rollup.innovations + excluded.innovations;
  ${countDelta(event, 'replication_activity_rollup', ACTIVITY_KEYS, 'n')}
  ${countDelta(event, 'replication_regency_flow_rollup', FLOW_KEYS, 'replications')}
  return null;
end;
$$;`;
}

export class Migration20261206120000GraphRollups extends Migration {
  override async up(): Promise<void> {
    const storage = 'with (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05)';
    this.addSql(`create table "replication_activity_rollup" ("source_id" int not null, "source_province_code" varchar(2) null,
      "source_regency_code" varchar(5) null, "kind" text not null, "dataset" text not null, "year" int not null, "n" int not null,
      constraint "replication_activity_rollup_key" unique nulls not distinct (${ACTIVITY_KEYS.join(', ')})) ${storage};`);
    this.addSql(`create table "replication_spread_rollup" ("kinds" smallint not null, "dataset_key" text not null,
      "node" text not null, "year" int not null, "prev" int not null, "innovations" int not null,
      constraint "replication_spread_rollup_key" unique (${SPREAD_KEYS.join(', ')})) ${storage};`);
    this.addSql(`create table "replication_regency_flow_rollup" ("source_province_code" varchar(2) null, "source_regency_code" varchar(5) null,
      "adopter_province_code" varchar(2) null, "adopter_regency_code" varchar(5) null, "adopter_scope" text not null, "kind" text not null,
      "year" int not null, "dataset" text not null, "replications" int not null,
      constraint "replication_regency_flow_rollup_key" unique nulls not distinct (${FLOW_KEYS.join(', ')})) ${storage};`);
    // A REGENCY graph is most often one province's innovations, over a range of years.
    this.addSql('create index "replication_regency_flow_rollup_source_index" on "replication_regency_flow_rollup" ("source_province_code", "year");');
    this.addSql(`create or replace function replication_spread_rebuild() returns void language plpgsql as $$
begin
  delete from replication_spread_rollup;
  delete from replication_activity_rollup;
  delete from replication_regency_flow_rollup;
  insert into replication_regency_flow_rollup (${FLOW_KEYS.join(', ')}, replications)
    select ${FLOW_KEYS.join(', ')}, count(*)::int from replication group by ${FLOW_KEYS.join(', ')} order by ${FLOW_KEYS.join(', ')};
  insert into replication_activity_rollup (${ACTIVITY_KEYS.join(', ')}, n)
    select ${ACTIVITY_KEYS.join(', ')}, count(*)::int from replication group by ${ACTIVITY_KEYS.join(', ')} order by ${ACTIVITY_KEYS.join(', ')};
  insert into replication_spread_rollup (${SPREAD_KEYS.join(', ')}, innovations)
    select ${SPREAD_KEYS.join(', ')}, count(*)::int from (${spreadOf('replication_activity_rollup')}) s group by ${SPREAD_KEYS.join(', ')} order by ${SPREAD_KEYS.join(', ')};
end;
$$;`);
    this.addSql('select replication_spread_rebuild();');
    // Statistics now, not at autovacuum's leisure: the graphs' plans depend on them from the first request.
    this.addSql('analyze replication_regency_flow_rollup, replication_activity_rollup, replication_spread_rollup;');

    for (const event of ['insert', 'update', 'delete'] as Event[]) {
      this.addSql(spreadTrigger(event));
      this.addSql(`create trigger replication_spread_${event} after ${event} on replication referencing ${REFERENCING[event]}
        for each statement execute function replication_spread_${event}();`);
    }
    this.addSql(`create or replace function replication_spread_truncate() returns trigger language plpgsql as $$
begin
  delete from replication_spread_rollup;
  delete from replication_activity_rollup;
  delete from replication_regency_flow_rollup;
  return null;
end;
$$;`);
    this.addSql('create trigger replication_spread_truncate after truncate on replication for each statement execute function replication_spread_truncate();');
  }

  override async down(): Promise<void> {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      this.addSql(`drop trigger if exists replication_spread_${event} on replication;`);
      this.addSql(`drop function if exists replication_spread_${event}();`);
    }
    this.addSql('drop function if exists replication_spread_rebuild();');
    this.addSql('drop table if exists "replication_spread_rollup", "replication_activity_rollup", "replication_regency_flow_rollup";');
  }
}
