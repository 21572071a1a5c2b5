import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Info, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Connection, PageArgs } from '../../graphql/connection';
import { loadConnection } from '../../graphql/list-loader';
import { loadRef } from '../../graphql/refs';
import { selectedNodeFields } from '../../graphql/selection';
import { Hub } from '../hub/hub.entity';
import { Innovation } from '../innovation/innovation.entity';
import { Institution } from '../institution/institution.entity';
import { MentoringProgramme } from '../mentoring/mentoring-programme.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { Replication } from './replication.entity';
import { ReplicationFilter, ReplicationOrder } from './replication.inputs';
import { replicationByAdoptedAs } from './replication.loaders';
import { replicationOrdering, replicationQuery } from './replication.service';
import { Adopter } from './replication.types';

export const ReplicationConnection = Connection(Replication);

/** One list implementation for every place replications are listed. */
export function listReplications(
  ctx: Context,
  info: GraphQLResolveInfo,
  parent: { column: string; key: string } | null,
  filter: ReplicationFilter | null | undefined,
  orderBy: ReplicationOrder | null | undefined,
  page: PageArgs,
) {
  return loadConnection(
    ctx,
    {
      name: `replications:${parent?.column ?? 'all'}`,
      entity: Replication,
      base: replicationQuery(ctx.em, filter),
      parentColumn: parent?.column ?? null,
      ordering: replicationOrdering(orderBy),
      variant: { filter, orderBy },
        joins: {
          refs: [
            { field: 'source', entity: Innovation, column: 'r.source_id' },
            { field: 'adopter', entity: Province, column: 'r.adopter_province_code' },
            { field: 'adopter', entity: Regency, column: 'r.adopter_regency_code' },
            { field: 'adopter', entity: Institution, column: 'r.adopter_institution_id' },
            { field: 'facilitatingHub', entity: Hub, column: 'r.facilitating_hub_id' },
            { field: 'mentoringProgramme', entity: MentoringProgramme, column: 'r.mentoring_programme_id' },
            { field: 'adoptedAs', entity: Innovation, column: 'r.adopted_as_id' },
          ],
          selected: selectedNodeFields(info),
        },
      Type: ReplicationConnection,
    },
    parent?.key ?? null,
    page,
  );
}

@Resolver(() => Replication)
export class ReplicationResolver {
  @Query(() => ReplicationConnection, { description: 'Replications, scaling-ups and disseminations, filtered and paged.' })
  replications(
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, info, null, filter, orderBy, page);
  }

  @FieldResolver(() => Innovation, { description: 'The innovation that spreads.' })
  async source(@Root() replication: Replication): Promise<Innovation> {
    return (await loadRef(replication.source))!;
  }

  @FieldResolver(() => Adopter)
  async adopter(@Root() replication: Replication): Promise<Adopter> {
    const [province, regency, institution] = await Promise.all([
      loadRef(replication.adopterProvince),
      loadRef(replication.adopterRegency),
      loadRef(replication.adopterInstitution),
    ]);
    return { scope: replication.adopterScope, province, regency, institution };
  }

  @FieldResolver(() => Hub, { nullable: true, description: 'The hub that facilitated it.' })
  facilitatingHub(@Root() replication: Replication): Promise<Hub | null> {
    return loadRef(replication.facilitatingHub);
  }

  @FieldResolver(() => MentoringProgramme, { nullable: true, description: 'The mentoring programme that supported it.' })
  mentoringProgramme(@Root() replication: Replication): Promise<MentoringProgramme | null> {
    return loadRef(replication.mentoringProgramme);
  }

  @FieldResolver(() => Innovation, {
    nullable: true,
    description: "The adopter's own local version, e.g. Buleleng's PAS URBAN for Klungkung's TOSS.",
  })
  adoptedAs(@Root() replication: Replication): Promise<Innovation | null> {
    return loadRef(replication.adoptedAs);
  }
}

@Resolver(() => Innovation)
export class InnovationReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Where this innovation spread (direct adoptions).' })
  replications(
    @Root() innovation: Innovation,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, info, { column: 'r.source_id', key: String(innovation.id) }, filter, orderBy, page);
  }

  @FieldResolver(() => Replication, {
    nullable: true,
    description: 'The replication this innovation is the local version of; null for an original.',
  })
  adoptedFrom(@Root() innovation: Innovation, @Ctx() ctx: Context): Promise<Replication | null> {
    return replicationByAdoptedAs(ctx).load(innovation.id);
  }
}

@Resolver(() => Hub)
export class HubReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Replications this hub facilitated.' })
  replications(
    @Root() hub: Hub,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, info, { column: 'r.facilitating_hub_id', key: String(hub.id) }, filter, orderBy, page);
  }
}

@Resolver(() => MentoringProgramme)
export class ProgrammeReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Replications the programme supported.' })
  replications(
    @Root() programme: MentoringProgramme,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, info, { column: 'r.mentoring_programme_id', key: String(programme.id) }, filter, orderBy, page);
  }
}
