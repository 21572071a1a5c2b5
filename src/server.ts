// The Apollo server: schema, limits, error shaping, and the per-response extensions (request id, SQL count).
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { Context } from './context';
import { currentTally } from './db/statement-counter';
import { createFormatError } from './errors';
import { observePlugin } from './http/observe-plugin';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './limits/limits';
import { limitsPlugin } from './limits/limits-plugin';
import type { CostRateLimiter } from './limits/rate-limiter';
import { schemaPrivacyPlugin } from './limits/schema-privacy';
import { limitRules } from './limits/validation-rules';
import { getSchema } from './schema';
import { responseCache } from './cache/response-cache';
import { compiledReads } from './compiled-reads';
import { compiledReadsPlugin } from './graphql/compiled/compiled-reads-plugin';

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
          sqlStatements: contextValue.tally.count,
        };
      },
    };
  },
};

/** Logged when a compiled statement fails other than by a database fault (a compiler's bug). */
export const COMPILED_STATEMENT_FAILED = 'compiled statement failed; the resolvers answer this query from now on';

export interface ServerOptions {
  /** Seconds anonymous answers stay in the response cache; 0 turns it off. */
  responseCacheSeconds?: number;
  /** Per-operation limits; the defaults are the published ones. */
  limits?: Partial<QueryLimits>;
  /** Per-client budgets of cost points; absent, nothing is rate limited. */
  rateLimiter?: CostRateLimiter;
  /**
   * Answer queries whose every field has a SQL compiler from one statement (default on); off, every
   * query is resolved field by field.
   */
  compiledReads?: boolean;
  /** Hide the schema (introspection, suggestions) from anonymous callers, as production does. */
  hideSchemaFromAnonymous?: boolean;
}

export async function createApolloServer(logger: Logger, options: ServerOptions = {}): Promise<ApolloServer<Context>> {
  const limits: QueryLimits = { ...DEFAULT_QUERY_LIMITS, ...options.limits };
  const responses = responseCache(options.responseCacheSeconds ?? 0);
  const server = new ApolloServer<Context>({
    schema: await getSchema(),
    cache: responses.cache,
    // Introspection stays on here; schemaPrivacyPlugin closes it to anonymous callers in production.
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules: limitRules(limits),
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM: it drains HTTP first, then stops Apollo, the ORM and the database.
    stopOnTerminationSignals: false,
    formatError: createFormatError(
      (error, requestId) => logger.error({ err: error, requestId }, 'unexpected error'),
      () => currentTally()?.requestId,
    ),
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      ...(options.hideSchemaFromAnonymous ? [schemaPrivacyPlugin] : []),
      limitsPlugin({ maxCost: limits.maxCost, rateLimiter: options.rateLimiter }),
      ...responses.plugins,
      ...(options.compiledReads === false
        ? []
        : [
            compiledReadsPlugin(compiledReads, (error) =>
              logger.error({ err: error, requestId: currentTally()?.requestId }, COMPILED_STATEMENT_FAILED),
            ),
          ]),
      responseExtensions,
      observePlugin,
    ],
  });
  await server.start();
  return server;
}
