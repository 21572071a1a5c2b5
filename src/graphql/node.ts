// The Relay Node interface: every object with an identity is reachable through node(id:).
import { Field, ID, InterfaceType } from 'type-graphql';

@InterfaceType({
  description: 'An object with a stable, opaque global id.',
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to node(id:).' })
  id!: string;
}
