// statistics(yearFrom, yearTo) of provinces, regencies and hubs: the statistics statement over every row
// the parent stands for when they are known as a set (a list, a lookup: one CTE for all of them), else
// for the parent row alone.
import { Arg, FieldResolver, Int, Resolver } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { yearRangeArgs } from '../../graphql/codes';
import { rowsOf } from '../../graphql/sql/compilers';
import { Sql, type FieldCall, type FieldCompiler } from '../../graphql/sql/field-sql';
import type { Planner } from '../../graphql/sql/planner';
import { Answer } from '../../graphql/sql/reads';
import { Hub } from '../hub/hub.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { statisticsSql, type StatisticsScope } from './statistics.queries';
import { RegionStatistics } from './statistics.types';

/** RegionStatistics of `scope` for the parent row whose key is `key` (its column `keyColumn`). */
function statistics(scope: StatisticsScope, keyColumn: string, call: FieldCall, row: SqlFragment, q: Planner): SqlFragment {
  const yearFrom = (call.args.yearFrom as number | null | undefined) ?? null;
  const yearTo = (call.args.yearTo as number | null | undefined) ?? null;
  yearRangeArgs(yearFrom, yearTo, '');
  const type = q.returnType(call);
  const names = q.selectedNames(type, call.nodes);
  const parts = {
    innovations: names.has('innovations'),
    out: names.has('replicationsOut'),
    in: names.has('replicationsIn'),
    wide: names.has('provinceWideCommitments'),
    members: names.has('memberRegencies') || names.has('adoptionRate'),
    adopting: names.has('adoptingRegencies') || names.has('adoptionRate'),
    reach: names.has('reachRegencies'),
    series: names.has('series'),
    top: names.has('topInnovations'),
  };
  const key = sql`${row}.${sql.raw(keyColumn)}`;
  const keys = rowsOf(q, row);
  const range = { yearFrom, yearTo };
  const source = keys ? q.cte(statisticsSql(scope, range, parts, keys(keyColumn))) : sql`(${statisticsSql(scope, range, parts, sql`select ${key}`)})`;
  const st = q.alias();
  const s = q.alias();
  return sql`(select ${q.object(type, call.nodes, s)} from (select ${st}.*, ${yearFrom}::int as year_from, ${yearTo}::int as year_to
    from ${source} ${st} where ${st}.k = ${key}::text) ${s})`;
}

const YEAR_FROM = { nullable: true, description: 'First year counted (inclusive).' } as const;
const YEAR_TO = { nullable: true, description: 'Last year counted (inclusive).' } as const;
const DESCRIPTION = 'Innovations, replications out and in, adoption among member regencies, a per-year series, top innovations.';
const WEIGHT = { weight: 5 };

const regionStatistics =
  (scope: StatisticsScope): FieldCompiler =>
  (call, row, q) =>
    statistics(scope, 'code', call, row, q);

@Resolver(() => Province)
export class ProvinceStatisticsResolver {
  @FieldResolver(() => RegionStatistics, { description: DESCRIPTION })
  @Sql(regionStatistics('province'), WEIGHT)
  statistics(
    @Arg('yearFrom', () => Int, YEAR_FROM) _yearFrom: number | null,
    @Arg('yearTo', () => Int, YEAR_TO) _yearTo: number | null,
    @Answer() answer: RegionStatistics,
  ): RegionStatistics {
    return answer;
  }
}

@Resolver(() => Regency)
export class RegencyStatisticsResolver {
  @FieldResolver(() => RegionStatistics, { description: DESCRIPTION })
  @Sql(regionStatistics('regency'), WEIGHT)
  statistics(
    @Arg('yearFrom', () => Int, YEAR_FROM) _yearFrom: number | null,
    @Arg('yearTo', () => Int, YEAR_TO) _yearTo: number | null,
    @Answer() answer: RegionStatistics,
  ): RegionStatistics {
    return answer;
  }
}

@Resolver(() => Hub)
export class HubStatisticsResolver {
  @FieldResolver(() => RegionStatistics, {
    description: `${DESCRIPTION} For a province hub, those of its province; for a ministry hub, those of the innovations it owns and adopts.`,
  })
  @Sql(
    (call, row, q) =>
      sql`(case when ${row}.province_code is not null then ${statistics('province', 'province_code', call, row, q)} else ${statistics('institution', 'institution_id', call, row, q)} end)`,
    WEIGHT,
  )
  statistics(
    @Arg('yearFrom', () => Int, YEAR_FROM) _yearFrom: number | null,
    @Arg('yearTo', () => Int, YEAR_TO) _yearTo: number | null,
    @Answer() answer: RegionStatistics,
  ): RegionStatistics {
    return answer;
  }
}
