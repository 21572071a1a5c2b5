// Whole-response caching for anonymous reads: public aggregates are the same for every anonymous caller,
// so a dashboard asking the same question again is answered from memory. Authenticated callers never read
// or fill the cache (their answers may hold personal data).
//
// An answer is kept with the tables its statement read (the read engine reports them), and dropped when a
// committed change of any process (a mutation, an API or command-line import, a seed) touches one of them:
// every API process hears of each commit (src/changes/change-listener.ts). While it cannot hear, nothing is
// answered from memory or stored, and everything kept is forgotten. Our own cache rather than Apollo's
// response-cache plugin because that one keys entries by a hash it makes and can only expire them by age:
// it has no way to tag an entry with what it read, nor to drop entries by tag.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { Role } from '../auth/viewer';
import { TABLES_OF, TRACKED_TABLES } from '../changes/change-tables';
import type { ChangeListener, ChangeSummary } from '../changes/change-listener';
import type { Context } from '../context';

interface Entry {
  data: Record<string, unknown>;
  tables: readonly string[];
  expiresAt: number;
  size: number;
}

/** What an answer was computed after: a later change to what it read means it is not stored. */
export type CacheToken = number;

export class ResponseCache {
  /** In least recently used order (a Map keeps insertion order; a hit moves its entry to the end). */
  private readonly entries = new Map<string, Entry>();
  private readonly byTable = new Map<string, Set<string>>();
  /** The invalidation count when each table last changed (every table: when listening resumed). */
  private readonly changedAt = new Map<string, number>();
  private invalidations = 0;
  private everythingChangedAt = 0;
  private size = 0;

  constructor(
    readonly maxAgeSeconds: number,
    private readonly changes: Pick<ChangeListener, 'connected' | 'observe'>,
    private readonly maxSizeBytes = 64 * 1024 * 1024,
  ) {
    changes.observe({
      changed: (summary) => this.changed(summary),
      lost: () => this.forgetAll(),
      resumed: () => this.forgetAll(),
    });
  }

  get entryCount(): number {
    return this.entries.size;
  }

  /** The answer kept for this key, while it is fresh and change notifications are heard. */
  lookup(key: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now() || !this.changes.connected) {
      this.delete(key);
      return undefined;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.data;
  }

  /** Taken before an answer's statement runs, and given back to `store`. */
  token(): CacheToken {
    return this.invalidations;
  }

  /**
   * Keeps an answer (its data, and its JSON text: what it weighs) computed after `token` that read `tables`,
   * unless one of them changed since (its snapshot may predate the change) or it read a table no change
   * event covers.
   */
  store(key: string, { data, text }: { data: Record<string, unknown>; text: string }, tables: readonly string[], token: CacheToken): boolean {
    if (!this.changes.connected || this.everythingChangedAt > token) return false;
    if (tables.some((table) => !TRACKED_TABLES.has(table) || (this.changedAt.get(table) ?? 0) > token)) return false;
    const size = key.length + text.length;
    if (size > this.maxSizeBytes / 8) return false;
    this.delete(key);
    this.entries.set(key, { data, tables, expiresAt: Date.now() + this.maxAgeSeconds * 1000, size });
    this.size += size;
    for (const table of tables) {
      let keys = this.byTable.get(table);
      if (!keys) this.byTable.set(table, (keys = new Set()));
      keys.add(key);
    }
    for (const [oldest] of this.entries) {
      if (this.size <= this.maxSizeBytes) break;
      this.delete(oldest);
    }
    return true;
  }

  /** Drops exactly the answers that read a table the committed change may have written. */
  private changed(summary: ChangeSummary): void {
    this.invalidations += 1;
    for (const type of summary.types) {
      for (const table of TABLES_OF[type] ?? []) {
        this.changedAt.set(table, this.invalidations);
        for (const key of this.byTable.get(table) ?? []) this.delete(key);
      }
    }
  }

  private forgetAll(): void {
    this.invalidations += 1;
    this.everythingChangedAt = this.invalidations;
    for (const key of [...this.entries.keys()]) this.delete(key);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.size -= entry.size;
    for (const table of entry.tables) {
      const keys = this.byTable.get(table);
      keys?.delete(key);
      if (keys?.size === 0) this.byTable.delete(table);
    }
  }
}

/** The key of an anonymous query: its text, operation name and variables. */
export function cacheKey(source: string, operationName: string | null | undefined, variables: Readonly<Record<string, unknown>> | undefined): string {
  return `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}\u0000${source}`;
}

/**
 * The Cache-Control header: anonymous query answers may be kept by shared caches (a CDN) for the cache's
 * max age; answers for a key holder, mutations and failures not at all. Apollo's cache-control plugin, which
 * works out a hint per resolved field (wrapping every resolver to do it), is turned off: every field of this
 * schema has the same age.
 */
export function cacheControl(maxAgeSeconds: number): ApolloServerPlugin<Context>[] {
  const policy: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, operation, response }) {
          const failed = response.body.kind !== 'single' || Boolean(response.body.singleResult.errors?.length);
          const shared = maxAgeSeconds > 0 && operation?.operation === 'query' && contextValue.viewer.role === Role.PUBLIC && !failed;
          response.http.headers.set('cache-control', shared ? `max-age=${maxAgeSeconds}, public` : 'no-store');
        },
      };
    },
  };
  return [ApolloServerPluginCacheControlDisabled(), policy];
}
