// Region statistics for many regions in one statement: counts, a per-year series and the top innovations,
// grouped by region key and built as JSON in PostgreSQL.
import { sql, type SqlFragment } from '../../db/sql';

export type StatisticsScope = 'province' | 'regency' | 'institution';

export interface YearRange {
  yearFrom: number | null;
  yearTo: number | null;
}

interface ScopeSql {
  keyType: SqlFragment;
  innovationKey: SqlFragment;
  outKey: SqlFragment;
  outJoin: SqlFragment;
  inKey: SqlFragment;
  members: (keys: SqlFragment) => SqlFragment;
  /** Rollup columns for this scope's keys, when the rollups are kept at its grain (regions, not owners). */
  rollup?: { innovation: SqlFragment; out: SqlFragment; in: SqlFragment };
}

const SCOPES: Record<StatisticsScope, ScopeSql> = {
  province: {
    keyType: sql`text`,
    innovationKey: sql`i.province_code`,
    outKey: sql`r.source_province_code`,
    outJoin: sql``,
    inKey: sql`r.adopter_province_code`,
    members: (keys) => sql`select province_code::text as k, count(*)::int as n from regency where province_code = any(${keys}) group by 1`,
    rollup: { innovation: sql`province_code`, out: sql`source_province_code`, in: sql`adopter_province_code` },
  },
  regency: {
    keyType: sql`text`,
    innovationKey: sql`i.regency_code`,
    outKey: sql`r.source_regency_code`,
    outJoin: sql``,
    inKey: sql`r.adopter_regency_code`,
    members: (keys) => sql`select code::text as k, 1 as n from regency where code = any(${keys})`,
    rollup: { innovation: sql`regency_code`, out: sql`source_regency_code`, in: sql`adopter_regency_code` },
  },
  institution: {
    keyType: sql`int`,
    innovationKey: sql`i.owner_id`,
    outKey: sql`si.owner_id`,
    outJoin: sql`join innovation si on si.id = r.source_id`,
    inKey: sql`r.adopter_institution_id`,
    members: () => sql`select null::text as k, 0 as n where false`,
  },
};

/** The parts of RegionStatistics a caller selected; each costs its own lookups or scan, so only those run. */
export interface StatisticsParts {
  innovations: boolean;
  out: boolean;
  in: boolean;
  wide: boolean;
  members: boolean;
  adopting: boolean;
  reach: boolean;
  series: boolean;
  top: boolean;
}

/** ` and a and b`: more conditions after a first one. */
const and = (conditions: readonly SqlFragment[]) => sql.join(conditions.map((c) => sql` and ${c}`), '');

/**
 * The statistics of every key `keys` (a query selecting them) holds: one row per key, `k` and a column for
 * each part asked for (innovations, replications_out, replications_in, province_wide, member_regencies,
 * adopting_regencies, reach_regencies: integers; series, top: JSON arrays), read by the fields of
 * RegionStatistics (statistics.types.ts).
 */
export function statisticsSql(scope: StatisticsScope, range: YearRange, parts: StatisticsParts, keys: SqlFragment): SqlFragment {
  const s = SCOPES[scope];
  // The keys as one array expression (a parenthesised subquery alone would be read as = ANY (subquery)).
  const KEYS = sql`(select a from keys)::${s.keyType}[]`;
  // Year conditions only when a range is asked: an always-true range still makes PostgreSQL scan the year index.
  const years = (column: SqlFragment) => [
    ...(range.yearFrom != null ? [sql`${column} >= ${range.yearFrom}`] : []),
    ...(range.yearTo != null ? [sql`${column} <= ${range.yearTo}`] : []),
  ];
  const replicationYears = years(sql`r.year`);
  const launched = years(sql`i.launch_year`);
  const outFrom = sql`from replication r ${s.outJoin} where ${s.outKey} = any(${KEYS})${and(replicationYears)}`;
  const inFrom = sql`from replication r where ${s.inKey} = any(${KEYS})${and(replicationYears)}`;
  const ctes: SqlFragment[] = [sql`keys as materialized (select array(${keys})::${s.keyType}[] as a)`];
  const joins: SqlFragment[] = [];
  // Per key: an expression over the key (k.key) and the joins before it; every column's name is its part's.
  const columns: SqlFragment[] = [];
  if (s.rollup) {
    // Rollup scopes look each key up through the rollups' indexes (like a hand-written query, and twice as
    // fast as hashing every key's rows).
    const c = s.rollup;
    if (parts.innovations) {
      columns.push(sql`(select coalesce(sum(i.innovations), 0)::int from innovation_rollup i where i.${c.innovation} = k.key${and(launched)}) as innovations`);
    }
    if (parts.out) {
      columns.push(sql`(select coalesce(sum(r.replications), 0)::int from replication_out_rollup r where r.${c.out} = k.key${and(replicationYears)}) as replications_out`);
    }
    const adopted = [
      ...(parts.in ? [sql`coalesce(sum(r.replications), 0)::int as replications_in`] : []),
      ...(parts.wide ? [sql`coalesce(sum(r.replications) filter (where r.adopter_scope = 'PROVINCE_WIDE'), 0)::int as province_wide`] : []),
      ...(parts.adopting ? [sql`(count(distinct r.adopter_regency_code) filter (where r.replications > 0))::int as adopting_regencies`] : []),
    ];
    if (adopted.length > 0) {
      joins.push(sql`cross join lateral (select ${sql.join(adopted)} from replication_in_rollup r where r.${c.in} = k.key${and(replicationYears)}) inr`);
      columns.push(sql`inr.*`);
    }
  } else {
    // Counts from the records themselves, for scopes the rollups do not keep (owners).
    if (parts.innovations || parts.series) {
      ctes.push(sql`inn as materialized (select ${s.innovationKey}::text as k, i.launch_year as year, count(*)::int as n
       from innovation i where ${s.innovationKey} = any(${KEYS})${and(launched)} group by 1, 2)`);
    }
    if (parts.out || parts.series) {
      ctes.push(sql`outr as materialized (select ${s.outKey}::text as k, r.year, count(*)::int as n ${outFrom} group by 1, 2)`);
    }
    if (parts.in || parts.wide || parts.series) {
      ctes.push(sql`inr as materialized (select ${s.inKey}::text as k, r.year, count(*)::int as n,
       (count(*) filter (where r.adopter_scope = 'PROVINCE_WIDE'))::int as wide ${inFrom} group by 1, 2)`);
    }
    if (parts.innovations) columns.push(sql`(select coalesce(sum(n), 0)::int from inn where inn.k = k.key) as innovations`);
    if (parts.out) columns.push(sql`(select coalesce(sum(n), 0)::int from outr where outr.k = k.key) as replications_out`);
    if (parts.in) columns.push(sql`(select coalesce(sum(n), 0)::int from inr where inr.k = k.key) as replications_in`);
    if (parts.wide) columns.push(sql`(select coalesce(sum(wide), 0)::int from inr where inr.k = k.key) as province_wide`);
    if (parts.adopting) {
      columns.push(sql`(select count(distinct r.adopter_regency_code)::int ${inFrom} and ${s.inKey}::text = k.key) as adopting_regencies`);
    }
  }
  if (parts.members) {
    ctes.push(sql`members as (${s.members(KEYS)})`);
    joins.push(sql`left join members m on m.k = k.key`);
    columns.push(sql`coalesce(m.n, 0) as member_regencies`);
  }
  if (parts.reach) {
    ctes.push(sql`reach as (select ${s.outKey}::text as k, count(distinct r.adopter_regency_code)::int as n ${outFrom} group by 1)`);
    joins.push(sql`left join reach rc on rc.k = k.key`);
    columns.push(sql`coalesce(rc.n, 0) as reach_regencies`);
  }
  if (parts.top) {
    ctes.push(sql`ranked as (select ${s.outKey}::text as k, r.source_id as id, count(*)::int as n,
        row_number() over (partition by ${s.outKey}::text order by count(*) desc, r.source_id) as rank ${outFrom} group by 1, 2)`);
    ctes.push(sql`top as (select k, json_agg(json_build_object('innovationId', id, 'adoptions', n) order by n desc, id) as list
        from ranked where rank <= 5 group by k)`);
    joins.push(sql`left join top tp on tp.k = k.key`);
    columns.push(sql`coalesce(tp.list, '[]') as top`);
  }
  if (parts.series) {
    if (s.rollup) {
      // The series reads the rollups per key and year (the totals above look keys up without grouping).
      const c = s.rollup;
      ctes.push(
        sql`inn as (select i.${c.innovation}::text as k, i.launch_year as year, sum(i.innovations)::int as n
         from innovation_rollup i where i.${c.innovation} = any(${KEYS})${and(launched)} group by 1, 2)`,
        sql`outr as (select r.${c.out}::text as k, r.year, sum(r.replications)::int as n
         from replication_out_rollup r where r.${c.out} = any(${KEYS})${and(replicationYears)} group by 1, 2)`,
        sql`inr as (select r.${c.in}::text as k, r.year, sum(r.replications)::int as n
         from replication_in_rollup r where r.${c.in} = any(${KEYS})${and(replicationYears)} group by 1, 2)`,
      );
    }
    ctes.push(sql`per_year as (
        select k, year, sum(innovations)::int as innovations, sum(out_n)::int as out_n, sum(in_n)::int as in_n from (
          select k, year, n as innovations, 0 as out_n, 0 as in_n from inn where year is not null
          union all select k, year, 0, n, 0 from outr
          union all select k, year, 0, 0, n from inr) x
        group by k, year)`);
    ctes.push(sql`series as (select k, json_agg(json_build_object('year', year, 'innovations', innovations, 'replicationsOut', out_n,
        'replicationsIn', in_n) order by year) as list from per_year group by k)`);
    joins.push(sql`left join series se on se.k = k.key`);
    columns.push(sql`coalesce(se.list, '[]') as series`);
  }
  const selected = columns.length > 0 ? sql`, ${sql.join(columns)}` : sql``;
  return sql`with ${sql.join(ctes, ',\n')}\nselect k.key as k${selected} from (select unnest(a)::text as key from keys) k ${sql.join(joins, ' ')}`;
}
