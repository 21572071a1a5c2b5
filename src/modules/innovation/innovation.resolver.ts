import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Connection, PageArgs } from '../../graphql/connection';
import { parseNumericGlobalId } from '../../graphql/global-id';
import { loadConnection } from '../../graphql/list-loader';
import { loadRef } from '../../graphql/refs';
import { selectedNodeFields } from '../../graphql/selection';
import { Institution } from '../institution/institution.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { Award } from './award.entity';
import { Innovation } from './innovation.entity';
import { InnovationFilter, InnovationOrder } from './innovation.inputs';
import { awardsByInnovation, innovationById } from './innovation.loaders';
import { innovationWithDiffusion } from '../analytics/diffusion.resolver';
import { innovationCountQuery, innovationOrdering, innovationQuery } from './innovation.service';

export const InnovationConnection = Connection(Innovation);

/** One list implementation for every place innovations are listed: top level, per province, regency, owner. */
function listInnovations(
  ctx: Context,
  info: GraphQLResolveInfo,
  parent: { column: string; key: string } | null,
  filter: InnovationFilter | null | undefined,
  orderBy: InnovationOrder | null | undefined,
  page: PageArgs,
) {
  return loadConnection(
    ctx,
    {
      name: `innovations:${parent?.column ?? 'all'}`,
      entity: Innovation,
      base: innovationQuery(ctx.em, filter),
      parentColumn: parent?.column ?? null,
      ordering: innovationOrdering(ctx.em, orderBy, filter),
      variant: { filter, orderBy },
      counts: parent?.column === 'i.owner_id' ? null : rollupCounts(ctx, filter),
        joins: {
          refs: [
            { field: 'owner', entity: Institution, column: 'i.owner_id' },
            { field: 'province', entity: Province, column: 'i.province_code' },
            { field: 'regency', entity: Regency, column: 'i.regency_code' },
          ],
          selected: selectedNodeFields(info),
        },
      Type: InnovationConnection,
    },
    parent?.key ?? null,
    page,
  );
}

function rollupCounts(ctx: Context, filter: InnovationFilter | null | undefined) {
  const base = innovationCountQuery(ctx.em, filter);
  return base ? { base, sum: 'i.innovations' } : null;
}

@Resolver(() => Innovation)
export class InnovationResolver {
  @Query(() => InnovationConnection, { description: 'Innovations, filtered, ordered and paged.' })
  innovations(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => InnovationFilter, { nullable: true }) filter?: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, { nullable: true }) orderBy?: InnovationOrder | null,
  ) {
    return listInnovations(ctx, info, null, filter, orderBy, page);
  }

  @Query(() => Innovation, { nullable: true, description: 'An innovation by its global id; null when there is none.' })
  async innovation(@Ctx() ctx: Context, @Info() info: GraphQLResolveInfo, @Arg('id', () => ID) id: string): Promise<Innovation | null> {
    const key = parseNumericGlobalId(id, 'Innovation');
    const withDiffusion = await innovationWithDiffusion(ctx, info, key);
    return withDiffusion === undefined ? innovationById(ctx).load(key) : withDiffusion;
  }

  @FieldResolver(() => Institution, { description: 'Who owns the innovation.' })
  async owner(@Root() innovation: Innovation): Promise<Institution> {
    return (await loadRef(innovation.owner))!;
  }

  @FieldResolver(() => Province, { nullable: true, description: 'Province of the innovation; null for national ones.' })
  province(@Root() innovation: Innovation): Promise<Province | null> {
    return loadRef(innovation.province);
  }

  @FieldResolver(() => Regency, { nullable: true, description: 'Regency or city of the innovation, when it has one.' })
  regency(@Root() innovation: Innovation): Promise<Regency | null> {
    return loadRef(innovation.regency);
  }

  @FieldResolver(() => [Award], { description: 'Awards, oldest first.' })
  awards(@Root() innovation: Innovation, @Ctx() ctx: Context): Promise<Award[]> {
    return awardsByInnovation(ctx).load(innovation.id);
  }
}

@Resolver(() => Province)
export class ProvinceInnovationsResolver {
  @FieldResolver(() => InnovationConnection, { description: 'Innovations located in the province, its regencies included.' })
  innovations(
    @Root() province: Province,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => InnovationFilter, { nullable: true }) filter?: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, { nullable: true }) orderBy?: InnovationOrder | null,
  ) {
    return listInnovations(ctx, info, { column: 'i.province_code', key: province.code }, filter, orderBy, page);
  }
}

@Resolver(() => Regency)
export class RegencyInnovationsResolver {
  @FieldResolver(() => InnovationConnection, { description: 'Innovations located in the regency or city.' })
  innovations(
    @Root() regency: Regency,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => InnovationFilter, { nullable: true }) filter?: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, { nullable: true }) orderBy?: InnovationOrder | null,
  ) {
    return listInnovations(ctx, info, { column: 'i.regency_code', key: regency.code }, filter, orderBy, page);
  }
}

@Resolver(() => Institution)
export class InstitutionResolver {
  @FieldResolver(() => InnovationConnection, { description: 'Innovations the institution owns.' })
  innovations(
    @Root() institution: Institution,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => InnovationFilter, { nullable: true }) filter?: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, { nullable: true }) orderBy?: InnovationOrder | null,
  ) {
    return listInnovations(ctx, info, { column: 'i.owner_id', key: String(institution.id) }, filter, orderBy, page);
  }

  @FieldResolver(() => Province, { nullable: true })
  province(@Root() institution: Institution): Promise<Province | null> {
    return loadRef(institution.province);
  }

  @FieldResolver(() => Regency, { nullable: true })
  regency(@Root() institution: Institution): Promise<Regency | null> {
    return loadRef(institution.regency);
  }
}
