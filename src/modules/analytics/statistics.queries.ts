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

/** The parts of RegionStatistics a caller selected; each costs its own scan, so only those run. */
export interface StatisticsParts {
  series: boolean;
  adopting: boolean;
  reach: boolean;
  top: boolean;
}

/** ` and a and b`: more conditions after a first one. */
const and = (conditions: readonly SqlFragment[]) => sql.join(conditions.map((c) => sql` and ${c}`), '');

/**
 * The statistics of every key `keys` (a query selecting them) holds: one row (k, stats) per key, stats a
 * JSON object of the parts asked for (the fields of RegionStatistics read it, statistics.types.ts).
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
  const outFrom = sql`from replication r ${s.outJoin} where ${s.outKey} = any(${KEYS})${and(replicationYears)}`;
  const inFrom = sql`from replication r where ${s.inKey} = any(${KEYS})${and(replicationYears)}`;
  const ctes: SqlFragment[] = [sql`keys as materialized (select array(${keys})::${s.keyType}[] as a)`];
  // Rollup scopes count each key with its own index lookups (like a hand-written query, and twice as fast
  // as hashing every key's rows), and read the per-year CTEs only for a series.
  const perYear = parts.series;
  const year = (column: SqlFragment) => (perYear ? sql`, ${column} as year` : sql``);
  const groupYear = perYear ? sql`, 2` : sql``;
  if (s.rollup && perYear) {
    const c = s.rollup;
    ctes.push(
      sql`inn as materialized (select i.${c.innovation}::text as k${year(sql`i.launch_year`)}, sum(i.innovations)::int as n
       from innovation_rollup i where i.${c.innovation} = any(${KEYS})${and(years(sql`i.launch_year`))} group by 1${groupYear})`,
      sql`outr as materialized (select r.${c.out}::text as k${year(sql`r.year`)}, sum(r.replications)::int as n
       from replication_out_rollup r where r.${c.out} = any(${KEYS})${and(replicationYears)} group by 1${groupYear})`,
      sql`inr as materialized (select r.${c.in}::text as k${year(sql`r.year`)}, sum(r.replications)::int as n,
       (coalesce(sum(r.replications) filter (where r.adopter_scope = 'PROVINCE_WIDE'), 0))::int as wide
       from replication_in_rollup r where r.${c.in} = any(${KEYS})${and(replicationYears)} group by 1${groupYear})`,
    );
  } else if (!s.rollup) {
    // Counts per key (and year) from the records themselves, for scopes the rollups do not keep (owners).
    ctes.push(
      sql`inn as materialized (select ${s.innovationKey}::text as k${year(sql`i.launch_year`)}, count(*)::int as n
       from innovation i where ${s.innovationKey} = any(${KEYS})${and(years(sql`i.launch_year`))} group by 1${groupYear})`,
      sql`outr as materialized (select ${s.outKey}::text as k${year(sql`r.year`)}, count(*)::int as n ${outFrom} group by 1${groupYear})`,
      sql`inr as materialized (select ${s.inKey}::text as k${year(sql`r.year`)}, count(*)::int as n,
       (count(*) filter (where r.adopter_scope = 'PROVINCE_WIDE'))::int as wide ${inFrom} group by 1${groupYear})`,
    );
  }
  ctes.push(sql`members as (${s.members(KEYS)})`);
  const joins: SqlFragment[] = [sql`left join members m on m.k = t.k`];
  const fields: SqlFragment[] = [
    sql`'innovations', t.innovations, 'replicationsOut', t.out_n, 'replicationsIn', t.in_n, 'provinceWideCommitments', t.wide`,
    sql`'memberRegencies', coalesce(m.n, 0)`,
  ];
  if (parts.adopting && s.rollup) {
    fields.push(sql`'adoptingRegencies', t.adopting`);
  } else if (parts.adopting) {
    ctes.push(sql`adopting as (select ${s.inKey}::text as k, count(distinct r.adopter_regency_code)::int as n ${inFrom} group by 1)`);
    joins.push(sql`left join adopting a on a.k = t.k`);
    fields.push(sql`'adoptingRegencies', coalesce(a.n, 0)`);
  }
  if (parts.reach) {
    ctes.push(sql`reach as (select ${s.outKey}::text as k, count(distinct r.adopter_regency_code)::int as n ${outFrom} group by 1)`);
    joins.push(sql`left join reach r on r.k = t.k`);
    fields.push(sql`'reachRegencies', coalesce(r.n, 0)`);
  }
  if (parts.top) {
    ctes.push(sql`ranked as (select ${s.outKey}::text as k, r.source_id as id, count(*)::int as n,
        row_number() over (partition by ${s.outKey}::text order by count(*) desc, r.source_id) as rank ${outFrom} group by 1, 2)`);
    ctes.push(sql`top as (select k, json_agg(json_build_object('innovationId', id, 'adoptions', n) order by n desc, id) as list
        from ranked where rank <= 5 group by k)`);
    joins.push(sql`left join top tp on tp.k = t.k`);
    fields.push(sql`'top', coalesce(tp.list, '[]')`);
  }
  if (parts.series) {
    ctes.push(sql`per_year as (
        select k, year, sum(innovations)::int as innovations, sum(out_n)::int as out_n, sum(in_n)::int as in_n from (
          select k, year, n as innovations, 0 as out_n, 0 as in_n from inn where year is not null
          union all select k, year, 0, n, 0 from outr
          union all select k, year, 0, 0, n from inr) x
        group by k, year)`);
    ctes.push(sql`series as (select k, json_agg(json_build_object('year', year, 'innovations', innovations, 'replicationsOut', out_n,
        'replicationsIn', in_n) order by year) as list from per_year group by k)`);
    joins.push(sql`left join series se on se.k = t.k`);
    fields.push(sql`'series', coalesce(se.list, '[]')`);
  }
  ctes.push(s.rollup ? rollupTotals(s.rollup, replicationYears, years(sql`i.launch_year`), parts.adopting) : rowTotals());
  return sql`with ${sql.join(ctes, ',\n')}\nselect t.k, json_build_object(${sql.join(fields)}) as stats from totals t ${sql.join(joins, ' ')}`;
}

/** Totals per key from the rollups, each key looked up through the rollups' indexes. */
function rollupTotals(c: NonNullable<ScopeSql['rollup']>, years: SqlFragment[], launched: SqlFragment[], adopting: boolean): SqlFragment {
  return sql`totals as (
    select k.key as k,
           (select coalesce(sum(i.innovations), 0)::int from innovation_rollup i where i.${c.innovation} = k.key${and(launched)}) as innovations,
           (select coalesce(sum(r.replications), 0)::int from replication_out_rollup r where r.${c.out} = k.key${and(years)}) as out_n,
           inr.n as in_n, inr.wide${adopting ? sql`, inr.adopting` : sql``}
    from (select unnest(a)::text as key from keys) k
    cross join lateral (
      select coalesce(sum(r.replications), 0)::int as n,
             coalesce(sum(r.replications) filter (where r.adopter_scope = 'PROVINCE_WIDE'), 0)::int as wide
             ${adopting ? sql`, (count(distinct r.adopter_regency_code) filter (where r.replications > 0))::int as adopting` : sql``}
      from replication_in_rollup r where r.${c.in} = k.key${and(years)}) inr)`;
}

/** Totals per key from the per-key counts of the rows. */
function rowTotals(): SqlFragment {
  return sql`totals as (
    select k.key as k,
           (select coalesce(sum(n), 0) from inn where inn.k = k.key) as innovations,
           (select coalesce(sum(n), 0) from outr where outr.k = k.key) as out_n,
           (select coalesce(sum(n), 0) from inr where inr.k = k.key) as in_n,
           (select coalesce(sum(wide), 0) from inr where inr.k = k.key) as wide
    from (select unnest(a)::text as key from keys) k)`;
}
