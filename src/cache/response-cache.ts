// Whole-response caching for anonymous reads: public aggregates are the same for every anonymous caller,
// so a dashboard asking the same question again is answered from memory. Authenticated callers never read
// or fill the cache (their answers may hold personal data), and any write clears it at once.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import responseCachePlugin from '@apollo/server-plugin-response-cache';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { Role } from '../auth/viewer';
import type { Context } from '../context';

export interface ResponseCache {
  /** The Apollo server cache the response cache stores into. */
  cache: InMemoryLRUCache<string>;
  plugins: ApolloServerPlugin<Context>[];
}

const anonymous = async ({ contextValue }: { contextValue: Context }) => contextValue.viewer.role === Role.PUBLIC;

/** maxAgeSeconds 0 turns caching off (responses then say Cache-Control: no-store). */
export function responseCache(maxAgeSeconds: number, maxSizeBytes = 64 * 1024 * 1024): ResponseCache {
  const cache = new InMemoryLRUCache<string>({ maxSize: maxSizeBytes });
  // One policy for the whole answer: every field of this schema has the same age, so Apollo's cache-control
  // plugin, which works out a hint per resolved field (and wraps every resolver to do it), is turned off
  // (Apollo installs it unless told not to).
  const policy: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, overallCachePolicy }) {
          // Answers for a key holder are for that caller alone: no shared cache (a CDN) may keep them.
          if (maxAgeSeconds > 0 && operation?.operation === 'query' && contextValue.viewer.role === Role.PUBLIC) {
            overallCachePolicy.replace({ maxAge: maxAgeSeconds, scope: 'PUBLIC' });
          } else {
            overallCachePolicy.restrict({ maxAge: 0, scope: 'PRIVATE' });
          }
        },
        async willSendResponse({ operation, response, overallCachePolicy }) {
          const failed = response.body.kind === 'single' && response.body.singleResult.errors?.length;
          // A mutation with errors may still have written (an operation's mutations commit one by one).
          if (operation?.operation === 'mutation') await cache.clear();
          const cacheable = overallCachePolicy.policyIfCacheable();
          response.http.headers.set(
            'cache-control',
            cacheable && !failed && response.body.kind === 'single' ? `max-age=${cacheable.maxAge}, ${cacheable.scope.toLowerCase()}` : 'no-store',
          );
        },
      };
    },
  };
  const plugins: ApolloServerPlugin<Context>[] = [ApolloServerPluginCacheControlDisabled(), policy];
  if (maxAgeSeconds > 0) {
    plugins.push(responseCachePlugin<Context>({ shouldReadFromCache: anonymous, shouldWriteToCache: anonymous }));
  }
  return { cache, plugins };
}
