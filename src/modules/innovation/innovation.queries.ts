// Innovation lists: filters, orderings, search and counts in SQL, shared by every list of innovations.
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg, regencyCodeArg, yearRangeArgs } from '../../graphql/codes';
import type { Ordering } from '../../graphql/paging';
import type { ListSql } from '../../graphql/sql/connection';
import { InnovationFilter, InnovationOrder, InnovationOrderField, OrderDirection } from './innovation.inputs';

/** The filters the innovation rollup can answer too: its columns have the same names (has_award: see the entity). */
function regionYearDataset(filter: InnovationFilter, i: SqlFragment): SqlFragment[] {
  const where: SqlFragment[] = [];
  if (filter.provinceCode != null) where.push(sql`${i}.province_code = ${provinceCodeArg(filter.provinceCode, 'filter.provinceCode')}`);
  if (filter.regencyCode != null) where.push(sql`${i}.regency_code = ${regencyCodeArg(filter.regencyCode, 'filter.regencyCode')}`);
  if (filter.dataset != null) where.push(sql`${i}.dataset = ${filter.dataset}`);
  if (filter.hasAward != null) where.push(filter.hasAward ? sql`${i}.has_award` : sql`not ${i}.has_award`);
  yearRangeArgs(filter.yearFrom, filter.yearTo);
  if (filter.yearFrom != null) where.push(sql`${i}.launch_year >= ${filter.yearFrom}`);
  if (filter.yearTo != null) where.push(sql`${i}.launch_year <= ${filter.yearTo}`);
  return where;
}

/** Conditions over innovations (alias i) for a filter; bad values are refused as bad input. */
export function innovationWhere(filter: InnovationFilter | null | undefined): SqlFragment[] {
  if (!filter) return [];
  const i = sql`i`;
  const where = regionYearDataset(filter, i);
  if (filter.registry != null) where.push(sql`i.registry = ${filter.registry}`);
  if (filter.awardTier != null) where.push(sql`exists (select 1 from award a where a.innovation_id = i.id and a.tier = ${filter.awardTier})`);
  if (filter.hasReplications != null) {
    const replications = sql`exists (select 1 from replication r where r.source_id = i.id)`;
    where.push(filter.hasReplications ? replications : sql`not ${replications}`);
  }
  if (filter.search != null) {
    const term = searchTerm(filter.search);
    where.push(sql`(i.search_vector @@ websearch_to_tsquery('indonesian', ${term}) or i.title % ${term})`);
  }
  return where;
}

const ROLLUP_FILTERS = new Set(['provinceCode', 'regencyCode', 'dataset', 'yearFrom', 'yearTo', 'hasAward']);

/**
 * How many innovations match, with `parent` narrowing them further: summed from the innovation rollup
 * (rows per region, launch year, dataset and award status) when the filter only narrows by those and the
 * parent is a region, else counted from the innovations themselves.
 */
export function innovationCount(filter: InnovationFilter | null | undefined, parent: { column: string; equals: SqlFragment } | null, rollup: boolean): SqlFragment {
  const used = Object.entries(filter ?? {}).filter(([, value]) => value != null);
  const r = sql`x`;
  if (rollup && used.every(([name]) => ROLLUP_FILTERS.has(name))) {
    const where = [sql`${r}.innovations > 0`, ...(filter ? regionYearDataset(filter, r) : [])];
    if (parent) where.push(sql`${r}.${sql.raw(parent.column)} = ${parent.equals}`);
    return sql`(select coalesce(sum(${r}.innovations), 0)::int from innovation_rollup ${r} where ${sql.and(where)})`;
  }
  const where = innovationWhere(filter);
  if (parent) where.push(sql`i.${sql.raw(parent.column)} = ${parent.equals}`);
  return sql`(select count(*)::int from innovation i where ${sql.and(where)})`;
}

/**
 * A search term the indexes can answer: the full-text index needs a word, the trigram index three
 * characters in a row. A term without a word of three letters or digits ("a", "?!", "%%") would match by
 * scanning every innovation, seconds of work for the price of one field: it is refused instead.
 */
function searchTerm(text: string): string {
  const term = text.trim();
  if (term.length === 0 || term.length > 200) {
    throw new BadUserInputError('filter.search must be 1 to 200 characters.', 'filter.search');
  }
  if (!/[\p{L}\p{N}]{3}/u.test(term)) {
    throw new BadUserInputError('filter.search needs a word of at least three letters or digits (shorter terms match too much to search for).', 'filter.search');
  }
  return term;
}

/** What a search adds to a list's cost: matching text is work the rollups cannot save. */
export const SEARCH_WEIGHT = 100;

/** A list's weight from its filter argument as given (cost.ts): a search costs SEARCH_WEIGHT. */
export function searchWeight(filter: unknown): number {
  const search = (filter as { search?: unknown } | null | undefined)?.search;
  return typeof search === 'string' ? SEARCH_WEIGHT : 0;
}

export function innovationOrdering(order: InnovationOrder | null | undefined, filter: InnovationFilter | null | undefined): Ordering {
  const direction = order?.direction === OrderDirection.DESC ? 'desc' : 'asc';
  const id = { sql: sql`i.id`, type: 'number' as const };
  switch (order?.field ?? InnovationOrderField.ID) {
    case InnovationOrderField.TITLE:
      return { name: 'TITLE', direction, keys: [{ sql: sql`i.title`, type: 'string' }, id] };
    case InnovationOrderField.LAUNCH_YEAR:
      return { name: 'LAUNCH_YEAR', direction, keys: [{ sql: sql`coalesce(i.launch_year, 0)`, type: 'number' }, id] };
    case InnovationOrderField.RELEVANCE: {
      if (filter?.search == null) {
        throw new BadUserInputError('Ordering by RELEVANCE needs filter.search.', 'orderBy');
      }
      const term = searchTerm(filter.search);
      const rank = sql`greatest(ts_rank(i.search_vector, websearch_to_tsquery('indonesian', ${term})), similarity(i.title, ${term}))::float8`;
      // Relevance reads best-first: "ASC" is the natural reading here, so it sorts by descending rank.
      return { name: 'RELEVANCE', direction: direction === 'asc' ? 'desc' : 'asc', keys: [{ sql: rank, type: 'number' }, id] };
    }
    default:
      return { name: 'ID', direction, keys: [id] };
  }
}

/**
 * A list of innovations: top level, or of a parent (a province, regency or owner) whose key the column
 * holds. An owner's innovations are counted from the rows: the rollup is kept per region, not per owner.
 */
export function innovationList(
  filter: InnovationFilter | null | undefined,
  orderBy: InnovationOrder | null | undefined,
  parent: { column: string; equals: SqlFragment; rollup: boolean } | null,
): ListSql {
  const where = innovationWhere(filter);
  if (parent) where.push(sql`i.${sql.raw(parent.column)} = ${parent.equals}`);
  return {
    from: sql`innovation i`,
    alias: sql`i`,
    where: sql.and(where),
    ordering: innovationOrdering(orderBy, filter),
    total: innovationCount(filter, parent, parent?.rollup ?? true),
    nested: parent !== null,
  };
}
