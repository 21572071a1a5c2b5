// SQL twins of the mentoring resolvers (see src/graphql/compiled/sql-json.ts).
import { connectionSql, filteredList } from '../../graphql/compiled/connection-sql';
import { column, globalId, list, reference, type CompilerMap } from '../../graphql/compiled/sql-json';
import { PROGRAMME_ORDERING, programmeQuery, SESSION_ORDERING, sessionQuery } from './mentoring.queries';

export const mentoringCompilers: CompilerMap = {
  Query: {
    universities: (call, _row, q) => {
      const t = q.alias();
      return `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${t}.name), '[]') from university ${t})`;
    },
    mentoringProgrammes: filteredList(programmeQuery, PROGRAMME_ORDERING),
  },
  MentoringProgramme: {
    id: globalId('MentoringProgramme', 'id'),
    year: column('year'),
    otherPartner: column('other_partner'),
    periodStart: column('period_start'),
    periodEnd: column('period_end'),
    periodPrecision: column('period_precision'),
    commitmentSignedOn: column('commitment_signed_on'),
    recommendedBy: column('recommended_by'),
    outputs: column('outputs'),
    version: column('version'),
    province: reference('province', 'code', 'province_code'),
    university: reference('university', 'id', 'university_id'),
    sessions: (call, row, q) => {
      const t = q.alias();
      return connectionSql(call, row, q, {
        base: sessionQuery(q.em),
        ordering: SESSION_ORDERING,
        parent: { column: 's.programme_id', equals: `${row}.id` },
        total: () => `(select count(*)::int from mentoring_session ${t} where ${t}.programme_id = ${row}.id)`,
      });
    },
  },
  University: {
    id: globalId('University', 'id'),
    acronym: column('acronym'),
    name: column('name'),
    province: reference('province', 'code', 'province_code'),
    // As programmesByUniversity orders them.
    programmes: list('mentoring_programme', 'university_id', 'id', ['year', 'id']),
  },
  MentoringSession: {
    id: globalId('MentoringSession', 'id'),
    heldOn: column('held_on'),
    mode: column('mode'),
    topic: column('topic'),
    participantCount: column('participant_count'),
    version: column('version'),
    programme: reference('mentoring_programme', 'id', 'programme_id'),
    // As regenciesBySession: by code.
    regencies: (call, row, q) => {
      const t = q.alias();
      const l = q.alias();
      return (
        `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${t}.code), '[]') ` +
        `from regency ${t} join mentoring_session_regency ${l} on ${l}.regency_code = ${t}.code where ${l}.mentoring_session_id = ${row}.id)`
      );
    },
  },
};
