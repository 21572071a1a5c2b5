import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ReplicationKind } from '../replication/replication.entity';

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

@ObjectType({ description: 'A region in a replication graph.' })
export class GraphNode {
  @Field({ description: 'Kemendagri code ("35", "35.25"), or "NATIONAL" for the nation as a whole.' })
  code!: string;

  @Field()
  name!: string;

  @Field(() => RegionLevel)
  level!: RegionLevel;

  @Field({ description: 'Whether the node is, or lies in, a Hub JIPP province.' })
  isHub!: boolean;

  @Field(() => Int, { description: 'Replications whose source innovation is in this region.' })
  outgoing!: number;

  @Field(() => Int, { description: 'Replications adopted at this node.' })
  incoming!: number;

  @Field(() => Int, {
    description: 'Innovations located at this node (for a province node: at province level only when level is REGENCY).',
  })
  innovations!: number;

  @Field(() => Int, { description: 'Distinct innovations of this node that spread, within the filter.' })
  spreadingInnovations!: number;
}

@ObjectType()
export class KindCount {
  @Field(() => ReplicationKind)
  kind!: ReplicationKind;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Replications from one region to another, aggregated.' })
export class GraphEdge {
  @Field({ description: 'Code of the source node.' })
  source!: string;

  @Field({ description: 'Code of the target node; equal to source for spread within a region.' })
  target!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => [KindCount], { description: 'Counts by kind; kinds with no replication are left out.' })
  byKind!: KindCount[];

  @Field(() => Int)
  firstYear!: number;

  @Field(() => Int)
  lastYear!: number;
}

@ObjectType()
export class GraphTotals {
  @Field(() => Int, { description: 'Replications in the graph (each counted once, national and province-wide ones included).' })
  replications!: number;

  @Field(() => Int, { description: 'Distinct source innovations.' })
  innovations!: number;

  @Field(() => Int, { description: 'Nodes with at least one replication.' })
  regions!: number;

  @Field(() => Int, { description: 'Replications adopted nationally (scope NATIONAL).' })
  national!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Share of replications whose adopter lies in another province than the source, among those where both provinces are known (national ones excluded); null when there are none.',
  })
  crossProvinceShare!: number | null;
}

@ObjectType({ description: 'The replication network aggregated by region, in one call.' })
export class ReplicationGraph {
  @Field(() => GraphLevel)
  level!: GraphLevel;

  @Field(() => [GraphNode], { description: 'Nodes, by code.' })
  nodes!: GraphNode[];

  @Field(() => [GraphEdge], { description: 'Edges, largest first.' })
  edges!: GraphEdge[];

  @Field(() => GraphTotals)
  totals!: GraphTotals;
}
