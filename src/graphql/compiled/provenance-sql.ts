// SQL twin of FactEntity.provenance (src/db/fact.entity.ts) for every record type that has it: the
// provenance object is built over the record's own row, its sources one JSON object per array element.
import { column, type CompilerMap, type FieldCompiler } from './sql-json';

/** The record types whose rows carry provenance columns (dataset, confidence, sources, note). */
const FACT_TYPES = [
  'Award',
  'Hub',
  'Innovation',
  'Institution',
  'LegalInstrument',
  'MentoringProgramme',
  'MentoringSession',
  'Province',
  'Regency',
  'Replication',
  'University',
];

const overOwnRow: FieldCompiler = (call, row, q) => q.object(q.returnType(call), call.nodes, row);

export const provenanceCompilers: CompilerMap = {
  ...Object.fromEntries(FACT_TYPES.map((type) => [type, { provenance: overOwnRow }])),
  Provenance: {
    dataset: column('dataset'),
    confidence: column('confidence'),
    note: column('note'),
    sources: (call, row, q) => {
      const s = q.alias();
      return (
        `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, s)} order by ${s}.n), '[]') ` +
        `from unnest(${row}.sources) with ordinality ${s}(label, n))`
      );
    },
  },
  Source: {
    label: column('label'),
    // As the getter: an address when the label starts with http:// or https:// (case as written).
    url: (_call, row) => `case when ${row}.label ~ '^https?://' then ${row}.label end`,
  },
};
