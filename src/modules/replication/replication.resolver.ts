import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { Connection, PageArgs } from '../../graphql/connection';
import { loadConnection } from '../../graphql/list-loader';
import { loadRef } from '../../graphql/refs';
import { Hub } from '../hub/hub.entity';
import { Innovation } from '../innovation/innovation.entity';
import { MentoringProgramme } from '../mentoring/mentoring-programme.entity';
import { Replication } from './replication.entity';
import { ReplicationFilter, ReplicationOrder } from './replication.inputs';
import { replicationByAdoptedAs } from './replication.loaders';
import { replicationOrdering, replicationQuery } from './replication.service';
import { Adopter } from './replication.types';

export const ReplicationConnection = Connection(Replication);

/** One list implementation for every place replications are listed. */
export function listReplications(
  ctx: Context,
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
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, null, filter, orderBy, page);
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
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, { column: 'r.source_id', key: String(innovation.id) }, filter, orderBy, page);
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
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, { column: 'r.facilitating_hub_id', key: String(hub.id) }, filter, orderBy, page);
  }
}

@Resolver(() => MentoringProgramme)
export class ProgrammeReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Replications the programme supported.' })
  replications(
    @Root() programme: MentoringProgramme,
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, { nullable: true }) orderBy?: ReplicationOrder | null,
  ) {
    return listReplications(ctx, { column: 'r.mentoring_programme_id', key: String(programme.id) }, filter, orderBy, page);
  }
}
