// Relay connections: a generic Connection(Node) type factory and the page arguments every list takes.
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size from the start, 0 to ${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}.` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the edge after which the page starts.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page size from the end, 0 to ${MAX_PAGE_SIZE}. Not with first.` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the edge before which the page ends.' })
  before?: string | null;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of results; totalCount is computed only when a client selects it. */
export class ConnectionResult<T> {
  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number>,
  ) {}

  get nodes(): T[] {
    return this.edges.map((edge) => edge.node);
  }

  get totalCount(): Promise<number> {
    return this.count();
  }
}

export function Connection<T extends object>(NodeClass: ClassType<T>, name = NodeClass.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Opaque cursor of this edge; pass it to after or before.' })
    cursor!: string;

    @Field(() => NodeClass)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects.` })
  class ConnectionType extends ConnectionResult<T> {
    @Field(() => [EdgeType])
    declare readonly edges: Edge<T>[];

    @Field(() => [NodeClass], { description: 'The nodes of the edges, for clients that need no cursors.' })
    override get nodes(): T[] {
      return super.nodes;
    }

    @Field(() => PageInfo)
    declare readonly pageInfo: PageInfo;

    @Field(() => Int, { description: 'Number of matches over all pages.' })
    override get totalCount(): Promise<number> {
      return super.totalCount;
    }
  }
  return ConnectionType;
}
