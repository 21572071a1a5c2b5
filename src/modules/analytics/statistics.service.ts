// Region statistics for many regions in one statement: counts, a per-year series and the top innovations,
// grouped by region key and built as JSON in PostgreSQL.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../../db/sql';
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
  members: string;
}

const SCOPES: Record<StatisticsScope, ScopeSql> = {
  province: {
    keyType: 'text',
    innovationKey: 'i.province_code',
    outKey: 'r.source_province_code',
    outJoin: '',
    inKey: 'r.adopter_province_code',
    members: 'select province_code::text as k, count(*)::int as n from regency, keys where province_code = any(keys.a) group by 1',
  },
  regency: {
    keyType: 'text',
    innovationKey: 'i.regency_code',
    outKey: 'r.source_regency_code',
    outJoin: '',
    inKey: 'r.adopter_regency_code',
    members: 'select code::text as k, 1 as n from regency, keys where code = any(keys.a)',
  },
  institution: {
    keyType: 'int',
    innovationKey: 'i.owner_id',
    outKey: 'si.owner_id',
    outJoin: 'join innovation si on si.id = r.source_id',
    inKey: 'r.adopter_institution_id',
    members: 'select null::text as k, 0 as n where false',
  },
};

export async function regionStatistics(
  em: EntityManager,
  scope: StatisticsScope,
  keys: readonly string[],
  range: YearRange,
): Promise<Map<string, RegionStatistics>> {
  const s = SCOPES[scope];
  const from = range.yearFrom ?? -1;
  const to = range.yearTo ?? 99999;
  const launched = range.yearFrom == null && range.yearTo == null ? 'true' : 'i.launch_year between y.f and y.t';
  const sql = `
with keys as (select ?::${s.keyType}[] as a), y as (select ?::int as f, ?::int as t),
inn as (select ${s.innovationKey}::text as k, i.launch_year as year, count(*)::int as n
        from innovation i, keys, y where ${s.innovationKey} = any(keys.a) and ${launched} group by 1, 2),
outr as (select ${s.outKey}::text as k, r.year, count(*)::int as n from replication r ${s.outJoin}, keys, y
         where ${s.outKey} = any(keys.a) and r.year between y.f and y.t group by 1, 2),
inr as (select ${s.inKey}::text as k, r.year, count(*)::int as n,
               (count(*) filter (where r.adopter_scope = 'PROVINCE_WIDE'))::int as wide
        from replication r, keys, y where ${s.inKey} = any(keys.a) and r.year between y.f and y.t group by 1, 2),
adopting as (select ${s.inKey}::text as k, count(distinct r.adopter_regency_code)::int as n
             from replication r, keys, y where ${s.inKey} = any(keys.a) and r.year between y.f and y.t group by 1),
reach as (select ${s.outKey}::text as k, count(distinct r.adopter_regency_code)::int as n from replication r ${s.outJoin}, keys, y
          where ${s.outKey} = any(keys.a) and r.year between y.f and y.t group by 1),
top as (select k, id, n from (
          select ${s.outKey}::text as k, r.source_id as id, count(*)::int as n,
                 row_number() over (partition by ${s.outKey}::text order by count(*) desc, r.source_id) as rank
          from replication r ${s.outJoin}, keys, y where ${s.outKey} = any(keys.a) and r.year between y.f and y.t
          group by 1, 2) ranked where rank <= 5),
members as (${s.members}),
years as (select k, year from inn where year is not null union select k, year from outr union select k, year from inr)
select key::text as k, json_build_object(
  'innovations', (select coalesce(sum(n), 0) from inn where inn.k = key::text),
  'replicationsOut', (select coalesce(sum(n), 0) from outr where outr.k = key::text),
  'replicationsIn', (select coalesce(sum(n), 0) from inr where inr.k = key::text),
  'provinceWideCommitments', (select coalesce(sum(wide), 0) from inr where inr.k = key::text),
  'adoptingRegencies', (select coalesce(max(n), 0) from adopting where adopting.k = key::text),
  'reachRegencies', (select coalesce(max(n), 0) from reach where reach.k = key::text),
  'memberRegencies', (select coalesce(max(n), 0) from members where members.k = key::text),
  'series', (select coalesce(json_agg(json_build_object(
                'year', years.year,
                'innovations', (select coalesce(sum(n), 0) from inn where inn.k = years.k and inn.year = years.year),
                'replicationsOut', (select coalesce(sum(n), 0) from outr where outr.k = years.k and outr.year = years.year),
                'replicationsIn', (select coalesce(sum(n), 0) from inr where inr.k = years.k and inr.year = years.year))
              order by years.year), '[]') from years where years.k = key::text),
  'top', (select coalesce(json_agg(json_build_object('innovationId', id, 'adoptions', n) order by n desc, id), '[]')
          from top where top.k = key::text)) as stats
from keys, unnest(keys.a) as key`;
  const rows = await em.execute<{ k: string; stats: RawStats }[]>(sql, [pgArray(keys), from, to]);
  return new Map(
    rows.map(({ k, stats }) => [
      k,
      {
        ...range,
        innovations: Number(stats.innovations),
        replicationsOut: Number(stats.replicationsOut),
        replicationsIn: Number(stats.replicationsIn),
        provinceWideCommitments: Number(stats.provinceWideCommitments),
        adoptingRegencies: stats.adoptingRegencies,
        reachRegencies: stats.reachRegencies,
        memberRegencies: stats.memberRegencies,
        adoptionRate: stats.memberRegencies > 0 ? stats.adoptingRegencies / stats.memberRegencies : null,
        series: stats.series.map((y) => ({
          year: y.year,
          innovations: Number(y.innovations),
          replicationsOut: Number(y.replicationsOut),
          replicationsIn: Number(y.replicationsIn),
        })),
        topInnovations: stats.top,
      },
    ]),
  );
}

interface RawStats {
  innovations: number | string;
  replicationsOut: number | string;
  replicationsIn: number | string;
  provinceWideCommitments: number | string;
  adoptingRegencies: number;
  reachRegencies: number;
  memberRegencies: number;
  series: { year: number; innovations: number | string; replicationsOut: number | string; replicationsIn: number | string }[];
  top: { innovationId: number; adoptions: number }[];
}
