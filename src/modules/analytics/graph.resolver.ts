import { Arg, Int, Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { ReplicationFilter } from '../replication/replication.inputs';
import { graphCtes, graphWeight } from './graph.queries';
import { GraphLevel, ReplicationGraph } from './graph.types';

@Resolver(() => ReplicationGraph)
export class ReplicationGraphResolver {
  @Query(() => ReplicationGraph, {
    description:
      'The replication network aggregated by region in one call. Every replication counts once: a NATIONAL scaling-up is one edge to the NATIONAL node, a province-wide commitment one edge to its province (never one per regency). minEdgeCount, maxEdges, maxNodes and foldRegenciesBelow make a large graph a picture; totals always count the whole graph.',
  })
  @Sql(
    (call, _row, q) => {
      const type = q.returnType(call);
      // Distinct innovations cost a read of their own: only when a field that shows them is selected.
      const selected = q.subfields(type, call.nodes);
      const under = (field: string, subfield: string) =>
        [...selected.values()].some((nodes) => nodes[0].name.value === field && q.selectedNames(q.returnType(q.call(type, field, nodes)), nodes).has(subfield));
      const distinctInnovations = under('nodes', 'spreadingInnovations') || under('totals', 'innovations');
      const level = call.args.level as GraphLevel;
      const ctes = graphCtes(
        {
          level,
          filter: call.args.filter as ReplicationFilter | null,
          includeIsolated: call.args.includeIsolated as boolean,
          minEdgeCount: call.args.minEdgeCount as number,
          maxEdges: (call.args.maxEdges as number | null) ?? null,
          maxNodes: (call.args.maxNodes as number | null) ?? null,
          foldRegenciesBelow: (call.args.foldRegenciesBelow as number | null) ?? null,
        },
        { distinctInnovations },
      );
      const g = q.alias();
      return sql`(${ctes} select ${q.object(type, call.nodes, g)} from (select ${level}::text as level) ${g})`;
    },
    // Answered from the rollups, a graph is cheap; read from the replications (the REGENCY level, or a
    // filter the rollups do not keep), it is not.
    { weight: (argument) => graphWeight(argument('level'), argument('filter')) },
  )
  replicationGraph(
    @Arg('level', () => GraphLevel, { defaultValue: GraphLevel.PROVINCE }) _level: GraphLevel,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) _filter: ReplicationFilter | null,
    @Arg('includeIsolated', () => Boolean, { defaultValue: false, description: 'Also list regions of the level with no replication (for maps).' })
    _includeIsolated: boolean,
    @Arg('minEdgeCount', () => Int, { defaultValue: 1, description: 'List only edges of at least this many replications.' })
    _minEdgeCount: number,
    @Arg('maxEdges', () => Int, { nullable: true, description: 'List at most this many edges, the largest.' })
    _maxEdges: number | null,
    @Arg('maxNodes', () => Int, {
      nullable: true,
      description: 'List only the busiest nodes (most replications out and in), at most this many, and the edges between them.',
    })
    _maxNodes: number | null,
    @Arg('foldRegenciesBelow', () => Int, {
      nullable: true,
      description:
        'At REGENCY level, draw each regency with fewer replications than this (outgoing and incoming together) inside its province node.',
    })
    _foldRegenciesBelow: number | null,
    @Answer() answer: ReplicationGraph,
  ): ReplicationGraph {
    return answer;
  }
}
