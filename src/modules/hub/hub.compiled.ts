// SQL twins of the hub fields (see src/graphql/compiled/sql-json.ts).
import { column, globalId, matchesList, reference, type CompilerMap } from '../../graphql/compiled/sql-json';
import type { HubFilter } from './hub.inputs';
import { hubOrder, hubQuery } from './hub.queries';

/** Today as isActiveHub reads it (the UTC date), so both answers agree whatever the server's time zone. */
const TODAY = `(now() at time zone 'UTC')::date`;

export const hubCompilers: CompilerMap = {
  Query: {
    hubs: matchesList<HubFilter>(hubQuery, hubOrder),
  },
  Province: {
    hub: reference('hub', 'province_code', 'code'),
    isHub: (_call, row, q) => {
      const h = q.alias();
      return `exists (select 1 from hub ${h} where ${h}.province_code = ${row}.code and (${h}.ended_on is null or ${h}.ended_on > ${TODAY}))`;
    },
  },
  Hub: {
    id: globalId('Hub', 'id'),
    level: (_call, row) => `case when ${row}.province_code is null then 'MINISTRY' else 'PROVINCE' end`,
    cohortYear: column('cohort_year'),
    stage: column('stage'),
    isPilot: column('is_pilot'),
    committedOn: column('committed_on'),
    designatedOn: column('designated_on'),
    endedOn: column('ended_on'),
    province: reference('province', 'code', 'province_code'),
    institution: reference('institution', 'id', 'institution_id'),
    instrument: reference('legal_instrument', 'id', 'instrument_id'),
    // As the resolver: the province's name, else the institution's, else ''.
    name: (_call, row) =>
      `coalesce((select p.name from province p where p.code = ${row}.province_code), (select i.name from institution i where i.id = ${row}.institution_id), '')`,
    activeFrom: (_call, row) => `to_char(coalesce(${row}.designated_on, ${row}.committed_on, make_date(${row}.cohort_year, 1, 1)), 'YYYY-MM-DD')`,
    version: column('version'),
  },
};
