// The mentoring lists' filters and orderings, in SQL.
import { personalDataScope } from '../../auth/authorize';
import type { Viewer } from '../../auth/viewer';
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import { parseNumericGlobalId } from '../../graphql/global-id';
import type { Ordering } from '../../graphql/paging';
import type { ListSql } from '../../graphql/sql/connection';
import type { MentoringFilter } from './mentoring.inputs';

export const PROGRAMME_ORDERING: Ordering = {
  name: 'YEAR',
  direction: 'desc',
  keys: [
    { sql: sql`m.year`, type: 'number' },
    { sql: sql`m.id`, type: 'number' },
  ],
};

export const SESSION_ORDERING: Ordering = {
  name: 'DATE',
  direction: 'asc',
  keys: [
    { sql: sql`to_char(s.held_on, 'YYYY-MM-DD')`, type: 'string' },
    { sql: sql`s.id`, type: 'number' },
  ],
};

/** Mentoring programmes (alias m) matching a filter, as a list; bad filter values are refused as bad input. */
export function programmeList(filter: MentoringFilter | null | undefined): ListSql {
  const where: SqlFragment[] = [];
  if (filter?.year != null) {
    // Not yearRangeArgs: its errors name filter.yearFrom, an argument this filter does not have.
    if (filter.year < 1900 || filter.year > 2100) {
      throw new BadUserInputError(`filter.year must be a year between 1900 and 2100; got ${filter.year}.`, 'filter.year');
    }
    where.push(sql`m.year = ${filter.year}`);
  }
  if (filter?.provinceCode != null) where.push(sql`m.province_code = ${provinceCodeArg(filter.provinceCode, 'filter.provinceCode')}`);
  if (filter?.universityId != null) {
    where.push(sql`m.university_id = ${parseNumericGlobalId(filter.universityId, 'University', 'filter.universityId')}`);
  }
  const condition = sql.and(where);
  return {
    from: sql`mentoring_programme m`,
    alias: sql`m`,
    where: condition,
    ordering: PROGRAMME_ORDERING,
    total: sql`(select count(*)::int from mentoring_programme m where ${condition})`,
    nested: false,
  };
}

/** The sessions of the programme row `programme`, in date order. */
export function sessionList(programme: SqlFragment): ListSql {
  const condition = sql`s.programme_id = ${programme}.id`;
  return {
    from: sql`mentoring_session s`,
    alias: sql`s`,
    where: condition,
    ordering: SESSION_ORDERING,
    total: sql`(select count(*)::int from mentoring_session s where ${condition})`,
    nested: true,
  };
}

/**
 * A session's mentor names (personal data) as the caller may read them: all of them for the ministry, those
 * of its own programmes for a university, null for everyone else. The one rule for every path (the
 * session field, the exports).
 */
export function mentorNamesSql(viewer: Viewer, session: SqlFragment): SqlFragment {
  const scope = personalDataScope(viewer);
  if (scope === null) return sql`null::text[]`;
  if ('all' in scope) return sql`${session}.mentor_names`;
  return sql`case when (select p.university_id from mentoring_programme p where p.id = ${session}.programme_id) = ${scope.universityId} then ${session}.mentor_names end`;
}
