import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, Info, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { selectedPaths } from '../../graphql/selection';
import { ReplicationFilter } from '../replication/replication.inputs';
import { needsDistinctInnovations, replicationGraph } from './graph.service';
import { GraphLevel, ReplicationGraph } from './graph.types';

@Resolver(() => ReplicationGraph)
export class ReplicationGraphResolver {
  @Query(() => ReplicationGraph, {
    description:
      'The replication network aggregated by region in one call. Every replication counts once: a NATIONAL scaling-up is one edge to the NATIONAL node, a province-wide commitment one edge to its province (never one per regency).',
  })
  replicationGraph(
    @Ctx() ctx: Context,
    @Arg('level', () => GraphLevel, { defaultValue: GraphLevel.PROVINCE }) level: GraphLevel,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) filter?: ReplicationFilter | null,
    @Arg('includeIsolated', () => Boolean, {
      defaultValue: false,
      description: 'Also list regions of the level with no replication (for maps).',
    })
    includeIsolated = false,
    @Info() info?: GraphQLResolveInfo,
  ): Promise<ReplicationGraph> {
    const distinctInnovations = !info || needsDistinctInnovations(selectedPaths(info, 2));
    return replicationGraph(ctx.em, level, filter, includeIsolated, { distinctInnovations });
  }
}
