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

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** A page and the total in one fetch; the total is absent when that fetch could not give it. */
export interface PageWithTotal<T> {
  page: Page<T>;
  total: number | null;
}

/**
 * A page of results, fetched only when a client selects edges, nodes or pageInfo, and a total computed
 * only when it selects totalCount: a count-only selection costs one statement, not two. When both are
 * selected they come from one statement. The choice waits one microtask, until every sibling field of
 * the connection has been asked for (graphql-js resolves them in one synchronous pass).
 */
export class ConnectionResult<T> {
  private fetched?: Promise<Page<T>>;
  private counted?: Promise<number>;
  private planned?: Promise<void>;
  private readonly wants = { page: false, count: false };

  constructor(
    private readonly fetchPage: () => Promise<Page<T>>,
    private readonly count: () => Promise<number>,
    private readonly fetchBoth?: () => Promise<PageWithTotal<T>>,
  ) {}

  private plan(): Promise<void> {
    this.planned ??= Promise.resolve().then(() => {
      if (!(this.wants.page && this.wants.count && this.fetchBoth)) return;
      const both = this.fetchBoth();
      this.fetched = both.then((b) => b.page);
      this.counted = both.then((b) => b.total ?? this.count());
    });
    return this.planned;
  }

  private page(): Promise<Page<T>> {
    this.wants.page = true;
    return this.plan().then(() => (this.fetched ??= this.fetchPage()));
  }

  get edges(): Promise<Edge<T>[]> {
    return this.page().then((p) => p.edges);
  }

  get nodes(): Promise<T[]> {
    return this.page().then((p) => p.edges.map((edge) => edge.node));
  }

  get pageInfo(): Promise<PageInfo> {
    return this.page().then((p) => p.pageInfo);
  }

  get totalCount(): Promise<number> {
    this.wants.count = true;
    return this.plan().then(() => (this.counted ??= this.count()));
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
    override get edges(): Promise<Edge<T>[]> {
      return super.edges;
    }

    @Field(() => [NodeClass], { description: 'The nodes of the edges, for clients that need no cursors.' })
    override get nodes(): Promise<T[]> {
      return super.nodes;
    }

    @Field(() => PageInfo)
    override get pageInfo(): Promise<PageInfo> {
      return super.pageInfo;
    }

    @Field(() => Int, { description: 'Number of matches over all pages.' })
    override get totalCount(): Promise<number> {
      return super.totalCount;
    }
  }
  return ConnectionType;
}
