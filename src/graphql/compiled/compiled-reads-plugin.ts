// Answers a query from one compiled SQL statement when every field it selects has a compiler, before
// graphql-js would resolve it field by field. Anything else (a field without a compiler, bad input the
// resolvers must refuse with their own error, a failing statement) returns null: Apollo then executes
// the operation as usual, so errors keep their codes, paths and partial data.
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { getVariableValues, Kind, type FragmentDefinitionNode } from 'graphql';
import type { Context } from '../../context';
import { runRead } from '../../db/sql';
import { SqlJson, type CompilerMap } from './sql-json';

export function compiledReadsPlugin(compilers: CompilerMap): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ schema, document, operation, request, contextValue }) {
          const queryType = schema.getQueryType();
          if (operation.operation !== 'query' || !queryType) return null;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (variables.errors) return null;
          const fragments: Record<string, FragmentDefinitionNode> = {};
          for (const definition of document.definitions) {
            if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
          }
          let statement: { text: string; bindings: unknown[] };
          try {
            const q = new SqlJson(contextValue.em, schema, fragments, variables.coerced, compilers);
            statement = q.statement(q.root(queryType, operation));
          } catch {
            // NotCompilable, or input the resolvers refuse with a coded error of their own.
            return null;
          }
          let rows: { data: Record<string, unknown> }[];
          try {
            rows = await runRead<{ data: Record<string, unknown> }>(contextValue.em, statement.text, statement.bindings);
          } catch {
            // Let the resolvers meet the failure and report it with its code, path and partial data.
            return null;
          }
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data: rows[0].data } } };
        },
      };
    },
  };
}
