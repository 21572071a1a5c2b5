// Builds the GraphQL schema from an explicit list of resolvers.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema, type PubSub } from 'type-graphql';
import { resolvers } from './resolvers';

let cached: Promise<GraphQLSchema> | undefined;

/**
 * type-graphql asks for a PubSub whenever the schema has subscriptions, even when each one brings its own
 * subscribe function (ours read the change stream, src/changes/subscriptions.resolver.ts): there are no
 * topics to publish to.
 */
const NO_TOPICS: PubSub = {
  publish: () => {
    throw new Error('subscriptions have no topics: they follow the change stream');
  },
  subscribe: () => {
    throw new Error('subscriptions have no topics: they follow the change stream');
  },
};

export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    // Arguments are checked by hand where they are used, with messages that name the argument; running
    // class-validator over every argument object of every call cost time and checked nothing.
    validate: false,
    emitSchemaFile: false,
    pubSub: NO_TOPICS,
  });
  return cached;
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSortedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
