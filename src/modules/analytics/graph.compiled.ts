// SQL twin of Query.replicationGraph (see src/graphql/compiled/sql-json.ts): the resolver's own CTEs
// (graphCtes), with the selection built over their rows instead of one fixed JSON value that JavaScript
// then reshapes: a graph of thousands of edges is answered without turning each into objects in Node.
import { pathsUnder } from '../../graphql/selection';
import { column, type CompilerMap, type FieldCompiler } from '../../graphql/compiled/sql-json';
import type { ReplicationFilter } from '../replication/replication.inputs';
import { graphCtes, needsDistinctInnovations } from './graph.service';
import type { GraphLevel } from './graph.types';

/** A JSON array of `table`'s rows (a CTE of the graph), ordered by `orderBy` over the row's alias. */
const rowsOf =
  (table: string, orderBy: (row: string) => string): FieldCompiler =>
  (call, _row, q) => {
    const t = q.alias();
    return `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${orderBy(t)}), '[]') from ${table} ${t})`;
  };

export const graphCompilers: CompilerMap = {
  Query: {
    replicationGraph: (call, _row, q) => {
      const level = call.args.level as GraphLevel;
      const distinctInnovations = needsDistinctInnovations(pathsUnder(call.nodes, q.fragments, 2));
      const ctes = graphCtes(q.em, level, call.args.filter as ReplicationFilter | null, call.args.includeIsolated as boolean, { distinctInnovations });
      const text = q.embed(q.em.getKnex().raw(ctes.sql, ctes.bindings as never[]));
      const g = q.alias();
      return `(${text} select ${q.object(q.returnType(call), call.nodes, g)} from (select ${q.bind(level)}::text as level) ${g})`;
    },
  },
  ReplicationGraph: {
    level: column('level'),
    // As the resolver's statement orders them: nodes by code, edges largest first.
    nodes: rowsOf('nodes', (n) => `${n}.code`),
    edges: rowsOf('edges', (e) => `${e}.n desc, ${e}.s, ${e}.t`),
    totals: (call, _row, q) => {
      const t = q.alias();
      return `(select ${q.object(q.returnType(call), call.nodes, t)} from totals ${t})`;
    },
  },
  GraphNode: {
    code: column('code'),
    name: column('name'),
    level: column('lvl'),
    isHub: column('is_hub'),
    outgoing: column('outgoing'),
    incoming: column('incoming'),
    innovations: column('innovations'),
    spreadingInnovations: column('spreading'),
  },
  GraphEdge: {
    source: column('s'),
    target: column('t'),
    count: column('n'),
    firstYear: column('first_year'),
    lastYear: column('last_year'),
    // As the resolver: one count per kind, in this order, kinds without replications left out.
    byKind: (call, row, q) => {
      const k = q.alias();
      return (
        `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, k)} order by ${k}.ord), '[]') ` +
        `from (values ('REPLICATION', ${row}.rep, 1), ('SCALING_UP', ${row}.up, 2), ('DISSEMINATION', ${row}.dis, 3)) ${k}(kind, count, ord) ` +
        `where ${k}.count > 0)`
      );
    },
  },
  KindCount: {
    kind: column('kind'),
    count: column('count'),
  },
  GraphTotals: {
    replications: column('replications'),
    innovations: column('innovations'),
    regions: column('regions'),
    national: column('national'),
    crossProvinceShare: column('"crossProvinceShare"'),
  },
};
