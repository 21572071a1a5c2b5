// The Apollo server: the schema, parse and validation limits, error shaping, the response cache and the
// request pipeline (src/pipeline.ts).
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFieldResolver } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from './context';
import { createFormatError } from './errors';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/limits';
import type { CostRateLimiter } from './limits/rate-limiter';
import { limitRules } from './limits/validation-rules';
import { responseCache } from './cache/response-cache';
import type { ReadEngine } from './graphql/sql/engine';
import { requestPipeline } from './pipeline';

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
    // Introspection stays on here; the request pipeline closes it to anonymous callers in production.
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
      // The response cache answers a repeated anonymous query before the pipeline would plan it.
      ...responses.plugins,
      requestPipeline({ maxCost: limits.maxCost, rateLimiter: options.rateLimiter, hideSchemaFromAnonymous: options.hideSchemaFromAnonymous ?? false, logger }),
    ],
  });
  await server.start();
  return server;
}
