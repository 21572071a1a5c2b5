// Replication lists: filters and orderings in SQL, shared by every list of replications and the graphs.
import { sql, type SqlFragment } from '../../db/sql';
import { provinceCodeArg, regencyCodeArg, yearRangeArgs } from '../../graphql/codes';
import type { Ordering } from '../../graphql/paging';
import type { ListSql } from '../../graphql/sql/connection';
import { OrderDirection } from '../innovation/innovation.inputs';
import { ReplicationFilter, ReplicationOrder, ReplicationOrderField } from './replication.inputs';

/**
 * Conditions for a filter over `r`: the replication table, or a rollup that has the filtered columns (the
 * graphs). Bad values are refused as bad input.
 */
export function replicationWhere(filter: ReplicationFilter | null | undefined, r: SqlFragment = sql`r`): SqlFragment[] {
  if (!filter) return [];
  const where: SqlFragment[] = [];
  if (filter.sourceProvinceCode != null) {
    where.push(sql`${r}.source_province_code = ${provinceCodeArg(filter.sourceProvinceCode, 'filter.sourceProvinceCode')}`);
  }
  if (filter.sourceRegencyCode != null) {
    where.push(sql`${r}.source_regency_code = ${regencyCodeArg(filter.sourceRegencyCode, 'filter.sourceRegencyCode')}`);
  }
  if (filter.adopterProvinceCode != null) {
    where.push(sql`${r}.adopter_province_code = ${provinceCodeArg(filter.adopterProvinceCode, 'filter.adopterProvinceCode')}`);
  }
  if (filter.adopterRegencyCode != null) {
    where.push(sql`${r}.adopter_regency_code = ${regencyCodeArg(filter.adopterRegencyCode, 'filter.adopterRegencyCode')}`);
  }
  const anyOf = (column: string, values: readonly string[]) => sql`${r}.${sql.raw(column)} in (${sql.join(values.map((v) => sql`${v}`))})`;
  if (filter.adopterScope?.length) where.push(anyOf('adopter_scope', filter.adopterScope));
  if (filter.kind?.length) where.push(anyOf('kind', filter.kind));
  if (filter.status?.length) where.push(anyOf('status', filter.status));
  if (filter.dataset != null) where.push(sql`${r}.dataset = ${filter.dataset}`);
  yearRangeArgs(filter.yearFrom, filter.yearTo);
  if (filter.yearFrom != null) where.push(sql`${r}.year >= ${filter.yearFrom}`);
  if (filter.yearTo != null) where.push(sql`${r}.year <= ${filter.yearTo}`);
  if (filter.facilitatingHubCode != null) {
    const code = provinceCodeArg(filter.facilitatingHubCode, 'filter.facilitatingHubCode');
    where.push(sql`${r}.facilitating_hub_id in (select id from hub where province_code = ${code})`);
  }
  return where;
}

export function replicationOrdering(order: ReplicationOrder | null | undefined): Ordering {
  const direction = order?.direction === OrderDirection.DESC ? 'desc' : 'asc';
  const id = { sql: sql`r.id`, type: 'number' as const };
  if (order?.field === ReplicationOrderField.YEAR) {
    return { name: 'YEAR', direction, keys: [{ sql: sql`r.year`, type: 'number' }, id] };
  }
  return { name: 'ID', direction, keys: [id] };
}

/** A list of replications: top level, or of the parent whose key the replications' `column` holds. */
export function replicationList(
  filter: ReplicationFilter | null | undefined,
  orderBy: ReplicationOrder | null | undefined,
  parent: { column: string; equals: SqlFragment } | null,
): ListSql {
  const where = replicationWhere(filter);
  if (parent) where.push(sql`r.${sql.raw(parent.column)} = ${parent.equals}`);
  const condition = sql.and(where);
  return {
    from: sql`replication r`,
    alias: sql`r`,
    where: condition,
    ordering: replicationOrdering(orderBy),
    total: sql`(select count(*)::int from replication r where ${condition})`,
    nested: parent !== null,
  };
}
