// Builds the GraphQL schema from an explicit list of resolvers.
import 'reflect-metadata';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { resolvers } from './resolvers';

let cached: Promise<GraphQLSchema> | undefined;

export function getSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    // Arguments are checked by hand where they are used, with messages that name the argument; running
    // class-validator over every argument object of every call cost time and checked nothing.
    validate: false,
    emitSchemaFile: false,
  });
  return cached;
}

/** The SDL committed as schema/schema.graphql: sorted, so diffs show real changes only. */
export async function printSortedSchema(): Promise<string> {
  return `${printSchema(lexicographicSortSchema(await getSchema()))}\n`;
}
