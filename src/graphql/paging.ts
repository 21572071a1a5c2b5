// Keyset pagination in SQL, for top-level lists and for nested lists of many parents alike.
// Nested pages come from one statement per field (row_number() over a partition by parent), so a list
// field costs the same number of statements whatever the number of parents.
import type { Knex } from '@mikro-orm/postgresql';
import { BadUserInputError } from '../errors';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, type Page, type PageArgs } from './connection';

export interface SortKey {
  /** SQL expression over the query's table alias; never null (wrap nullable columns in coalesce). */
  sql: string;
  type: 'number' | 'string';
}

export interface Ordering {
  /** Name stored in cursors, so a cursor of one ordering is never used with another. */
  name: string;
  direction: 'asc' | 'desc';
  /** Sort keys; the last one must be unique (the primary key). */
  keys: SortKey[];
}

export interface PageRequest {
  limit: number;
  backward: boolean;
  cursor: (string | number)[] | null;
  hasCursor: boolean;
}

export function pageRequest(args: PageArgs, ordering: Ordering): PageRequest {
  const { first, last, after, before } = args;
  if (first != null && last != null) {
    throw new BadUserInputError('Pass either first or last, not both.', 'first');
  }
  if (after != null && before != null) {
    throw new BadUserInputError('Pass either after or before, not both.', 'after');
  }
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new BadUserInputError(`${name} must be between 0 and ${MAX_PAGE_SIZE}; got ${value}.`, name);
    }
  }
  const backward = last != null || (before != null && first == null);
  if (backward && after != null) {
    throw new BadUserInputError('last pages backwards; combine it with before, not after.', 'after');
  }
  if (!backward && before != null) {
    throw new BadUserInputError('first pages forwards; combine it with after, not before.', 'before');
  }
  const cursorText = backward ? before : after;
  const cursor = cursorText == null ? null : decodeCursor(cursorText, ordering, backward ? 'before' : 'after');
  return { limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE, backward, cursor, hasCursor: cursor !== null };
}

export function encodeCursor(ordering: Ordering, values: (string | number)[]): string {
  return Buffer.from(JSON.stringify([ordering.name, ...values]), 'utf8').toString('base64url');
}

function decodeCursor(text: string, ordering: Ordering, argument: string): (string | number)[] {
  const invalid = () => new BadUserInputError(`"${text.slice(0, 80)}" is not a valid cursor for this list.`, argument);
  if (text.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== ordering.keys.length + 1 || parsed[0] !== ordering.name) {
    throw invalid();
  }
  const values = parsed.slice(1);
  ordering.keys.forEach((key, i) => {
    const value = values[i];
    const ok =
      key.type === 'number'
        ? typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
        : typeof value === 'string' && value.length <= 512;
    if (!ok) throw invalid();
  });
  return values as (string | number)[];
}

export interface PagedQuery {
  knex: Knex;
  /** select ... from <table> <alias> where <filters>; no ordering, no limit. */
  base: Knex.QueryBuilder;
  /** SQL expression of the parent key for nested lists, or null for a top-level list. */
  partitionBy: string | null;
  ordering: Ordering;
  page: PageRequest;
  /**
   * Also count all matches per parent in the same statement. A top-level list counts in a subquery run once;
   * nested lists count over their partition, which only works without a cursor (the total ignores it).
   */
  withTotal?: boolean;
  /** For a top-level list with withTotal: a query whose one column is the total (e.g. a rollup's sum). */
  totalFrom?: Knex.QueryBuilder;
  /**
   * Joins to the page's rows once they are cut to the page (never to every match): called with a query over
   * the page as `from`, whose columns are the base's (e.g. `${from}.province_code`).
   */
  extendRows?: (qb: Knex.QueryBuilder, from: string) => void;
}

export interface RawPage {
  /** The selected rows, with the paging columns (cursor keys, parent, row number) still in them. */
  rows: Record<string, unknown>[];
  cursors: string[];
  hasMore: boolean;
  /** All matches of this parent, when asked and known. */
  total?: number;
}

const PARENT = '__parent';
const ROW_NUMBER = '__rn';
const TOTAL = '__total';
const keyAlias = (i: number) => `__k${i}`;

/** Runs one statement and returns a page per parent key (top-level lists use the key ''). */
export async function fetchPages(
  execute: (qb: Knex.QueryBuilder) => Promise<Record<string, unknown>[]>,
  query: PagedQuery,
): Promise<Map<string, RawPage>> {
  const { knex, ordering, page, partitionBy } = query;
  const ascending = (ordering.direction === 'asc') !== page.backward;
  const dir = ascending ? 'asc' : 'desc';
  const orderSql = ordering.keys.map((k) => `${k.sql} ${dir}`).join(', ');
  const qb = query.base.clone();
  ordering.keys.forEach((key, i) => qb.select(knex.raw(`${key.sql} as ??`, [keyAlias(i)])));
  if (query.withTotal && partitionBy === null && query.totalFrom) {
    qb.select(knex.raw('(?) as ??', [query.totalFrom, TOTAL]));
  } else if (query.withTotal && partitionBy === null) {
    const matches = query.base.clone().clearSelect().select(knex.raw('1'));
    qb.select(knex.raw('(select count(*)::int from ? as __matches) as ??', [matches, TOTAL]));
  } else if (query.withTotal && !page.cursor) {
    qb.select(knex.raw(`(count(*) over (partition by ${partitionBy}))::int as ??`, [TOTAL]));
  }
  if (page.cursor) {
    const tuple = ordering.keys.map((k) => k.sql).join(', ');
    const params = ordering.keys.map(() => '?').join(', ');
    qb.whereRaw(`(${tuple}) ${ascending ? '>' : '<'} (${params})`, page.cursor);
  }
  // A page of 0 still reads one row: hasNextPage (hasPreviousPage backwards) says whether any edge follows.
  let rows: Record<string, unknown>[];
  if (partitionBy === null && !query.extendRows) {
    rows = await execute(qb.orderByRaw(orderSql).limit(page.limit + 1));
  } else if (partitionBy === null) {
    const outer = knex.select('__page.*').from(qb.orderByRaw(orderSql).limit(page.limit + 1).as('__page'));
    query.extendRows!(outer, '__page');
    rows = await execute(outer.orderByRaw(ordering.keys.map((_, i) => `"__page".${keyAlias(i)} ${dir}`).join(', ')));
  } else {
    qb.select(knex.raw(`${partitionBy} as ??`, [PARENT]));
    qb.select(knex.raw(`row_number() over (partition by ${partitionBy} order by ${orderSql}) as ??`, [ROW_NUMBER]));
    const outer = knex
      .select('__page.*')
      .from(qb.as('__page'))
      .where(`__page.${ROW_NUMBER}`, '<=', page.limit + 1)
      .orderBy([`__page.${PARENT}`, `__page.${ROW_NUMBER}`]);
    query.extendRows?.(outer, '__page');
    rows = await execute(outer);
  }
  const grouped = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const parent = partitionBy === null ? '' : String(row[PARENT]);
    const list = grouped.get(parent) ?? [];
    list.push(row);
    grouped.set(parent, list);
  }
  const pages = new Map<string, RawPage>();
  for (const [parent, list] of grouped) {
    const hasMore = list.length > page.limit;
    const kept = list.slice(0, page.limit);
    if (page.backward) kept.reverse();
    const total = list[0][TOTAL];
    pages.set(parent, {
      rows: kept,
      cursors: kept.map((row) => encodeCursor(ordering, ordering.keys.map((_, i) => row[keyAlias(i)] as string | number))),
      hasMore,
      ...(typeof total === 'number' ? { total } : {}),
    });
  }
  return pages;
}

/**
 * Counts matches per parent in one statement: count(*) over the matches, or, over a rollup, the sum of its
 * count column (`aggregate`).
 */
export async function fetchCounts(
  execute: (qb: Knex.QueryBuilder) => Promise<Record<string, unknown>[]>,
  knex: Knex,
  base: Knex.QueryBuilder,
  partitionBy: string | null,
  aggregate = 'count(*)',
): Promise<Map<string, number>> {
  const qb = base.clone().clearSelect().clearOrder();
  const count = knex.raw(`coalesce(${aggregate}, 0)::int as count`);
  if (partitionBy === null) {
    const rows = await execute(qb.select(count));
    return new Map([['', Number(rows[0]?.count ?? 0)]]);
  }
  const rows = await execute(qb.select(knex.raw(`${partitionBy} as ??`, [PARENT]), count).groupByRaw(partitionBy));
  return new Map(rows.map((row) => [String(row[PARENT]), Number(row.count)]));
}

export function toPage<T>(page: RawPage | undefined, request: PageRequest, map: (row: Record<string, unknown>) => T): Page<T> {
  const rows = page?.rows ?? [];
  const cursors = page?.cursors ?? [];
  const hasMore = page?.hasMore ?? false;
  return {
    edges: rows.map((row, i) => ({ cursor: cursors[i], node: map(row) })),
    pageInfo: {
      hasNextPage: request.backward ? request.hasCursor : hasMore,
      hasPreviousPage: request.backward ? hasMore : request.hasCursor,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
  };
}
