import type { GraphQLResolveInfo } from 'graphql';
import type { Knex } from '@mikro-orm/postgresql';
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { defineLoader, type Context } from '../../context';
import { yearRangeArgs } from '../../graphql/codes';
import { childFields, selectedFields } from '../../graphql/selection';
import { Hub } from '../hub/hub.entity';
import { Innovation } from '../innovation/innovation.entity';
import { innovationById } from '../innovation/innovation.loaders';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import {
  regionStatistics,
  statisticsSql,
  toRegionStatistics,
  type RawStatistics,
  type StatisticsParts,
  type StatisticsScope,
  type YearRange,
} from './statistics.service';
import { RegionStatistics, TopInnovation } from './statistics.types';

/** What one statistics field asks for: scope, years and the parts selected, as a loader variant. */
interface Asked {
  scope: StatisticsScope;
  range: YearRange;
  parts: StatisticsParts;
}

const variantOf = ({ scope, range, parts }: Asked) =>
  `${scope}|${range.yearFrom ?? ''}|${range.yearTo ?? ''}|${Object.entries(parts).filter(([, on]) => on).map(([part]) => part).join(',')}`;

function asked(scope: StatisticsScope, yearFrom: number | null | undefined, yearTo: number | null | undefined, selected: ReadonlySet<string>): Asked {
  yearRangeArgs(yearFrom, yearTo, '');
  return {
    scope,
    range: { yearFrom: yearFrom ?? null, yearTo: yearTo ?? null },
    parts: {
      series: selected.has('series'),
      adopting: selected.has('adoptingRegencies') || selected.has('adoptionRate'),
      reach: selected.has('reachRegencies'),
      top: selected.has('topInnovations'),
    },
  };
}

const statistics = defineLoader<string, RegionStatistics>('statistics', async (ctx, keys, variant) => {
  const [scope, from, to, wanted] = variant.split('|');
  const range: YearRange = { yearFrom: from ? Number(from) : null, yearTo: to ? Number(to) : null };
  const parts = wanted.split(',');
  const found = await regionStatistics(ctx.em, scope as StatisticsScope, keys, range, {
    series: parts.includes('series'),
    adopting: parts.includes('adopting'),
    reach: parts.includes('reach'),
    top: parts.includes('top'),
  });
  return keys.map((key) => found.get(key)!);
});

function load(ctx: Context, info: GraphQLResolveInfo, scope: StatisticsScope, key: string, yearFrom?: number | null, yearTo?: number | null) {
  return statistics(ctx, variantOf(asked(scope, yearFrom, yearTo, selectedFields(info)))).loadNow(key);
}

/**
 * For a list of provinces with their statistics selected (the dashboard's league table): the statistics
 * of the listed provinces computed in the list's own statement, as a CTE over the same provinces joined
 * by code, instead of a second statement once the list is back. Call it once the list's filters are set;
 * it returns what primes Province.statistics from the rows, or undefined when nothing was folded (not
 * selected, or years its resolver will reject).
 */
export function foldProvinceStatistics(
  ctx: Context,
  info: GraphQLResolveInfo,
  qb: Knex.QueryBuilder,
  codeColumn: string,
): ((rows: readonly Record<string, unknown>[], codes: readonly string[]) => void) | undefined {
  const fold = childFields(info, 'statistics')
    .map(({ args, selected }) => {
      try {
        return asked('province', args.yearFrom as number | null, args.yearTo as number | null, selected);
      } catch {
        return undefined;
      }
    })
    .find((candidate) => candidate !== undefined);
  if (!fold) return undefined;
  const knex = ctx.em.getKnex();
  const keys = qb.clone().clearSelect().clearOrder().select(codeColumn);
  qb.with(FOLDED, knex.raw(statisticsSql('province', fold.range, fold.parts, 'query'), [keys]))
    .leftJoin(`${FOLDED} as ${FOLDED}`, `${FOLDED}.k`, codeColumn)
    .select(`${FOLDED}.stats as ${FOLDED}`);
  const { range } = fold;
  const loader = statistics(ctx, variantOf(fold));
  return (rows, codes) =>
    rows.forEach((row, i) => {
      const stats = row[FOLDED] as RawStatistics | null;
      if (stats) loader.prime(codes[i], toRegionStatistics(stats, range));
    });
}

const FOLDED = 'folded_statistics';

const YEAR_FROM = { nullable: true, description: 'First year counted (inclusive).' };
const YEAR_TO = { nullable: true, description: 'Last year counted (inclusive).' };
const DESCRIPTION = 'Innovations, replications out and in, adoption among member regencies, a per-year series, top innovations.';

@Resolver(() => Province)
export class ProvinceStatisticsResolver {
  @FieldResolver(() => RegionStatistics, { description: DESCRIPTION })
  statistics(
    @Root() province: Province,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('yearFrom', () => Int, YEAR_FROM) yearFrom?: number | null,
    @Arg('yearTo', () => Int, YEAR_TO) yearTo?: number | null,
  ): RegionStatistics | Promise<RegionStatistics> {
    return load(ctx, info, 'province', province.code, yearFrom, yearTo);
  }
}

@Resolver(() => Regency)
export class RegencyStatisticsResolver {
  @FieldResolver(() => RegionStatistics, { description: DESCRIPTION })
  statistics(
    @Root() regency: Regency,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('yearFrom', () => Int, YEAR_FROM) yearFrom?: number | null,
    @Arg('yearTo', () => Int, YEAR_TO) yearTo?: number | null,
  ): RegionStatistics | Promise<RegionStatistics> {
    return load(ctx, info, 'regency', regency.code, yearFrom, yearTo);
  }
}

@Resolver(() => Hub)
export class HubStatisticsResolver {
  @FieldResolver(() => RegionStatistics, {
    description: `${DESCRIPTION} For a province hub, those of its province; for a ministry hub, those of the innovations it owns and adopts.`,
  })
  statistics(
    @Root() hub: Hub,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('yearFrom', () => Int, YEAR_FROM) yearFrom?: number | null,
    @Arg('yearTo', () => Int, YEAR_TO) yearTo?: number | null,
  ): RegionStatistics | Promise<RegionStatistics> {
    return hub.province
      ? load(ctx, info, 'province', hub.province.unwrap().code, yearFrom, yearTo)
      : load(ctx, info, 'institution', String(hub.institution!.id), yearFrom, yearTo);
  }
}

@Resolver(() => TopInnovation)
export class TopInnovationResolver {
  @FieldResolver(() => Innovation)
  async innovation(@Root() top: TopInnovation, @Ctx() ctx: Context): Promise<Innovation> {
    return (await innovationById(ctx).load(top.innovationId))!;
  }
}
