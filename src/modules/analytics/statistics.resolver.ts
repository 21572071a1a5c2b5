import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { defineLoader, type Context } from '../../context';
import { yearRangeArgs } from '../../graphql/codes';
import { Hub } from '../hub/hub.entity';
import { Innovation } from '../innovation/innovation.entity';
import { innovationById } from '../innovation/innovation.loaders';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { regionStatistics, type StatisticsParts, type StatisticsScope, type YearRange } from './statistics.service';
import { selectedFields } from '../../graphql/selection';
import type { GraphQLResolveInfo } from 'graphql';
import { RegionStatistics, TopInnovation } from './statistics.types';

const statistics = defineLoader<string, RegionStatistics>('statistics', async (ctx, keys, variant) => {
  const [scope, from, to, wanted] = variant.split('|');
  const range: YearRange = { yearFrom: from ? Number(from) : null, yearTo: to ? Number(to) : null };
  const parts: StatisticsParts = {
    series: wanted.includes('series'),
    adopting: wanted.includes('adopting'),
    reach: wanted.includes('reach'),
    top: wanted.includes('top'),
  };
  const found = await regionStatistics(ctx.em, scope as StatisticsScope, keys, range, parts);
  return keys.map((key) => found.get(key)!);
});

function load(ctx: Context, info: GraphQLResolveInfo, scope: StatisticsScope, key: string, yearFrom?: number | null, yearTo?: number | null) {
  yearRangeArgs(yearFrom, yearTo, '');
  const selected = selectedFields(info);
  const wanted = [
    selected.has('series') && 'series',
    (selected.has('adoptingRegencies') || selected.has('adoptionRate')) && 'adopting',
    selected.has('reachRegencies') && 'reach',
    selected.has('topInnovations') && 'top',
  ].filter(Boolean);
  return statistics(ctx, `${scope}|${yearFrom ?? ''}|${yearTo ?? ''}|${wanted.join(',')}`).load(key);
}

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
  ): Promise<RegionStatistics> {
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
  ): Promise<RegionStatistics> {
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
  ): Promise<RegionStatistics> {
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
