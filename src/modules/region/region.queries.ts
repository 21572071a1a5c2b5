// The region lists' filters, in SQL.
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import type { Ordering } from '../../graphql/paging';
import type { ListSql } from '../../graphql/sql/connection';
import { hubIsCurrent } from '../hub/hub.queries';
import type { ProvinceFilter, RegencyFilter } from './region.inputs';

/** Provinces (alias p) matching a filter, every column, unordered. */
export function provinceMatches(filter: ProvinceFilter | null | undefined): SqlFragment {
  const where: SqlFragment[] = [];
  if (filter?.hubCohortYear != null) where.push(sql`p.code in (select h.province_code from hub h where h.cohort_year = ${filter.hubCohortYear})`);
  if (filter?.isHub != null) {
    const current = sql`exists (select 1 from hub h where h.province_code = p.code and ${hubIsCurrent(sql`h`)})`;
    where.push(filter.isHub ? current : sql`not ${current}`);
  }
  return sql`select p.* from province p where ${sql.and(where)}`;
}

export const REGENCY_ORDERING: Ordering = { name: 'CODE', direction: 'asc', keys: [{ sql: sql`r.code`, type: 'string' }] };

/** Regencies (alias r) matching a filter, as a list; bad filter values are refused as bad input. */
export function regencyList(filter: RegencyFilter | null | undefined): ListSql {
  const where: SqlFragment[] = [];
  if (filter?.provinceCode != null) where.push(sql`r.province_code = ${provinceCodeArg(filter.provinceCode, 'filter.provinceCode')}`);
  if (filter?.kind != null) where.push(sql`r.kind = ${filter.kind}`);
  if (filter?.nameContains != null) {
    const text = filter.nameContains.trim();
    if (text.length === 0 || text.length > 100) {
      throw new BadUserInputError('filter.nameContains must be 1 to 100 characters.', 'filter.nameContains');
    }
    where.push(sql`r.name ilike ${`%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  }
  const condition = sql.and(where);
  return {
    from: sql`regency r`,
    alias: sql`r`,
    where: condition,
    ordering: REGENCY_ORDERING,
    total: sql`(select count(*)::int from regency r where ${condition})`,
    nested: false,
  };
}
