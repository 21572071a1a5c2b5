// The mentoring lists' filters and orderings, shared by the resolvers and their SQL twins.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { selectEntity } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import { parseNumericGlobalId } from '../../graphql/global-id';
import type { Ordering } from '../../graphql/paging';
import { MentoringProgramme } from './mentoring-programme.entity';
import { MentoringSession } from './mentoring-session.entity';
import type { MentoringFilter } from './mentoring.inputs';

export const PROGRAMME_ORDERING: Ordering = {
  name: 'YEAR',
  direction: 'desc',
  keys: [{ sql: 'm.year', type: 'number' }, { sql: 'm.id', type: 'number' }],
};

export const SESSION_ORDERING: Ordering = {
  name: 'DATE',
  direction: 'asc',
  keys: [{ sql: "to_char(s.held_on, 'YYYY-MM-DD')", type: 'string' }, { sql: 's.id', type: 'number' }],
};

/** Mentoring programmes (alias m) matching a filter; bad filter values are refused as bad input. */
export function programmeQuery(em: EntityManager, filter: MentoringFilter | null | undefined): Knex.QueryBuilder {
  const base = selectEntity(em, MentoringProgramme, 'm');
  if (filter?.year != null) {
    // Not yearRangeArgs: its errors name filter.yearFrom, an argument this filter does not have.
    if (filter.year < 1900 || filter.year > 2100) {
      throw new BadUserInputError(`filter.year must be a year between 1900 and 2100; got ${filter.year}.`, 'filter.year');
    }
    base.where('m.year', filter.year);
  }
  if (filter?.provinceCode != null) base.where('m.province_code', provinceCodeArg(filter.provinceCode, 'filter.provinceCode'));
  if (filter?.universityId != null) {
    base.where('m.university_id', parseNumericGlobalId(filter.universityId, 'University', 'filter.universityId'));
  }
  return base;
}

/** Sessions (alias s), of every programme: list queries add the programme. */
export function sessionQuery(em: EntityManager): Knex.QueryBuilder {
  return selectEntity(em, MentoringSession, 's');
}
