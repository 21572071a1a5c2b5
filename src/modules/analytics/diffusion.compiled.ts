// SQL twin of Innovation.diffusion (see src/graphql/compiled/sql-json.ts): the resolvers' own summary
// statement (summarySql) over every innovation the parent row stands for, as a CTE, each selected number
// read from the summary as the resolver reads it (no summary: nothing spread), and, when the nodes are
// listed, each root's nodes built by the same statement from the same walk. A parent whose rows are not
// known as a set is left to the resolvers.
import { globalIdSql, NotCompilable, type CompilerMap, type FieldCompiler, type SqlJson } from '../../graphql/compiled/sql-json';
import { ANCESTOR_CHAIN_SQL, maxDepthArg, summarySql } from './diffusion.service';

/** Where summarySql's node JSON goes, until the statement's placeholders are filled. */
const NODE = '__diffusion_node_json';

/** A number of the summary's JSON `path`, or `otherwise` when the root has no summary. */
const summaryValue =
  (column: string, path: string, cast: string, otherwise: string): FieldCompiler =>
  (_call, row) =>
    `coalesce((${row}.${column}->>'${path}')::${cast}, ${otherwise})`;

/** The ancestor chains of every innovation `row` stands for, as a CTE (start, ancestor, step). */
function chains(row: string, q: SqlJson): string {
  const keys = q.rowKeys.get(row);
  if (!keys) throw new NotCompilable('ancestors of a row that is not one of a known set');
  const parts = ANCESTOR_CHAIN_SQL.split('?');
  if (parts.length !== 2) throw new NotCompilable('unexpected placeholders in the ancestors statement');
  return q.cte(`${parts[0]}array(${keys('id')})${parts[1]} select start, ancestor, step from chain`, true);
}

export const diffusionCompilers: CompilerMap = {
  Innovation: {
    // As the resolver: parent first, origin last.
    ancestors: (call, row, q) => {
      const c = q.alias();
      const i = q.alias();
      return (
        `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, i)} order by ${c}.step), '[]') ` +
        `from ${chains(row, q)} ${c} join innovation ${i} on ${i}.id = ${c}.ancestor where ${c}.start = ${row}.id)`
      );
    },
    // The last of the chain; the innovation itself when it is an original.
    origin: (call, row, q) => {
      const c = q.alias();
      const i = q.alias();
      const last = `(select ${c}.ancestor from ${chains(row, q)} ${c} where ${c}.start = ${row}.id order by ${c}.step desc limit 1)`;
      return `(select ${q.object(q.returnType(call), call.nodes, i)} from innovation ${i} where ${i}.id = coalesce(${last}, ${row}.id))`;
    },
    diffusion: (call, row, q) => {
      const maxDepth = maxDepthArg(call.args.maxDepth as number);
      const keys = q.rowKeys.get(row);
      if (!keys) throw new NotCompilable('diffusion of a row that is not one of a known set');
      const type = q.returnType(call);
      const listed = [...q.subfields(type, call.nodes).values()].filter((nodes) => nodes[0].name.value === 'nodes');
      // One list per walk: the same nodes under two aliases, with different selections, are left to the resolvers.
      if (listed.length > 1) throw new NotCompilable('diffusion nodes under two aliases');
      const nodeType = listed.length ? q.objectType('DiffusionNode') : null;
      // The node's JSON goes in once the statement's own placeholders are filled (it may hold a '?' of its own).
      const parts = summarySql(nodeType ? (n) => `${NODE}(${n})` : undefined).split('?');
      if (parts.length !== 4) throw new NotCompilable('unexpected placeholders in the diffusion statement');
      const depth = q.bind(maxDepth);
      let sql = `${parts[0]}array(${keys('id')})${parts[1]}${depth}${parts[2]}${depth}${parts[3]}`;
      if (nodeType) sql = sql.replace(`${NODE}(n)`, () => q.object(nodeType, listed[0], 'n'));
      // Once for every root (no condition reaches into the walk); each row's summary read once (offset 0
      // keeps PostgreSQL from copying the lookup into every field that reads it).
      const summaries = q.cte(sql, true);
      const d = q.alias();
      q.rowKeys.set(d, keys);
      return (
        `(select ${q.object(type, call.nodes, d)} from ` +
        `(select ${row}.id as __root, (select s.summary from ${summaries} s where s.root = ${row}.id) as __summary, ` +
        `${nodeType ? `(select s.nodes from ${summaries} s where s.root = ${row}.id)` : 'null::json'} as __nodes offset 0) ${d})`
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
    nodes: (_call, row) => `coalesce(${row}.__nodes, '[]')`,
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
  // Over a node's row: its replication's columns with the walk's __generation and __parent.
  DiffusionNode: {
    replication: (call, row, q) => q.object(q.returnType(call), call.nodes, row),
    generation: (_call, row) => `${row}.__generation`,
    parentId: (_call, row) => `case when ${row}.__parent is null then null else ${globalIdSql('Replication', `${row}.__parent`)} end`,
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
