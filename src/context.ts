// The per-request context: one EntityManager fork (also the ORM's batching scope), per-request
// DataLoaders, the caller, and the tally of SQL statements the request has run.
import { randomUUID } from 'node:crypto';
import type { MikroORM, EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { StatementTally } from './db/statement-counter';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer';

export interface Context {
  em: EntityManager;
  viewer: Viewer;
  requestId: string;
  tally: StatementTally;
  loaders: LoaderRegistry;
  /**
   * Drops what the request read (loader caches, the EntityManager's identity map) once its answer is
   * built. A request that was in flight during a young-generation GC has its context promoted to the old
   * generation; everything it still pointed at would then survive every young GC until the next full one
   * (about 1 MB a request, promoted). Releasing cut the GC and the CPU of a list request by about a tenth.
   */
  release(): void;
}

export class LoaderRegistry {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown>>();

  get<K, V>(name: string, create: () => DataLoader<K, V>): DataLoader<K, V> {
    let loader = this.loaders.get(name) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = create();
      this.loaders.set(name, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }

  clear(): void {
    for (const loader of this.loaders.values()) loader.clearAll();
    this.loaders.clear();
  }
}

export interface ContextOptions {
  viewer?: Viewer;
  requestId?: string;
  tally?: StatementTally;
}

export function createContext(orm: MikroORM, options: ContextOptions = {}): Context {
  return new PerRequestContext(orm, options);
}

/**
 * The EntityManager is forked on first use: an answer from the response cache needs none. The getter sits
 * on the prototype because Apollo shallow-copies the context for each operation, which would call an
 * own getter (and fork) right away; the fork is kept in an object the copies share, so the request has
 * one fork and release() reaches it.
 */
class PerRequestContext implements Context {
  private readonly shared: { em?: EntityManager } = {};
  viewer: Viewer;
  readonly requestId: string;
  readonly tally: StatementTally;
  readonly loaders = new LoaderRegistry();

  constructor(
    private readonly orm: MikroORM,
    options: ContextOptions,
  ) {
    this.viewer = options.viewer ?? PUBLIC_VIEWER;
    this.requestId = options.requestId ?? randomUUID();
    this.tally = options.tally ?? { count: 0 };
  }

  get em(): EntityManager {
    return (this.shared.em ??= this.orm.em.fork());
  }

  release(): void {
    this.loaders.clear();
    this.shared.em?.clear();
  }
}

/**
 * Declares a per-request DataLoader. Results must be aligned with keys (see alignByKey);
 * the loader lives in the request's registry and is never shared between requests. A variant (e.g. an
 * argument value) gets a loader of its own and is passed to the batch function.
 */
export function defineLoader<K, V>(
  name: string,
  batch: (ctx: Context, keys: readonly K[], variant: string) => Promise<V[]>,
  options: DataLoader.Options<K, V, string> = {},
): (ctx: Context, variant?: string) => DataLoader<K, V, string> {
  return (ctx, variant = '') =>
    ctx.loaders.get(`${name}|${variant}`, () => new DataLoader<K, V, string>((keys) => batch(ctx, keys, variant), {
      cacheKeyFn: (key) => (typeof key === 'object' ? JSON.stringify(key) : String(key)) as string,
      maxBatchSize: 1000,
      ...options,
    })) as DataLoader<K, V, string>;
}

/** Orders batch results to match the keys, filling gaps with a fallback (the Pothos loadAndSort pattern). */
export function alignByKey<K, R, V>(
  keys: readonly K[],
  rows: readonly R[],
  keyOf: (row: R) => K,
  collect: (rows: R[] | undefined) => V,
): V[] {
  const grouped = new Map<K, R[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = grouped.get(key);
    if (list) list.push(row);
    else grouped.set(key, [row]);
  }
  return keys.map((key) => collect(grouped.get(key)));
}
