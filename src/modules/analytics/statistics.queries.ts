// Region statistics for many regions in one statement: counts, a per-year series and the top innovations,
// grouped by region key and built as JSON in PostgreSQL.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray, runRead } from '../../db/sql';
import type { RegionStatistics } from './statistics.types';

export type StatisticsScope = 'province' | 'regency' | 'institution';

export interface YearRange {
  yearFrom: number | null;
  yearTo: number | null;
}

interface ScopeSql {
  keyType: 'text' | 'int';
  innovationKey: string;
  outKey: string;
  outJoin: string;
  inKey: string;
  members: (keys: string) => string;
  /** Rollup columns for this scope's keys, when the rollups are kept at its grain (regions, not owners). */
  rollup?: { innovation: string; out: string; in: string };
}

const SCOPES: Record<StatisticsScope, ScopeSql> = {
  province: {
    keyType: 'text',
    innovationKey: 'i.province_code',
    outKey: 'r.source_province_code',
    outJoin: '',
    inKey: 'r.adopter_province_code',
    members: (keys) => `select province_code::text as k, count(*)::int as n from regency where province_code = any(${keys}) group by 1`,
    rollup: { innovation: 'province_code', out: 'source_province_code', in: 'adopter_province_code' },
  },
  regency: {
    keyType: 'text',
    innovationKey: 'i.regency_code',
    outKey: 'r.source_regency_code',
    outJoin: '',
    inKey: 'r.adopter_regency_code',
    members: (keys) => `select code::text as k, 1 as n from regency where code = any(${keys})`,
    rollup: { innovation: 'regency_code', out: 'source_regency_code', in: 'adopter_regency_code' },
  },
  institution: {
    keyType: 'int',
    innovationKey: 'i.owner_id',
    outKey: 'si.owner_id',
    outJoin: 'join innovation si on si.id = r.source_id',
    inKey: 'r.adopter_institution_id',
    members: () => 'select null::text as k, 0 as n where false',
  },
};

/** The parts of RegionStatistics a caller selected; each costs its own scan, so only those run. */
export interface StatisticsParts {
  series: boolean;
  adopting: boolean;
  reach: boolean;
  top: boolean;
}

export const ALL_PARTS: StatisticsParts = { series: true, adopting: true, reach: true, top: true };

export async function regionStatistics(
  em: EntityManager,
  scope: StatisticsScope,
  keys: readonly string[],
  range: YearRange,
  parts: StatisticsParts = ALL_PARTS,
): Promise<Map<string, RegionStatistics>> {
  const rows = await runRead<{ k: string; stats: RawStatistics }>(em, statisticsSql(scope, range, parts), [pgArray(keys)]);
  return new Map(rows.map(({ k, stats }) => [k, toRegionStatistics(stats, range)]));
}

/**
 * The statement behind regionStatistics: one row (k, stats) per key. Its one placeholder is the keys, as
 * an array literal or, with keysFrom 'query', a subquery selecting them (for a list that brings its
 * regions' statistics in its own statement).
 */
export function statisticsSql(scope: StatisticsScope, range: YearRange, parts: StatisticsParts, keysFrom: 'array' | 'query' = 'array'): string {
  const s = SCOPES[scope];
  // The keys as one array expression (a parenthesised subquery alone would be read as = ANY (subquery)).
  const KEYS = `(select a from keys)::${s.keyType}[]`;
  // Year conditions only when a range is asked: an always-true range still makes PostgreSQL scan the year index.
  const years: string[] = [];
  if (range.yearFrom != null) years.push(`r.year >= ${Number(range.yearFrom)}`);
  if (range.yearTo != null) years.push(`r.year <= ${Number(range.yearTo)}`);
  const outFrom = `from replication r ${s.outJoin} where ${s.outKey} = any(${KEYS})${and(years)}`;
  const inFrom = `from replication r where ${s.inKey} = any(${KEYS})${and(years)}`;
  const byYear = parts.series;
  // Rollup scopes count each key with its own index lookups (like a hand-written query, and twice as fast
  // as hashing every key's rows), and read the per-year CTEs only for a series.
  const counts = s.rollup ? (byYear ? perYearFromRollups(s.rollup, KEYS, years) : []) : fromRows(s, KEYS, years, byYear, { outFrom, inFrom });
  const keysValue = keysFrom === 'array' ? `?::${s.keyType}[]` : `array(?)::${s.keyType}[]`;
  const ctes = [`keys as materialized (select ${keysValue} as a)`, ...counts];
  ctes.push(`members as (${s.members(KEYS)})`);
  const joins: string[] = ['left join members m on m.k = t.k'];
  const fields: string[] = [
    `'innovations', t.innovations, 'replicationsOut', t.out_n, 'replicationsIn', t.in_n, 'provinceWideCommitments', t.wide`,
    `'memberRegencies', coalesce(m.n, 0)`,
  ];
  if (parts.adopting && s.rollup) {
    fields.push(`'adoptingRegencies', t.adopting`);
  } else if (parts.adopting) {
    ctes.push(`adopting as (select ${s.inKey}::text as k, count(distinct r.adopter_regency_code)::int as n ${inFrom} group by 1)`);
    joins.push('left join adopting a on a.k = t.k');
    fields.push(`'adoptingRegencies', coalesce(a.n, 0)`);
  }
  if (parts.reach) {
    ctes.push(`reach as (select ${s.outKey}::text as k, count(distinct r.adopter_regency_code)::int as n ${outFrom} group by 1)`);
    joins.push('left join reach r on r.k = t.k');
    fields.push(`'reachRegencies', coalesce(r.n, 0)`);
  }
  if (parts.top) {
    ctes.push(`ranked as (select ${s.outKey}::text as k, r.source_id as id, count(*)::int as n,
        row_number() over (partition by ${s.outKey}::text order by count(*) desc, r.source_id) as rank ${outFrom} group by 1, 2)`);
    ctes.push(`top as (select k, json_agg(json_build_object('innovationId', id, 'adoptions', n) order by n desc, id) as list
        from ranked where rank <= 5 group by k)`);
    joins.push('left join top tp on tp.k = t.k');
    fields.push(`'top', coalesce(tp.list, '[]')`);
  }
  if (parts.series) {
    ctes.push(`per_year as (
        select k, year, sum(innovations)::int as innovations, sum(out_n)::int as out_n, sum(in_n)::int as in_n from (
          select k, year, n as innovations, 0 as out_n, 0 as in_n from inn where year is not null
          union all select k, year, 0, n, 0 from outr
          union all select k, year, 0, 0, n from inr) x
        group by k, year)`);
    ctes.push(`series as (select k, json_agg(json_build_object('year', year, 'innovations', innovations, 'replicationsOut', out_n,
        'replicationsIn', in_n) order by year) as list from per_year group by k)`);
    joins.push('left join series se on se.k = t.k');
    fields.push(`'series', coalesce(se.list, '[]')`);
  }
  ctes.push(
    s.rollup
      ? rollupTotals(s.rollup, years, parts.adopting)
      : `totals as (
    select k.key as k,
           (select coalesce(sum(n), 0) from inn where inn.k = k.key) as innovations,
           (select coalesce(sum(n), 0) from outr where outr.k = k.key) as out_n,
           (select coalesce(sum(n), 0) from inr where inr.k = k.key) as in_n,
           (select coalesce(sum(wide), 0) from inr where inr.k = k.key) as wide
    from (select unnest(a)::text as key from keys) k)`,
  );
  return `with ${ctes.join(',\n')}\nselect t.k, json_build_object(${fields.join(', ')}) as stats from totals t ${joins.join(' ')}`;
}

/** One key's statistics as statisticsSql selects them. */
export function toRegionStatistics(stats: RawStatistics, range: YearRange): RegionStatistics {
  const adopting = stats.adoptingRegencies ?? 0;
  // No spread of range: on Node 20 every property after a spread costs about half a microsecond.
  return {
    yearFrom: range.yearFrom,
    yearTo: range.yearTo,
    innovations: Number(stats.innovations),
    replicationsOut: Number(stats.replicationsOut),
    replicationsIn: Number(stats.replicationsIn),
    provinceWideCommitments: Number(stats.provinceWideCommitments),
    adoptingRegencies: adopting,
    reachRegencies: stats.reachRegencies ?? 0,
    memberRegencies: stats.memberRegencies,
    adoptionRate: stats.memberRegencies > 0 ? adopting / stats.memberRegencies : null,
    series: (stats.series ?? []).map((y) => ({
      year: y.year,
      innovations: Number(y.innovations),
      replicationsOut: Number(y.replicationsOut),
      replicationsIn: Number(y.replicationsIn),
    })),
    topInnovations: stats.top ?? [],
  };
}

const and = (conditions: string[]) => conditions.map((c) => ` and ${c}`).join('');

function yearSql(years: string[], byYear: boolean) {
  return {
    launched: years.map((c) => c.replace('r.year', 'i.launch_year')),
    year: (column: string) => (byYear ? `, ${column} as year` : ''),
    groupYear: byYear ? ', 2' : '',
  };
}

/** Counts per key and year from the rollups, for the series: their size follows regions and years, not records. */
function perYearFromRollups(columns: NonNullable<ScopeSql['rollup']>, KEYS: string, years: string[]): string[] {
  const { launched, year, groupYear } = yearSql(years, true);
  return [
    `inn as materialized (select i.${columns.innovation}::text as k${year('i.launch_year')}, sum(i.innovations)::int as n
       from innovation_rollup i where i.${columns.innovation} = any(${KEYS})${and(launched)} group by 1${groupYear})`,
    `outr as materialized (select r.${columns.out}::text as k${year('r.year')}, sum(r.replications)::int as n
       from replication_out_rollup r where r.${columns.out} = any(${KEYS})${and(years)} group by 1${groupYear})`,
    `inr as materialized (select r.${columns.in}::text as k${year('r.year')}, sum(r.replications)::int as n,
       (coalesce(sum(r.replications) filter (where r.adopter_scope = 'PROVINCE_WIDE'), 0))::int as wide
       from replication_in_rollup r where r.${columns.in} = any(${KEYS})${and(years)} group by 1${groupYear})`,
  ];
}

/** Totals per key from the rollups, each key looked up through the rollups' indexes. */
function rollupTotals(columns: NonNullable<ScopeSql['rollup']>, years: string[], adopting: boolean): string {
  const { launched } = yearSql(years, false);
  return `totals as (
    select k.key as k,
           (select coalesce(sum(i.innovations), 0)::int from innovation_rollup i where i.${columns.innovation} = k.key${and(launched)}) as innovations,
           (select coalesce(sum(r.replications), 0)::int from replication_out_rollup r where r.${columns.out} = k.key${and(years)}) as out_n,
           inr.n as in_n, inr.wide${adopting ? ', inr.adopting' : ''}
    from (select unnest(a)::text as key from keys) k
    cross join lateral (
      select coalesce(sum(r.replications), 0)::int as n,
             coalesce(sum(r.replications) filter (where r.adopter_scope = 'PROVINCE_WIDE'), 0)::int as wide
             ${adopting ? ', (count(distinct r.adopter_regency_code) filter (where r.replications > 0))::int as adopting' : ''}
      from replication_in_rollup r where r.${columns.in} = k.key${and(years)}) inr)`;
}

/** Counts per key (and year) from the records themselves, for scopes the rollups do not keep (owners). */
function fromRows(s: ScopeSql, KEYS: string, years: string[], byYear: boolean, rows: { outFrom: string; inFrom: string }): string[] {
  const { launched, year, groupYear } = yearSql(years, byYear);
  return [
    `inn as materialized (select ${s.innovationKey}::text as k${year('i.launch_year')}, count(*)::int as n
       from innovation i where ${s.innovationKey} = any(${KEYS})${and(launched)} group by 1${groupYear})`,
    `outr as materialized (select ${s.outKey}::text as k${year('r.year')}, count(*)::int as n ${rows.outFrom} group by 1${groupYear})`,
    `inr as materialized (select ${s.inKey}::text as k${year('r.year')}, count(*)::int as n,
       (count(*) filter (where r.adopter_scope = 'PROVINCE_WIDE'))::int as wide ${rows.inFrom} group by 1${groupYear})`,
  ];
}

export interface RawStatistics {
  innovations: number | string;
  replicationsOut: number | string;
  replicationsIn: number | string;
  provinceWideCommitments: number | string;
  adoptingRegencies?: number;
  reachRegencies?: number;
  memberRegencies: number;
  series?: { year: number; innovations: number | string; replicationsOut: number | string; replicationsIn: number | string }[];
  top?: { innovationId: number; adoptions: number }[];
}
