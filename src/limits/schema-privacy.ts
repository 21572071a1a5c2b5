// Production mode: anonymous callers cannot map the schema, neither by introspection nor through the
// "Did you mean ...?" suggestions of validation errors; key holders (partners building clients) can. The
// committed SDL documents the public API anyway; this only keeps automated scanners from reading it live.
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, visit, type DocumentNode } from 'graphql';
import { Role } from '../auth/viewer';
import type { Context } from '../context';

const SUGGESTION = /\s*Did you mean .*\?$/s;

// Apollo keeps one parsed document per distinct query text, so the answer is worked out once per query.
const introspecting = new WeakMap<DocumentNode, boolean>();

function asksForIntrospection(document: DocumentNode): boolean {
  let found = introspecting.get(document);
  if (found === undefined) introspecting.set(document, (found = findsIntrospection(document)));
  return found;
}

function findsIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') {
        found = true;
        return BREAK;
      }
      return undefined;
    },
  });
  return found;
}

export const schemaPrivacyPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    if (contextValue.viewer.role !== Role.PUBLIC) return;
    return {
      async didResolveOperation({ document }) {
        if (!asksForIntrospection(document)) return;
        throw new GraphQLError('GraphQL introspection is only open to API key holders; the schema is published with the API.', {
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
        });
      },
      async willSendResponse({ response }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.errors = result.errors?.map((error) =>
          SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error,
        );
      },
    };
  },
};
