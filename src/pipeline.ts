// The request pipeline: what happens to a GraphQL request between Apollo's parsing and validation (cached per
// query text) and the answer, in the order it happens. One Apollo plugin, so a reader follows one file:
//
//   start            who asks (the caller the context authenticated) goes on the request's record
//   resolved         the operation is known: in production, anonymous callers may not introspect; the
//                    operation is priced (cost.ts) and charged to the caller's budget, or refused
//   answer           a query the read engine answers whole: from the response cache (anonymous callers),
//                    or its plan (cached per operation and variables) run as one statement, kept in the
//                    response cache with the tables it read; no execution (anything else: graphql-js)
//   errors           unexpected errors and database faults are logged with the request id
//   replay           after a mutation, with standbys: wait (bounded) until they have replayed it
//   send             the response gets its cost, request id and statement count, the rate-limit headers;
//                    masked errors get the request id; the record gets the codes for the log line
//
// A cached answer (src/cache/response-cache.ts) costs no plan and no statement; it is still priced and charged.
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { BREAK, getVariableValues, GraphQLError, Kind, visit, type DocumentNode, type FragmentDefinitionNode, type GraphQLFormattedError } from 'graphql';
import type { Logger } from 'pino';
import { Role } from './auth/viewer';
import { cacheKey, type ResponseCache } from './cache/response-cache';
import type { Context } from './context';
import { databaseFault } from './db/faults';
import { ErrorCode, isMasked } from './errors';
import { operationCost } from './limits/cost';
import type { CostRateLimiter, RateClient, RateDecision } from './limits/rate-limiter';

export interface PipelineOptions {
  maxCost: number;
  /** Absent: no rate limits (in-process use, tests). */
  rateLimiter?: CostRateLimiter;
  /** Production: anonymous callers may not introspect, and validation errors suggest no field names. */
  hideSchemaFromAnonymous: boolean;
  /** Anonymous answers kept until a change touches what they read; absent, none are. */
  responseCache?: ResponseCache;
  /**
   * Run before a mutation's answer goes out: the process hears of what it committed first (src/app.ts), so
   * the caller's next read sees it, from the cache or a statement joined.
   */
  afterMutation?: () => Promise<void>;
  logger: Logger;
}

export function requestPipeline(options: PipelineOptions): ApolloServerPlugin<Context> {
  const { maxCost, rateLimiter, hideSchemaFromAnonymous, responseCache, afterMutation, logger } = options;
  return {
    async requestDidStart({ contextValue }) {
      // start
      const record = contextValue.request;
      if (record) {
        record.role = contextValue.viewer.role;
        record.keyId = contextValue.viewer.keyId;
      }
      const anonymous = contextValue.viewer.role === Role.PUBLIC;
      let cost = 0;
      let budget: RateDecision | null = null;
      return {
        // resolved
        async didResolveOperation({ schema, document, operation, operationName, request }) {
          if (record) record.operationName = operationName;
          if (hideSchemaFromAnonymous && anonymous && asksForIntrospection(document)) throw introspectionClosed();
          // No operation to price: execution refuses the request ("must provide operation name").
          if (!operation) return;
          if (record) {
            record.operationType = operation.operation;
            // The declared names (bounded by the token limit), not the keys a client sent.
            record.variableNames = (operation.variableDefinitions ?? []).map((definition) => definition.variable.name.value);
          }
          cost = operationCost(schema, document, operation, request.variables);
          if (record) record.cost = cost;
          if (cost > maxCost) throw tooComplex(cost, maxCost);
          if (!rateLimiter) return;
          budget = await rateLimiter.consume(rateClient(contextValue), cost);
          if (record) record.budget = budget;
          if (budget && !budget.allowed) throw rateLimited(cost, budget);
        },

        // answer
        async responseForOperation({ schema, document, operation, request, source }) {
          // Apollo's type says there is an operation; with an operationName that names none there is not.
          if ((operation as typeof operation | undefined)?.operation !== 'query') return null;
          const respond = (data: Record<string, unknown>) => ({ http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single' as const, singleResult: { data } } });
          const key = responseCache && anonymous ? cacheKey(source, request.operationName, request.variables) : null;
          const cached = key === null ? undefined : responseCache!.lookup(key);
          if (cached) return respond(cached);
          const token = responseCache?.token() ?? 0;
          const variables = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          // Variables that do not coerce: execution reports them.
          if (variables.errors) return null;
          try {
            const answer = await contextValue.reads.answer(operation, fragmentsOf(document), variables.coerced);
            if (!answer.plan.complete) return null;
            if (key !== null) responseCache!.store(key, answer, answer.plan.tables, token);
            return respond(answer.data);
          } catch {
            // Execution meets the same failure (the answer is kept, nothing runs twice) and reports it on
            // each root field, with its path.
            return null;
          }
        },

        // errors
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (!isMasked(error)) continue;
            const original = unwrapResolverError(error);
            if (databaseFault(original)) logger.warn({ err: original, requestId: contextValue.requestId }, 'database fault');
            else logger.error({ err: original, requestId: contextValue.requestId }, 'unexpected error');
          }
        },

        // replay, then send
        async willSendResponse({ response, operation }) {
          if (operation?.operation === 'mutation') {
            await contextValue.reads.afterWrite();
            if (afterMutation) await afterMutation();
          }
          budget ??= rateLimiter ? await rateLimiter.peek(rateClient(contextValue)) : null;
          if (budget) for (const [name, value] of rateLimitHeaders(budget)) response.http.headers.set(name, value);
          if (record) record.sqlStatements = contextValue.sqlStatements;
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          result.extensions = {
            ...result.extensions,
            cost: costExtension(cost, maxCost, budget),
            requestId: contextValue.requestId,
            sqlStatements: contextValue.sqlStatements,
          };
          if (result.errors) {
            result.errors = result.errors.map((error) => withRequestId(error, contextValue.requestId));
            if (hideSchemaFromAnonymous && anonymous) result.errors = result.errors.map(withoutSuggestion);
            if (record) for (const error of result.errors) record.codes.push(String(error.extensions?.code ?? 'UNKNOWN'));
          }
        },
      };
    },
  };
}

function rateClient(ctx: Context): RateClient {
  if (ctx.viewer.keyId != null) return { kind: 'key', id: ctx.viewer.keyId };
  return { kind: 'address', address: ctx.request?.clientAddress ?? 'local' };
}

function tooComplex(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `This operation costs ${cost}, over the limit of ${maxCost} per operation. The cost is the sum of the page sizes of its connections multiplied by the page sizes around them: ask for smaller pages or nest fewer lists.`,
    { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost, http: { status: 400 } } },
  );
}

function rateLimited(cost: number, decision: RateDecision): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
  return new GraphQLError(
    `Rate limit exceeded: this operation costs ${cost} and ${decision.remaining} of your ${decision.limit} points are left in this window; retry after ${retryAfter} s.`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        cost,
        retryAfter,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
      },
    },
  );
}

/** The X-RateLimit-* headers of a response, from the caller's budget after the operation. */
export function rateLimitHeaders(budget: RateDecision): [string, string][] {
  return [
    ['x-ratelimit-limit', String(budget.limit)],
    ['x-ratelimit-remaining', String(budget.remaining)],
    ['x-ratelimit-used', String(budget.used)],
    ['x-ratelimit-reset', String(Math.ceil(budget.resetAt / 1000))],
  ];
}

/** extensions.cost: the operation's price, the limit per operation and, when rate limited, what is left. */
function costExtension(cost: number, maxCost: number, budget: RateDecision | null): Record<string, number> {
  const extension: Record<string, number> = { requested: cost, limit: maxCost };
  if (budget) extension.remaining = budget.remaining;
  return extension;
}

/** A masked error or a database fault says which request it was, so it can be found in the log. */
function withRequestId(error: GraphQLFormattedError, id: string): GraphQLFormattedError {
  if (error.extensions?.code !== ErrorCode.INTERNAL_SERVER_ERROR) return error;
  const message = error.extensions.reason ? `${error.message} Request id ${id}.` : `Internal server error. Quote request id ${id} when reporting it.`;
  return { ...error, message, extensions: { ...error.extensions, requestId: id } };
}

const SUGGESTION = /\s*Did you mean .*\?$/s;

function withoutSuggestion(error: GraphQLFormattedError): GraphQLFormattedError {
  return SUGGESTION.test(error.message) ? { ...error, message: error.message.replace(SUGGESTION, '') } : error;
}

function introspectionClosed(): GraphQLError {
  return new GraphQLError('GraphQL introspection is only open to API key holders; the schema is published with the API.', {
    extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } },
  });
}

// Apollo keeps one parsed document per query text: these are worked out once per query.
const introspecting = new WeakMap<DocumentNode, boolean>();
const fragmentMaps = new WeakMap<DocumentNode, Record<string, FragmentDefinitionNode>>();

function asksForIntrospection(document: DocumentNode): boolean {
  let found = introspecting.get(document);
  if (found === undefined) {
    let seen = false;
    visit(document, {
      Field(node) {
        if (node.name.value !== '__schema' && node.name.value !== '__type') return undefined;
        seen = true;
        return BREAK;
      },
    });
    introspecting.set(document, (found = seen));
  }
  return found;
}

function fragmentsOf(document: DocumentNode): Record<string, FragmentDefinitionNode> {
  let fragments = fragmentMaps.get(document);
  if (!fragments) {
    fragments = {};
    for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    fragmentMaps.set(document, fragments);
  }
  return fragments;
}
