// The Apollo server: schema, limits, error shaping, and the per-response extensions (request id, SQL count).
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFieldResolver } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from './context';
import { createFormatError, maskedErrorLog } from './errors';
import { observePlugin } from './http/observe-plugin';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/limits';
import { limitsPlugin } from './limits/limits-plugin';
import type { CostRateLimiter } from './limits/rate-limiter';
import { schemaPrivacyPlugin } from './limits/schema-privacy';
import { limitRules } from './limits/validation-rules';
import { responseCache } from './cache/response-cache';
import type { ReadEngine } from './graphql/sql/engine';
import { readsPlugin } from './graphql/sql/reads';

/** Adds the request id and the number of SQL statements the operation ran to every response. */
const responseExtensions: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (response.body.kind !== 'single') return;
        const result = response.body.singleResult;
        result.extensions = {
          ...result.extensions,
          requestId: contextValue.requestId,
          sqlStatements: contextValue.sqlStatements,
        };
      },
    };
  },
};

export interface ServerOptions {
  /** Seconds anonymous answers stay in the response cache; 0 turns it off. */
  responseCacheSeconds?: number;
  /** Per-operation limits; the defaults are the published ones. */
  limits?: Partial<QueryLimits>;
  /** Per-client budgets of cost points; absent, nothing is rate limited. */
  rateLimiter?: CostRateLimiter;
  /** Hide the schema (introspection, suggestions) from anonymous callers, as production does. */
  hideSchemaFromAnonymous?: boolean;
}

export async function createApolloServer(engine: ReadEngine, logger: Logger, options: ServerOptions = {}): Promise<ApolloServer<Context>> {
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const responses = responseCache(options.responseCacheSeconds ?? 0);
  const server = new ApolloServer<Context>({
    schema: engine.schema,
    // Fields of answers built in SQL are read by response name (see ReadEngine.fieldResolver).
    fieldResolver: engine.fieldResolver as GraphQLFieldResolver<unknown, Context>,
    cache: responses.cache,
    // Introspection stays on here; schemaPrivacyPlugin closes it to anonymous callers in production.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitRules(limits),
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM: it drains HTTP first, then stops Apollo, the ORM and the database.
    stopOnTerminationSignals: false,
    formatError: createFormatError(),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(options.hideSchemaFromAnonymous ? [schemaPrivacyPlugin] : []),
      limitsPlugin({ maxCost: limits.maxCost, rateLimiter: options.rateLimiter }),
      ...responses.plugins,
      readsPlugin(),
      maskedErrorLog(logger),
      responseExtensions,
      observePlugin,
    ],
  });
  await server.start();
  return server;
}
