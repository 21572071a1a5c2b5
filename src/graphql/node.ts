// The Relay Node interface: every object with an identity is reachable through node(id:). Its id is the
// record's type and key (src/graphql/global-id.ts), built in SQL for every table type.
import { Field, ID, InterfaceType } from 'type-graphql';
import { nodeId } from './sql/compilers';
import { Sql } from './sql/field-sql';
import { TYPE_KEY } from './sql/planner';

@InterfaceType({
  description: 'An object with a stable, opaque global id.',
  // An answer graphql-js walks says which type each node is (see Planner.abstractObject).
  resolveType: (value: Record<string, unknown>) => value[TYPE_KEY] as string,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to node(id:).' })
  @Sql(nodeId)
  id!: string;
}
