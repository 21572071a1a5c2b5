// The region lists' filters, shared by their resolvers and their SQL twins.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { selectEntity } from '../../db/sql';
import { Province } from './province.entity';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import type { Ordering } from '../../graphql/paging';
import { Regency } from './regency.entity';
import type { ProvinceFilter, RegencyFilter } from './region.inputs';

/** Provinces (alias p) matching a filter, unordered. */
export function provinceQuery(em: EntityManager, filter: ProvinceFilter | null | undefined): Knex.QueryBuilder {
  const qb = selectEntity(em, Province, 'p');
  const hubs = () => em.getKnex()('hub as h').select('h.province_code').whereNotNull('h.province_code');
  if (filter?.hubCohortYear != null) qb.whereIn('p.code', hubs().where('h.cohort_year', filter.hubCohortYear));
  if (filter?.isHub != null) {
    // The same rule as Province.isHub: a hub that has not ended by today.
    const current = hubs().whereRaw('(h.ended_on is null or h.ended_on > current_date)');
    if (filter.isHub) qb.whereIn('p.code', current);
    else qb.whereNotIn('p.code', current);
  }
  return qb;
}

export const REGENCY_ORDERING: Ordering = { name: 'CODE', direction: 'asc', keys: [{ sql: 'r.code', type: 'string' }] };

/** Regencies (alias r) matching a filter, unordered; bad filter values are refused as bad input. */
export function regencyQuery(em: EntityManager, filter: RegencyFilter | null | undefined): Knex.QueryBuilder {
  const base = selectEntity(em, Regency, 'r');
  if (filter?.provinceCode != null) base.where('r.province_code', provinceCodeArg(filter.provinceCode, 'filter.provinceCode'));
  if (filter?.kind != null) base.where('r.kind', filter.kind);
  if (filter?.nameContains != null) {
    const text = filter.nameContains.trim();
    if (text.length === 0 || text.length > 100) {
      throw new BadUserInputError('filter.nameContains must be 1 to 100 characters.', 'filter.nameContains');
    }
    base.whereRaw(`r.name ilike '%' || ? || '%'`, [text.replace(/[\\%_]/g, (c) => `\\${c}`)]);
  }
  return base;
}
