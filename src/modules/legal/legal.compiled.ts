// SQL twins of the legal instrument fields (see src/graphql/compiled/sql-json.ts).
import { column, globalId, list, reference, type CompilerMap, type SqlJson } from '../../graphql/compiled/sql-json';
import { CITATION_PREFIX, MINISTER_TITLE } from './legal-instrument.entity';

/** LegalInstrument.citation over a legal_instrument row, from the getter's own prefixes and pattern. */
function citationSql(row: string, q: SqlJson): string {
  const agency = `regexp_replace(${row}.issuer, ${q.bind(MINISTER_TITLE)}, '')`;
  const starts = Object.entries(CITATION_PREFIX).map(
    ([kind, { prefix, agency: withAgency }]) => `when ${q.bind(kind)} then ${q.bind(prefix)}${withAgency ? ` || ${agency}` : ''}`,
  );
  const start = `(case ${row}.kind ${starts.join(' ')} end)`;
  const rest = `'No. ' || ${row}.number || '/' || ${row}.year`;
  return `(case when ${start} = '' then ${rest} else ${start} || ' ' || ${rest} end)`;
}

export const legalCompilers: CompilerMap = {
  Query: {
    legalInstruments: (call, _row, q) => {
      const t = q.alias();
      return `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${t}.year, ${t}.key), '[]') from legal_instrument ${t})`;
    },
  },
  LegalInstrument: {
    id: globalId('LegalInstrument', 'id'),
    key: column('key'),
    kind: column('kind'),
    number: column('number'),
    year: column('year'),
    title: column('title'),
    issuer: column('issuer'),
    issuedOn: column('issued_on'),
    citation: (_call, row, q) => citationSql(row, q),
    legalBasis: reference('legal_instrument', 'id', 'legal_basis_id'),
    // As hubsByInstrument orders them.
    hubs: list('hub', 'instrument_id', 'id', ['province_code', 'id']),
  },
};
