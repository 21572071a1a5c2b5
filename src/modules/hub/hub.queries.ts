// The hubs list's filter and order, shared by its resolver and its SQL twin.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { selectEntity } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { Hub } from './hub.entity';
import { type HubFilter, HubLevel } from './hub.inputs';

/** The list's order over a hub row's alias: cohort, then province code (ministries last), then id. */
export const hubOrder = (h: string) => `${h}.cohort_year, ${h}.province_code nulls last, ${h}.id`;

/** Hubs (alias h) matching a filter, unordered; a malformed instrument number is refused as bad input. */
export function hubQuery(em: EntityManager, filter: HubFilter | null | undefined): Knex.QueryBuilder {
  const knex = em.getKnex();
  const qb = selectEntity(em, Hub, 'h');
  if (filter?.cohortYear != null) qb.where('h.cohort_year', filter.cohortYear);
  if (filter?.stage != null) qb.where('h.stage', filter.stage);
  if (filter?.isPilot != null) qb.where('h.is_pilot', filter.isPilot);
  if (filter?.level === HubLevel.PROVINCE) qb.whereNotNull('h.province_code');
  if (filter?.level === HubLevel.MINISTRY) qb.whereNotNull('h.institution_id');
  if (filter?.instrumentNumber != null) {
    const match = /^\s*(\d{1,6})(?:\s*\/\s*(\d{4}))?\s*$/.exec(filter.instrumentNumber);
    if (!match) {
      throw new BadUserInputError('filter.instrumentNumber must look like "94" or "94/2020".', 'filter.instrumentNumber');
    }
    const instruments = knex('legal_instrument').select('id').where('number', match[1]);
    if (match[2]) instruments.where('year', Number(match[2]));
    qb.whereIn('h.instrument_id', instruments);
  }
  if (filter?.activeOn != null) {
    qb.whereRaw(`coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)) <= ?::date`, [filter.activeOn]);
    qb.whereRaw('(h.ended_on is null or h.ended_on > ?::date)', [filter.activeOn]);
  }
  return qb;
}
