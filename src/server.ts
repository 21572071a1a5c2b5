// The Apollo server: the schema, parse and validation limits, error shaping, the Cache-Control header and
// the request pipeline (src/pipeline.ts, which also answers from the response cache).
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLFieldResolver } from 'graphql';
import type { Logger } from 'pino';
import type { Context } from './context';
import { createFormatError } from './errors';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/limits';
import type { CostRateLimiter } from './limits/rate-limiter';
import { limitRules } from './limits/validation-rules';
import { cacheControl, type ResponseCache } from './cache/response-cache';
import type { ChangeListener } from './changes/change-listener';
import type { ReadEngine } from './graphql/sql/engine';
import { stringifyResult } from './graphql/sql/answer-text';
import { requestPipeline } from './pipeline';

export interface ServerOptions {
  /** Keeps anonymous answers until a change touches what they read (its max age also goes in Cache-Control); absent, nothing is cached. */
  responseCache?: ResponseCache;
  /** Per-operation limits; the defaults are the published ones. */
  limits?: Partial<QueryLimits>;
  /** Per-client budgets of cost points; absent, nothing is rate limited. */
  rateLimiter?: CostRateLimiter;
  /** Hide the schema (introspection, suggestions) from anonymous callers, as production does. */
  hideSchemaFromAnonymous?: boolean;
  /** Commits heard from every process: a statement running from before one is not joined after it. */
  changes?: ChangeListener;
}

export async function createApolloServer(engine: ReadEngine, logger: Logger, options: ServerOptions = {}): Promise<ApolloServer<Context>> {
  options.changes?.observe({ changed: () => engine.forgetRunning(), lost: () => engine.forgetRunning() });
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const server = new ApolloServer<Context>({
    schema: engine.schema,
    // Fields of answers built in SQL are read by response name (see ReadEngine.fieldResolver).
    fieldResolver: engine.fieldResolver as GraphQLFieldResolver<unknown, Context>,
    // Introspection stays on here; the request pipeline closes it to anonymous callers in production.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitRules(limits),
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM: it drains HTTP first, then stops Apollo, the ORM and the database.
    stopOnTerminationSignals: false,
    formatError: createFormatError(),
    // An answer of the read engine is written from the JSON text PostgreSQL built (answer-text.ts).
    stringifyResult,
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...cacheControl(options.responseCache?.maxAgeSeconds ?? 0),
      requestPipeline({
        maxCost: limits.maxCost,
        rateLimiter: options.rateLimiter,
        hideSchemaFromAnonymous: options.hideSchemaFromAnonymous ?? false,
        responseCache: options.responseCache,
        afterMutation: async () => {
          // This process's own commits are heard before the answer goes out; unheard, nothing running is joined.
          if (!options.changes || !(await options.changes.heardCommitted())) engine.forgetRunning();
        },
        logger,
      }),
    ],
  });
  await server.start();
  return server;
}
