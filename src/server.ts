// The Apollo server: schema, limits, error shaping, and the per-response extensions (request id, SQL count).
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { Logger } from 'pino';
import type { Context } from './context';
import { currentTally } from './db/statement-counter';
import { createFormatError } from './errors';
import { getSchema } from './schema';
import { responseCache } from './cache/response-cache';

export const MAX_TOKENS = 5_000;

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

export interface ServerOptions {
  /** Seconds anonymous answers stay in the response cache; 0 turns it off. */
  responseCacheSeconds?: number;
}

export async function createApolloServer(logger: Logger, options: ServerOptions = {}): Promise<ApolloServer<Context>> {
  const responses = responseCache(options.responseCacheSeconds ?? 0);
  const server = new ApolloServer<Context>({
    schema: await getSchema(),
    cache: responses.cache,
    introspection: true,
    includeStacktraceInErrorResponses: false,
    parseOptions: { maxTokens: MAX_TOKENS },
    csrfPrevention: true,
    // main.ts owns SIGINT/SIGTERM: it drains HTTP first, then stops Apollo, the ORM and the database.
    stopOnTerminationSignals: false,
    formatError: createFormatError(
      (error, requestId) => logger.error({ err: error, requestId }, 'unexpected error'),
      () => currentTally()?.requestId,
    ),
    plugins: [ApolloServerPluginLandingPageDisabled(), ...responses.plugins, responseExtensions],
  });
  await server.start();
  return server;
}
