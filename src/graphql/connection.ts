// Relay connections: a generic Connection(Node) type factory and the page arguments every list takes. The
// fields are answered in SQL over the page a list field cuts (src/graphql/sql/connection.ts).
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './paging';
import { connectionFields, edgeFields, pageInfoFields } from './sql/connection';
import { Sql } from './sql/field-sql';

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

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  @Sql(pageInfoFields.hasNextPage)
  hasNextPage!: boolean;

  @Field()
  @Sql(pageInfoFields.hasPreviousPage)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  @Sql(pageInfoFields.startCursor)
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  @Sql(pageInfoFields.endCursor)
  endCursor!: string | null;
}

export function Connection<T extends object>(NodeClass: ClassType<T>, name = NodeClass.name) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field({ description: 'Opaque cursor of this edge; pass it to after or before.' })
    @Sql(edgeFields.cursor)
    cursor!: string;

    @Field(() => NodeClass)
    @Sql(edgeFields.node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} objects.`, simpleResolvers: true })
  class ConnectionType {
    @Field(() => [EdgeType])
    @Sql(connectionFields.edges)
    edges!: EdgeType[];

    @Field(() => [NodeClass], { description: 'The nodes of the edges, for clients that need no cursors.' })
    @Sql(connectionFields.nodes)
    nodes!: T[];

    @Field(() => PageInfo)
    @Sql(connectionFields.pageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Number of matches over all pages.' })
    @Sql(connectionFields.totalCount)
    totalCount!: number;
  }
  return ConnectionType;
}
