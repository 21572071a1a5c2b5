// Turns a list specification (base query, parent column, ordering) into a batched Relay connection:
// parents asking for the same page share one page statement and, if totalCount is selected, one count.
import type { EntityName, Knex } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Context } from '../context';
import type { ConnectionResult, Page, PageArgs, PageWithTotal } from './connection';
import { joinRecord, readJoined, readRow } from '../db/read-rows';
import { runRead, whereAny } from '../db/sql';
import { fetchCounts, fetchPages, pageRequest, toPage, type Ordering, type PageRequest, type RawPage } from './paging';

export interface ListSpec<T extends object> {
  /** Identifies the list; with variant, it names the per-request loaders. */
  name: string;
  entity: EntityName<T>;
  /** select alias.* from table alias where <filters>, built with ctx.em.getKnex(). */
  base: Knex.QueryBuilder;
  /** Parent key column as alias.column (e.g. "i.province_code") for nested lists; null for top-level lists. */
  parentColumn: string | null;
  ordering: Ordering;
  /** Everything besides the parent and the page arguments that shapes the result (filters, ordering). */
  variant: unknown;
  /**
   * Where totals come from when not from the matches themselves: rows of a rollup whose `sum` column adds up
   * to the count, with the same parent column. Such a count stays small as the data grows, so it is also
   * used when a page is fetched: in the page's statement for a top-level list, in one more statement for
   * nested lists (instead of counting every match of every parent with the pages).
   */
  counts?: { base: Knex.QueryBuilder; sum: string } | null;
  Type: new (page: () => Promise<Page<T>>, count: () => Promise<number>, both?: () => Promise<PageWithTotal<T>>) => ConnectionResult<T>;
  /**
   * Many-to-one references the page's statement carries when the client selects them on the nodes (see
   * selectedNodeFields): their field resolvers then find the records read, at no statement of their own.
   */
  joins?: { refs: JoinedRef[]; selected: ReadonlySet<string> };
}

export interface JoinedRef {
  /** The node field that resolves the reference, e.g. "province". */
  field: string;
  entity: abstract new (...args: never[]) => object;
  /** The list's column holding the key, as alias.column (joined to the page's rows, not to every match). */
  column: string;
}

export async function loadConnection<T extends object>(
  ctx: Context,
  spec: ListSpec<T>,
  parentKey: string | null,
  args: PageArgs,
): Promise<ConnectionResult<T>> {
  const request = pageRequest(args, spec.ordering);
  const shape = `${spec.name}|${JSON.stringify(spec.variant)}`;
  const page = { first: args.first, last: args.last, after: args.after, before: args.before };
  const knex = ctx.em.getKnex();
  const execute = (qb: Knex.QueryBuilder) => runRead(ctx.em, qb);
  const withParents = (keys: readonly string[]) => {
    const base = spec.base.clone();
    if (spec.parentColumn) whereAny(base, spec.parentColumn, keys);
    return base;
  };

  const joined = (spec.joins?.refs ?? []).filter((ref) => spec.joins!.selected.has(ref.field));
  const joinedFields = joined.map((ref) => ref.field).join(',');
  const extendRows = (qb: Knex.QueryBuilder, from: string) =>
    joined.forEach((ref, i) => joinRecord(ctx.em, qb, ref.entity, `__ref${i}`, `${from}.${ref.column.slice(ref.column.indexOf('.') + 1)}`));

  const pageLoader = (withTotal: boolean) =>
    ctx.loaders.get(`pages${withTotal ? '+total' : ''}|${shape}|${JSON.stringify(page)}|${joinedFields}`, () =>
      batchLoader<RawPage | undefined>(async (keys) => {
        const found = await fetchPages(execute, {
          knex,
          base: withParents(keys),
          partitionBy: spec.parentColumn,
          ordering: spec.ordering,
          page: request,
          withTotal,
          totalFrom: withTotal && spec.counts ? rollupTotal(knex, spec.counts) : undefined,
          extendRows: joined.length ? extendRows : undefined,
        });
        return keys.map((key) => found.get(key));
      }),
    );
  const counts = ctx.loaders.get(`counts|${shape}`, () =>
    batchLoader<number>(async (keys) => {
      const source = spec.counts ? spec.counts.base.clone() : withParents(keys);
      if (spec.counts && spec.parentColumn) whereAny(source, spec.parentColumn, keys);
      const found = await fetchCounts(execute, knex, source, spec.parentColumn, spec.counts ? `sum(${spec.counts.sum})` : undefined);
      return keys.map((key) => found.get(key) ?? 0);
    }),
  );

  const key = parentKey ?? '';
  const map = (row: Record<string, unknown>) => {
    joined.forEach((ref, i) => readJoined(ctx, ref.entity, row, `__ref${i}`));
    return readRow(ctx, spec.entity as never, row) as T;
  };
  return new spec.Type(
    async () => toPage(await pageLoader(false).load(key), request, map),
    () => counts.load(key),
    spec.counts && spec.parentColumn
      ? undefined
      : async () => {
          const raw = await pageLoader(true).load(key);
          return { page: toPage(raw, request, map), total: totalOf(raw, request) };
        },
  );
}

/** The rollup rows' sum as a one-column query, to be run inside the page's statement. */
function rollupTotal(knex: Knex, counts: NonNullable<ListSpec<object>['counts']>): Knex.QueryBuilder {
  return counts.base.clone().clearSelect().clearOrder().select(knex.raw(`coalesce(sum(${counts.sum}), 0)::int`));
}

/** The total a page fetched with its total carries; a parent with no row at all has none, unless no cursor narrowed it. */
function totalOf(raw: RawPage | undefined, request: PageRequest): number | null {
  if (raw?.total != null) return raw.total;
  return raw === undefined && !request.hasCursor ? 0 : null;
}

function batchLoader<V>(batch: (keys: readonly string[]) => Promise<V[]>): DataLoader<string, V> {
  return new DataLoader<string, V>(batch, { maxBatchSize: 1000 });
}
