// Answers a query from one compiled SQL statement when every field it selects has a compiler, before
// graphql-js would resolve it field by field. Anything else (a field without a compiler, bad input the
// resolvers must refuse with their own error, a failing statement) returns null: Apollo then executes
// the operation as usual, so errors keep their codes, paths and partial data.
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextResponseForOperation } from '@apollo/server';
import { getVariableValues, Kind, type DocumentNode, type FragmentDefinitionNode } from 'graphql';
import type { Context } from '../../context';
import { databaseFault } from '../../db/faults';
import { runStatement } from '../../db/sql';
import { currentTally } from '../../db/statement-counter';
import { SqlJson, type CompilerMap } from './sql-json';

/** The placeholder data of an answer whose JSON text the HTTP front splices in (StatementTally.dataText). */
const SPLICED_DATA: Record<string, unknown> = Object.freeze({});

/** How Apollo's body for such an answer starts: the placeholder is replaced by the text. */
const SPLICED_BODY_START = '{"data":{},';

/**
 * Apollo's body for an answer with SPLICED_DATA, with PostgreSQL's text in the placeholder's place. Apollo
 * writes `data` first and every answer has extensions, so the body starts with SPLICED_BODY_START; should
 * it ever not, the body is rebuilt from its parts, and a body without the placeholder (an error raised
 * after the answer was made) is left as it is.
 */
export function spliceDataText(body: string, dataText: string): string {
  if (body.startsWith(SPLICED_BODY_START)) return `{"data":${dataText},${body.slice(SPLICED_BODY_START.length)}`;
  const parsed = JSON.parse(body) as { data?: unknown };
  const placeholder = typeof parsed.data === 'object' && parsed.data !== null && Object.keys(parsed.data).length === 0;
  return placeholder ? `${JSON.stringify({ ...parsed, data: JSON.parse(dataText) as unknown })}\n` : body;
}

/** Statements kept per document: one per operation and set of variables, up to this many. */
const MAX_STATEMENTS_PER_DOCUMENT = 256;

/**
 * `onStatementError` hears of a compiled statement that failed other than by a database fault: a compiler
 * wrote SQL the database refuses, a bug. The resolvers answer that request and every later one like it.
 */
export function compiledReadsPlugin(compilers: CompilerMap, onStatementError: (error: unknown) => void = () => {}): ApolloServerPlugin<Context> {
  // A statement depends only on the document, the operation and the variables (never on the caller or the
  // data), so it is compiled once. Apollo keeps one parsed document per query text, so documents are the keys;
  // null records a query the resolvers answer.
  const compiled = new WeakMap<DocumentNode, Map<string, string | null>>();

  function compile(request: GraphQLRequestContextResponseForOperation<Context>): string | null {
    const { schema, document, operation, contextValue } = request;
    const queryType = schema.getQueryType();
    if (operation.operation !== 'query' || !queryType) return null;
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.request.variables ?? {});
    if (variables.errors) return null;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    try {
      const q = new SqlJson(contextValue.em, schema, fragments, variables.coerced, compilers);
      return q.statement(q.root(queryType, operation));
    } catch {
      // NotCompilable, or input the resolvers refuse with a coded error of their own.
      return null;
    }
  }

  return {
    async requestDidStart() {
      return {
        async responseForOperation(request) {
          // Apollo's type says there is an operation; with an operationName that names none there is not.
          if (!(request.operation as typeof request.operation | undefined)) return null;
          let statements = compiled.get(request.document);
          if (!statements) compiled.set(request.document, (statements = new Map()));
          const key = `${request.operation.name?.value ?? ''}\u0000${JSON.stringify(request.request.variables ?? {})}`;
          let statement = statements.get(key);
          if (statement === undefined) {
            statement = compile(request);
            if (statements.size >= MAX_STATEMENTS_PER_DOCUMENT) statements.clear();
            statements.set(key, statement);
          }
          if (!statement) return null;
          let rows: { data: string }[];
          try {
            rows = await runStatement<{ data: string }>(request.contextValue.em, statement, []);
          } catch (error) {
            // The resolvers answer instead and report the failure with its code, paths and partial data. A
            // database fault they meet at once: waiting for the database a second time (a statement timeout,
            // an exhausted pool) would double the wait for an error. Any other failure is a compiler's bug:
            // reported, and the statement is not sent again.
            const tally = currentTally();
            if (databaseFault(error)) {
              if (tally) tally.fault = error as Error;
            } else {
              statements.set(key, null);
              onStatementError(error);
            }
            return null;
          }
          const tally = currentTally();
          if (tally) {
            tally.compiled = true;
            tally.statement = statement;
          }
          const text = rows[0].data;
          // PostgreSQL's text goes out as it is when the HTTP front splices it in and no response cache keeps
          // the answer (it stores the data object): parsing it and writing it again cost 3 ms of CPU for a
          // 200 KB graph. Otherwise Apollo gets the data itself.
          let data: Record<string, unknown>;
          if (tally?.spliceData && !request.overallCachePolicy.policyIfCacheable()) {
            tally.dataText = text;
            data = SPLICED_DATA;
          } else {
            data = JSON.parse(text) as Record<string, unknown>;
          }
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
