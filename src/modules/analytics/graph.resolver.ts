import { Arg, Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { ReplicationFilter } from '../replication/replication.inputs';
import { graphCtes } from './graph.queries';
import { GraphLevel, ReplicationGraph } from './graph.types';

export const PROVINCE_GRAPH_WEIGHT = 10;
export const REGENCY_GRAPH_WEIGHT = 500;

@Resolver(() => ReplicationGraph)
export class ReplicationGraphResolver {
  @Query(() => ReplicationGraph, {
    description:
      'The replication network aggregated by region in one call. Every replication counts once: a NATIONAL scaling-up is one edge to the NATIONAL node, a province-wide commitment one edge to its province (never one per regency).',
  })
  @Sql(
    (call, _row, q) => {
      const type = q.returnType(call);
      // Distinct innovations need a pass over the replications: only when a field that shows them is selected.
      const selected = q.subfields(type, call.nodes);
      const under = (field: string, subfield: string) =>
        [...selected.values()].some((nodes) => nodes[0].name.value === field && q.selectedNames(q.returnType(q.call(type, field, nodes)), nodes).has(subfield));
      const distinctInnovations = under('nodes', 'spreadingInnovations') || under('totals', 'innovations');
      const level = call.args.level as GraphLevel;
      const ctes = graphCtes(level, call.args.filter as ReplicationFilter | null, call.args.includeIsolated as boolean, { distinctInnovations });
      const g = q.alias();
      return sql`(${ctes} select ${q.object(type, call.nodes, g)} from (select ${level}::text as level) ${g})`;
    },
    // The PROVINCE graph is read from a rollup; the REGENCY graph from the replications themselves, and
    // its answer runs to megabytes.
    { weight: (argument) => (argument('level') === GraphLevel.REGENCY ? REGENCY_GRAPH_WEIGHT : PROVINCE_GRAPH_WEIGHT) },
  )
  replicationGraph(
    @Arg('level', () => GraphLevel, { defaultValue: GraphLevel.PROVINCE }) _level: GraphLevel,
    @Arg('filter', () => ReplicationFilter, { nullable: true }) _filter: ReplicationFilter | null,
    @Arg('includeIsolated', () => Boolean, { defaultValue: false, description: 'Also list regions of the level with no replication (for maps).' })
    _includeIsolated: boolean,
    @Answer() answer: ReplicationGraph,
  ): ReplicationGraph {
    return answer;
  }
}
