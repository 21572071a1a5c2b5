// SQL twin of Innovation.diffusion without its nodes (see src/graphql/compiled/sql-json.ts): the
// resolvers' own summary statement (SUMMARY_SQL) over every innovation the parent row stands for, as a
// CTE, each selected number read from the summary as the resolver reads it (no summary: nothing spread).
// Listing the nodes, or a parent whose rows are not known as a set, is left to the resolvers.
import { NotCompilable, type CompilerMap, type FieldCompiler } from '../../graphql/compiled/sql-json';
import { maxDepthArg, SUMMARY_SQL } from './diffusion.service';

/** A number of the summary's JSON `path`, or `otherwise` when the root has no summary. */
const summaryValue =
  (column: string, path: string, cast: string, otherwise: string): FieldCompiler =>
  (_call, row) =>
    `coalesce((${row}.${column}->>'${path}')::${cast}, ${otherwise})`;

export const diffusionCompilers: CompilerMap = {
  Innovation: {
    diffusion: (call, row, q) => {
      const maxDepth = maxDepthArg(call.args.maxDepth as number);
      const keys = q.rowKeys.get(row);
      if (!keys) throw new NotCompilable('diffusion of a row that is not one of a known set');
      const type = q.returnType(call);
      if ([...q.subfields(type, call.nodes).values()].some((nodes) => nodes[0].name.value === 'nodes')) {
        throw new NotCompilable('diffusion nodes');
      }
      // Placeholders: the roots, then maxDepth twice (summaryBindings).
      const parts = SUMMARY_SQL.split('?');
      if (parts.length !== 4) throw new NotCompilable('unexpected placeholders in the diffusion statement');
      const depth = q.bind(maxDepth);
      // Once for every root (no condition reaches into the walk); each row's summary read once (offset 0
      // keeps PostgreSQL from copying the lookup into every field that reads it).
      const summaries = q.cte(`${parts[0]}array(${keys('id')})${parts[1]}${depth}${parts[2]}${depth}${parts[3]}`, true);
      const d = q.alias();
      q.rowKeys.set(d, keys);
      return (
        `(select ${q.object(type, call.nodes, d)} from ` +
        `(select ${row}.id as __root, (select s.summary from ${summaries} s where s.root = ${row}.id) as __summary offset 0) ${d})`
      );
    },
  },
  Diffusion: {
    root: (call, row, q) => {
      const i = q.alias();
      const keys = q.rowKeys.get(row);
      if (keys) q.rowKeys.set(i, keys);
      return `(select ${q.object(q.returnType(call), call.nodes, i)} from innovation ${i} where ${i}.id = ${row}.__root)`;
    },
    depth: summaryValue('__summary', 'depth', 'int', '0'),
    adoptions: summaryValue('__summary', 'adoptions', 'int', '0'),
    truncated: summaryValue('__summary', 'truncated', 'boolean', 'false'),
    reach: (call, row, q) => {
      const r = q.alias();
      return `(select ${q.object(q.returnType(call), call.nodes, r)} from (select ${row}.__summary->'reach' as __reach) ${r})`;
    },
    timeline: (call, row, q) => {
      const e = q.alias();
      return (
        `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, e)} order by ${e}.n), '[]') ` +
        `from json_array_elements(coalesce(${row}.__summary->'timeline', '[]')) with ordinality ${e}(v, n))`
      );
    },
  },
  DiffusionReach: {
    regencies: summaryValue('__reach', 'regencies', 'int', '0'),
    provinces: summaryValue('__reach', 'provinces', 'int', '0'),
    national: summaryValue('__reach', 'national', 'boolean', 'false'),
  },
  DiffusionYear: {
    year: (_call, row) => `(${row}.v->'year')`,
    adoptions: (_call, row) => `(${row}.v->'adoptions')`,
    cumulative: (_call, row) => `(${row}.v->'cumulative')`,
  },
};
