// Tells the HTTP front what Apollo learned about the request (operation, caller, statements, error codes),
// so its log line and metrics describe the operation and not only the HTTP exchange.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context';

export const observePlugin: ApolloServerPlugin<Context> = {
  async requestDidStart({ contextValue }) {
    const record = contextValue.request;
    if (!record) return;
    record.role = contextValue.viewer.role;
    record.keyId = contextValue.viewer.keyId;
    return {
      async didResolveOperation({ operation, operationName }) {
        record.operationName = operationName;
        // Undefined when the document has several operations and none was named: execution will refuse it.
        if (!operation) return;
        record.operationType = operation.operation;
        // The declared names (bounded by the token limit), not the keys a client sent.
        record.variableNames = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
      },
      async willSendResponse({ response }) {
        record.sqlStatements = contextValue.sqlStatements;
        if (response.body.kind !== 'single') return;
        for (const error of response.body.singleResult.errors ?? []) {
          record.codes.push(String(error.extensions?.code ?? 'UNKNOWN'));
        }
      },
    };
  },
};
