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
 * own getter (and fork) right away.
 */
class PerRequestContext implements Context {
  private forked?: EntityManager;
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
    return (this.forked ??= this.orm.em.fork());
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
