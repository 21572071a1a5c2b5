// Builds innovation list queries: filters, orderings and search in SQL, shared by every list of innovations.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { selectEntity } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg, regencyCodeArg, yearRangeArgs } from '../../graphql/codes';
import type { Ordering } from '../../graphql/paging';
import { Innovation } from './innovation.entity';
import { InnovationFilter, InnovationOrder, InnovationOrderField, OrderDirection } from './innovation.inputs';

export const INNOVATION_ALIAS = 'i';

export function innovationQuery(em: EntityManager, filter: InnovationFilter | null | undefined): Knex.QueryBuilder {
  const qb = selectEntity(em, Innovation, INNOVATION_ALIAS);
  if (!filter) return qb;
  whereRegionYearDataset(qb, filter);
  if (filter.registry != null) qb.where('i.registry', filter.registry);
  const knex = em.getKnex();

  if (filter.awardTier != null) {
    qb.whereExists(knex('award as a').select(knex.raw('1')).whereRaw('a.innovation_id = i.id').where('a.tier', filter.awardTier));
  }
  if (filter.hasReplications != null) {
    const replications = knex('replication as r').select(knex.raw('1')).whereRaw('r.source_id = i.id');
    if (filter.hasReplications) qb.whereExists(replications);
    else qb.whereNotExists(replications);
  }
  if (filter.search != null) {
    const term = searchTerm(filter.search);
    qb.whereRaw(`(i.search_vector @@ websearch_to_tsquery('indonesian', ?) or i.title % ?)`, [term, term]);
  }
  return qb;
}

/** The filters the innovation rollup can answer; the columns have the same names there (has_award: see the entity). */
function whereRegionYearDataset(qb: Knex.QueryBuilder, filter: InnovationFilter): void {
  if (filter.provinceCode != null) qb.where('i.province_code', provinceCodeArg(filter.provinceCode, 'filter.provinceCode'));
  if (filter.regencyCode != null) qb.where('i.regency_code', regencyCodeArg(filter.regencyCode, 'filter.regencyCode'));
  if (filter.dataset != null) qb.where('i.dataset', filter.dataset);
  // Written out, not bound: a statement planned without its values (a generic plan) cannot use the partial
  // index on awarded innovations for `has_award = $1`.
  if (filter.hasAward != null) qb.whereRaw(filter.hasAward ? 'i.has_award' : 'not i.has_award');
  yearRangeArgs(filter.yearFrom, filter.yearTo);
  if (filter.yearFrom != null) qb.where('i.launch_year', '>=', filter.yearFrom);
  if (filter.yearTo != null) qb.where('i.launch_year', '<=', filter.yearTo);
}

const ROLLUP_FILTERS = new Set(['provinceCode', 'regencyCode', 'dataset', 'yearFrom', 'yearTo', 'hasAward']);

/**
 * Counts from the innovation rollup (rows to sum, per region, launch year, dataset and award status) when the
 * filter only narrows by those; null when it needs the innovations themselves (search, registry, award tier,
 * replications).
 */
export function innovationCountQuery(em: EntityManager, filter: InnovationFilter | null | undefined): Knex.QueryBuilder | null {
  const used = Object.entries(filter ?? {}).filter(([, value]) => value != null);
  if (used.some(([name]) => !ROLLUP_FILTERS.has(name))) return null;
  const qb = em.getKnex()('innovation_rollup as i').whereRaw('i.innovations > 0');
  if (filter) whereRegionYearDataset(qb, filter);
  return qb;
}

function searchTerm(text: string): string {
  const term = text.trim();
  if (term.length === 0 || term.length > 200) {
    throw new BadUserInputError('filter.search must be 1 to 200 characters.', 'filter.search');
  }
  return term;
}

/**
 * The search term as a SQL text expression for the relevance sort key, which is inlined raw SQL. knex reads
 * every "?" in raw SQL as a placeholder, even inside a quoted literal, so a term such as "apa?" broke the
 * statement; hex-encoded, the term has no character that knex or PostgreSQL could misread.
 */
function sqlText(value: string): string {
  return `convert_from(decode('${Buffer.from(value, 'utf8').toString('hex')}', 'hex'), 'UTF8')`;
}

export function innovationOrdering(
  em: EntityManager,
  order: InnovationOrder | null | undefined,
  filter: InnovationFilter | null | undefined,
): Ordering {
  const direction = order?.direction === OrderDirection.DESC ? 'desc' : 'asc';
  const id = { sql: 'i.id', type: 'number' as const };
  switch (order?.field ?? InnovationOrderField.ID) {
    case InnovationOrderField.TITLE:
      return { name: 'TITLE', direction, keys: [{ sql: 'i.title', type: 'string' }, id] };
    case InnovationOrderField.LAUNCH_YEAR:
      return { name: 'LAUNCH_YEAR', direction, keys: [{ sql: 'coalesce(i.launch_year, 0)', type: 'number' }, id] };
    case InnovationOrderField.RELEVANCE: {
      if (filter?.search == null) {
        throw new BadUserInputError('Ordering by RELEVANCE needs filter.search.', 'orderBy');
      }
      const term = sqlText(searchTerm(filter.search));
      const rank = `greatest(ts_rank(i.search_vector, websearch_to_tsquery('indonesian', ${term})), similarity(i.title, ${term}))::float8`;
      // Relevance reads best-first: "ASC" is the natural reading here, so it sorts by descending rank.
      return { name: `RELEVANCE`, direction: direction === 'asc' ? 'desc' : 'asc', keys: [{ sql: rank, type: 'number' }, id] };
    }
    default:
      return { name: 'ID', direction, keys: [id] };
  }
}
