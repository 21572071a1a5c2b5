// The hub rules every read shares, each written once in SQL, and the hubs list's filter.
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import type { HubFilter } from './hub.inputs';
import { HubLevel } from './hub.level';

/** Today, as a date at UTC (so the answer does not depend on the server's time zone). */
export const TODAY = sql`(now() at time zone 'UTC')::date`;

/** Whether a hub row counts today: committed or designated, and not ended (Province.isHub, filters, graphs). */
export const hubIsCurrent = (h: SqlFragment) => sql`(${h}.ended_on is null or ${h}.ended_on > ${TODAY})`;

/** The first day a hub counts as active: designation date, else commitment date, else 1 January of its cohort year. */
export const hubActiveFrom = (h: SqlFragment) => sql`coalesce(${h}.designated_on, ${h}.committed_on, make_date(${h}.cohort_year, 1, 1))`;

/** The list's order over a hub row's alias: cohort, then province code (ministries last), then id. */
export const hubOrder = (h: SqlFragment) => sql`${h}.cohort_year, ${h}.province_code nulls last, ${h}.id`;

/** Hubs (alias h) matching a filter, every column, unordered; a malformed instrument number is bad input. */
export function hubMatches(filter: HubFilter | null | undefined): SqlFragment {
  const h = sql`h`;
  const where: SqlFragment[] = [];
  if (filter?.cohortYear != null) where.push(sql`h.cohort_year = ${filter.cohortYear}`);
  if (filter?.stage != null) where.push(sql`h.stage = ${filter.stage}`);
  if (filter?.isPilot != null) where.push(sql`h.is_pilot = ${filter.isPilot}`);
  if (filter?.level === HubLevel.PROVINCE) where.push(sql`h.province_code is not null`);
  if (filter?.level === HubLevel.MINISTRY) where.push(sql`h.institution_id is not null`);
  if (filter?.instrumentNumber != null) {
    const match = /^\s*(\d{1,6})(?:\s*\/\s*(\d{4}))?\s*$/.exec(filter.instrumentNumber);
    if (!match) {
      throw new BadUserInputError('filter.instrumentNumber must look like "94" or "94/2020".', 'filter.instrumentNumber');
    }
    const year = match[2] ? sql` and l.year = ${Number(match[2])}` : sql``;
    where.push(sql`h.instrument_id in (select l.id from legal_instrument l where l.number = ${match[1]}${year})`);
  }
  if (filter?.activeOn != null) {
    where.push(sql`${hubActiveFrom(h)} <= ${filter.activeOn}::date`);
    where.push(sql`(h.ended_on is null or h.ended_on > ${filter.activeOn}::date)`);
  }
  return sql`select h.* from hub h where ${sql.and(where)}`;
}
