import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { provinceCodeArg, regencyCodeArg } from '../../graphql/codes';
import { Connection, PageArgs } from '../../graphql/connection';
import { loadConnection } from '../../graphql/list-loader';
import { selectedFields } from '../../graphql/selection';
import { joinHubs, primeHubs } from '../hub/hub.loaders';
import { readRows } from '../../db/read-rows';
import { runRead } from '../../db/sql';
import { foldProvinceStatistics } from '../analytics/statistics.resolver';
import { ProvinceFilter, RegencyFilter } from './region.inputs';
import { provinceQuery, REGENCY_ORDERING, regencyQuery } from './region.queries';
import { provinceByCode, regenciesByProvince, regencyByCode } from './region.loaders';
import { Province } from './province.entity';
import { Regency, RegencyKind } from './regency.entity';

export const RegencyConnection = Connection(Regency);

@Resolver(() => Province)
export class ProvinceResolver {
  @Query(() => [Province], { description: 'All 38 provinces, ordered by code.' })
  async provinces(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('filter', () => ProvinceFilter, { nullable: true }) filter?: ProvinceFilter | null,
  ): Promise<Province[]> {
    const qb = provinceQuery(ctx.em, filter).orderBy('p.code');
    const selected = selectedFields(info);
    // A dashboard listing provinces with their hubs: the hubs come in the same statement.
    const withHubs = selected.has('hub') || selected.has('isHub');
    if (withHubs) joinHubs(ctx, qb, 'p.code');
    const primeStatistics = foldProvinceStatistics(ctx, info, qb, 'p.code');
    const rows = await runRead(ctx.em, qb);
    const provinces = readRows(ctx, Province, rows);
    const codes = provinces.map((p) => p.code);
    if (withHubs) primeHubs(ctx, rows, codes);
    primeStatistics?.(rows, codes);
    return provinces;
  }

  @Query(() => Province, { nullable: true, description: 'A province by its Kemendagri code; null when there is none.' })
  province(@Ctx() ctx: Context, @Arg('code') code: string): Promise<Province | null> {
    return provinceByCode(ctx).load(provinceCodeArg(code, 'code'));
  }

  @FieldResolver(() => [Regency], { description: 'The regencies and cities of the province, ordered by code.' })
  async regencies(
    @Root() province: Province,
    @Ctx() ctx: Context,
    @Arg('kind', () => RegencyKind, { nullable: true }) kind?: RegencyKind | null,
  ): Promise<Regency[]> {
    const all = await regenciesByProvince(ctx).load(province.code);
    return kind ? all.filter((r) => r.kind === kind) : all;
  }

  @FieldResolver(() => Int, { description: 'Number of regencies and cities in the province.' })
  async regencyCount(@Root() province: Province, @Ctx() ctx: Context): Promise<number> {
    return (await regenciesByProvince(ctx).load(province.code)).length;
  }
}

@Resolver(() => Regency)
export class RegencyResolver {
  @Query(() => RegencyConnection, { description: 'Regencies and cities, ordered by code.' })
  regencies(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => RegencyFilter, { nullable: true }) filter?: RegencyFilter | null,
  ) {
    return loadConnection(
      ctx,
      { name: 'regencies', entity: Regency, base: regencyQuery(ctx.em, filter), parentColumn: null, ordering: REGENCY_ORDERING, variant: filter ?? {}, Type: RegencyConnection },
      null,
      page,
    );
  }

  @Query(() => Regency, { nullable: true, description: 'A regency or city by its Kemendagri code; null when there is none.' })
  regency(@Ctx() ctx: Context, @Arg('code') code: string): Promise<Regency | null> {
    return regencyByCode(ctx).load(regencyCodeArg(code, 'code'));
  }

  @FieldResolver(() => Province)
  async province(@Root() regency: Regency, @Ctx() ctx: Context): Promise<Province> {
    return (await provinceByCode(ctx).load(regency.province.unwrap().code))!;
  }
}
