// The provinces list's filters, shared by its resolver and its SQL twin.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { selectEntity } from '../../db/sql';
import { Province } from './province.entity';
import type { ProvinceFilter } from './region.inputs';

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
