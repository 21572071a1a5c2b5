// Builds replication list queries (filters and orderings in SQL), shared by every list of replications.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { selectEntity } from '../../db/sql';
import { provinceCodeArg, regencyCodeArg, yearRangeArgs } from '../../graphql/codes';
import type { Ordering } from '../../graphql/paging';
import { OrderDirection } from '../innovation/innovation.inputs';
import { Replication } from './replication.entity';
import { ReplicationFilter, ReplicationOrder, ReplicationOrderField } from './replication.inputs';

export function replicationQuery(em: EntityManager, filter: ReplicationFilter | null | undefined): Knex.QueryBuilder {
  return filterReplications(em, selectEntity(em, Replication, 'r'), filter);
}

/** Applies a filter to a query over `r`: the replication table, or a rollup that has the filtered columns. */
export function filterReplications(em: EntityManager, qb: Knex.QueryBuilder, filter: ReplicationFilter | null | undefined): Knex.QueryBuilder {
  if (!filter) return qb;
  if (filter.sourceProvinceCode != null) {
    qb.where('r.source_province_code', provinceCodeArg(filter.sourceProvinceCode, 'filter.sourceProvinceCode'));
  }
  if (filter.sourceRegencyCode != null) {
    qb.where('r.source_regency_code', regencyCodeArg(filter.sourceRegencyCode, 'filter.sourceRegencyCode'));
  }
  if (filter.adopterProvinceCode != null) {
    qb.where('r.adopter_province_code', provinceCodeArg(filter.adopterProvinceCode, 'filter.adopterProvinceCode'));
  }
  if (filter.adopterRegencyCode != null) {
    qb.where('r.adopter_regency_code', regencyCodeArg(filter.adopterRegencyCode, 'filter.adopterRegencyCode'));
  }
  if (filter.adopterScope?.length) qb.whereIn('r.adopter_scope', filter.adopterScope);
  if (filter.kind?.length) qb.whereIn('r.kind', filter.kind);
  if (filter.status?.length) qb.whereIn('r.status', filter.status);
  if (filter.dataset != null) qb.where('r.dataset', filter.dataset);
  yearRangeArgs(filter.yearFrom, filter.yearTo);
  if (filter.yearFrom != null) qb.where('r.year', '>=', filter.yearFrom);
  if (filter.yearTo != null) qb.where('r.year', '<=', filter.yearTo);
  if (filter.facilitatingHubCode != null) {
    const code = provinceCodeArg(filter.facilitatingHubCode, 'filter.facilitatingHubCode');
    qb.whereIn('r.facilitating_hub_id', em.getKnex()('hub').select('id').where('province_code', code));
  }
  return qb;
}

export function replicationOrdering(order: ReplicationOrder | null | undefined): Ordering {
  const direction = order?.direction === OrderDirection.DESC ? 'desc' : 'asc';
  const id = { sql: 'r.id', type: 'number' as const };
  if (order?.field === ReplicationOrderField.YEAR) {
    return { name: 'YEAR', direction, keys: [{ sql: 'r.year', type: 'number' }, id] };
  }
  return { name: 'ID', direction, keys: [id] };
}
