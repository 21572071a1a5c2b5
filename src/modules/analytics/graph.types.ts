// The replication graph's types, each field over a row of the graph's CTEs (graph.queries.ts).
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { column, jsonArray } from '../../graphql/sql/compilers';
import { Sql, type FieldCompiler } from '../../graphql/sql/field-sql';
import { ReplicationKind } from '../replication/replication.entity';

/** A JSON array of a CTE's rows, ordered. */
const rowsOf =
  (table: string, orderBy: (row: SqlFragment) => SqlFragment): FieldCompiler =>
  (call, _row, q) => {
    const t = q.alias();
    return jsonArray(q, call, t, sql`${sql.raw(table)} ${t}`, orderBy(t));
  };

export enum GraphLevel {
  PROVINCE = 'PROVINCE',
  REGENCY = 'REGENCY',
}
registerEnumType(GraphLevel, {
  name: 'GraphLevel',
  description: 'The level regions are drawn at in a replication graph.',
  valuesConfig: {
    PROVINCE: { description: 'One node per province, plus NATIONAL.' },
    REGENCY: {
      description:
        'One node per regency; innovations and adoptions of a province as a whole (provincial governments, province-wide commitments) stay at their province node, national ones at NATIONAL.',
    },
  },
});

export enum RegionLevel {
  NATIONAL = 'NATIONAL',
  PROVINCE = 'PROVINCE',
  REGENCY = 'REGENCY',
}
registerEnumType(RegionLevel, { name: 'RegionLevel' });

@ObjectType({ description: 'A region in a replication graph.', simpleResolvers: true })
export class GraphNode {
  @Field({ description: 'Kemendagri code ("35", "35.25"), or "NATIONAL" for the nation as a whole.' })
  @Sql(column('code'))
  code!: string;

  @Field()
  @Sql(column('name'))
  name!: string;

  @Field(() => RegionLevel)
  @Sql(column('lvl'))
  level!: RegionLevel;

  @Field({ description: 'Whether the node is, or lies in, a Hub JIPP province.' })
  @Sql(column('is_hub'))
  isHub!: boolean;

  @Field(() => Int, { description: 'Replications whose source innovation is in this region.' })
  @Sql(column('outgoing'))
  outgoing!: number;

  @Field(() => Int, { description: 'Replications adopted at this node.' })
  @Sql(column('incoming'))
  incoming!: number;

  @Field(() => Int, {
    description: 'Innovations located at this node (for a province node: at province level only when level is REGENCY).',
  })
  @Sql(column('innovations'))
  innovations!: number;

  @Field(() => Int, { description: 'Distinct innovations of this node that spread, within the filter.' })
  @Sql(column('spreading'))
  spreadingInnovations!: number;

  @Field(() => Int, {
    description: 'Regencies drawn inside this province node by foldRegenciesBelow (their replications and innovations included); 0 otherwise.',
  })
  @Sql(column('folded'))
  foldedRegencies!: number;
}

@ObjectType({ simpleResolvers: true })
export class KindCount {
  @Field(() => ReplicationKind)
  @Sql(column('kind'))
  kind!: ReplicationKind;

  @Field(() => Int)
  @Sql(column('count'))
  count!: number;
}

@ObjectType({ description: 'Replications from one region to another, aggregated.', simpleResolvers: true })
export class GraphEdge {
  @Field({ description: 'Code of the source node.' })
  @Sql(column('s'))
  source!: string;

  @Field({ description: 'Code of the target node; equal to source for spread within a region.' })
  @Sql(column('t'))
  target!: string;

  @Field(() => Int)
  @Sql(column('n'))
  count!: number;

  @Field(() => [KindCount], { description: 'Counts by kind; kinds with no replication are left out.' })
  @Sql((call, row, q) => {
    const k = q.alias();
    const kinds = sql`(values (${ReplicationKind.REPLICATION}, ${row}.rep, 1), (${ReplicationKind.SCALING_UP}, ${row}.up, 2), (${ReplicationKind.DISSEMINATION}, ${row}.dis, 3)) ${k}(kind, count, ord)`;
    return jsonArray(q, call, k, sql`${kinds} where ${k}.count > 0`, sql`${k}.ord`);
  })
  byKind!: KindCount[];

  @Field(() => Int)
  @Sql(column('first_year'))
  firstYear!: number;

  @Field(() => Int)
  @Sql(column('last_year'))
  lastYear!: number;
}

@ObjectType({ simpleResolvers: true })
export class GraphTotals {
  @Field(() => Int, { description: 'Replications in the graph (each counted once, national and province-wide ones included).' })
  @Sql(column('replications'))
  replications!: number;

  @Field(() => Int, { description: 'Distinct source innovations.' })
  @Sql(column('innovations'))
  innovations!: number;

  @Field(() => Int, { description: 'Nodes with at least one replication.' })
  @Sql(column('regions'))
  regions!: number;

  @Field(() => Int, { description: 'Edges in the graph, before minEdgeCount, maxEdges and maxNodes choose the ones to list.' })
  @Sql(column('edges'))
  edges!: number;

  @Field(() => Int, { description: 'Replications adopted nationally (scope NATIONAL).' })
  @Sql(column('national'))
  national!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share of replications whose adopter lies in another province than the source, among those where both provinces are known (national ones excluded); null when there are none.',
  })
  @Sql(column('"crossProvinceShare"'))
  crossProvinceShare!: number | null;
}

@ObjectType({ description: 'The replication network aggregated by region, in one call.', simpleResolvers: true })
export class ReplicationGraph {
  @Field(() => GraphLevel)
  @Sql(column('level'))
  level!: GraphLevel;

  @Field(() => [GraphNode], { description: 'Nodes, by code (the busiest maxNodes of them when it is given).' })
  @Sql(rowsOf('nodes', (n) => sql`${n}.code`))
  nodes!: GraphNode[];

  @Field(() => [GraphEdge], { description: 'Edges, largest first: those of at least minEdgeCount replications, between listed nodes, at most maxEdges.' })
  @Sql(rowsOf('edges', (e) => sql`${e}.n desc, ${e}.s, ${e}.t`))
  edges!: GraphEdge[];

  @Field(() => GraphTotals)
  @Sql((call, _row, q) => {
    const t = q.alias();
    return sql`(select ${q.object(q.returnType(call), call.nodes, t)} from totals ${t})`;
  })
  totals!: GraphTotals;
}
