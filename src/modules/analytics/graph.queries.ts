// The replication graph in one SQL statement: edges, nodes and totals aggregated and built as JSON by
// PostgreSQL. Counts come from the rollups where the level and filter allow (their size follows regions and
// years), else from the filtered replications; distinct innovations always need the rows, so only when asked.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { ReplicationKind } from '../replication/replication.entity';
import type { ReplicationFilter } from '../replication/replication.inputs';
import { filterReplications, replicationQuery } from '../replication/replication.service';
import { GraphLevel, type ReplicationGraph } from './graph.types';

const ENDPOINTS: Record<GraphLevel, { s: string; sl: string; t: string; tl: string }> = {
  [GraphLevel.PROVINCE]: {
    s: `coalesce(f.source_province_code, 'NATIONAL')`,
    sl: `case when f.source_province_code is null then 'NATIONAL' else 'PROVINCE' end`,
    t: `coalesce(f.adopter_province_code, 'NATIONAL')`,
    tl: `case when f.adopter_province_code is null then 'NATIONAL' else 'PROVINCE' end`,
  },
  [GraphLevel.REGENCY]: {
    s: `coalesce(f.source_regency_code, f.source_province_code, 'NATIONAL')`,
    sl: `case when f.source_regency_code is not null then 'REGENCY' when f.source_province_code is not null then 'PROVINCE' else 'NATIONAL' end`,
    t: `coalesce(f.adopter_regency_code, f.adopter_province_code, 'NATIONAL')`,
    tl: `case when f.adopter_regency_code is not null then 'REGENCY' when f.adopter_province_code is not null then 'PROVINCE' else 'NATIONAL' end`,
  },
};

interface GraphRow {
  graph: {
    nodes: ReplicationGraph['nodes'];
    edges: { source: string; target: string; count: number; rep: number; up: number; dis: number; firstYear: number; lastYear: number }[];
    totals: ReplicationGraph['totals'];
  };
}

/** Parts of the graph that cost a pass over the replications themselves; computed only when selected. */
export interface GraphParts {
  /** nodes.spreadingInnovations or totals.innovations: distinct innovations cannot be pre-aggregated. */
  distinctInnovations: boolean;
}

/**
 * Replication counts per flow (source and adopter region, adopter scope, kind) with their first and last
 * year, grouped before any endpoint is worked out: from the province rollup when the level and filter
 * allow, else from the rows.
 */
function flowsSql(em: EntityManager, level: GraphLevel, filter: ReplicationFilter | null | undefined): Knex.Sql {
  const knex = em.getKnex();
  const rollup = level === GraphLevel.PROVINCE && filter?.sourceRegencyCode == null && filter?.adopterRegencyCode == null;
  const years = [knex.raw('min(r.year) as first_year'), knex.raw('max(r.year) as last_year')];
  if (rollup) {
    // The smaller rollup unless the filter needs status or hub, which only the larger one keeps.
    const table = filter?.status?.length || filter?.facilitatingHubCode != null ? 'replication_province_rollup' : 'replication_flow_rollup';
    const keys = ['r.source_province_code', 'r.adopter_province_code', 'r.adopter_scope', 'r.kind'];
    const qb = knex(`${table} as r`)
      .select(...keys, knex.raw('null::varchar as source_regency_code, null::varchar as adopter_regency_code'))
      .select(knex.raw('sum(r.replications)::int as n'), ...years)
      .where('r.replications', '>', 0)
      .groupBy(...keys);
    return filterReplications(em, qb, filter).toSQL();
  }
  const keys = ['r.source_province_code', 'r.source_regency_code', 'r.adopter_province_code', 'r.adopter_regency_code', 'r.adopter_scope', 'r.kind'];
  const qb = knex('replication as r').select(...keys, knex.raw('count(*)::int as n'), ...years).groupBy(...keys);
  return filterReplications(em, qb, filter).toSQL();
}

/**
 * The graph as CTEs, the text PostgreSQL runs before its final select: `nodes` (code, lvl, name, is_hub,
 * outgoing, incoming, spreading, innovations), `edges` (s, t, n, rep, up, dis, first_year, last_year) and
 * `totals` (one row, its columns named as GraphTotals' fields), with knex placeholders and their values.
 * The resolver reads them as one JSON value; the compiled read (graph.compiled.ts) builds the selection
 * from them.
 */
export function graphCtes(
  em: EntityManager,
  level: GraphLevel,
  filter: ReplicationFilter | null | undefined,
  includeIsolated: boolean,
  parts: GraphParts,
): { sql: string; bindings: readonly unknown[] } {
  const flows = flowsSql(em, level, filter);
  const e = ENDPOINTS[level];
  const isolated = !includeIsolated
    ? ''
    : level === GraphLevel.PROVINCE
      ? `union select code, 'PROVINCE' from province`
      : `union select code, 'REGENCY' from regency`;
  const datasetFilter = filter?.dataset ? `and x.dataset = '${filter.dataset}'` : '';
  const innovationsOf = (condition: string) => `(select coalesce(sum(x.innovations), 0) from innovation_rollup x where ${condition} ${datasetFilter})`;
  // Distinct source innovations per node and overall, from the replication rows (only when selected).
  const rows = parts.distinctInnovations ? replicationQuery(em, filter).clearSelect().select('r.source_id', 'r.source_province_code', 'r.source_regency_code').toSQL() : null;
  const distinct = rows
    ? `, d as (select distinct ${e.s} as s, f.source_id from (${rows.sql}) f),
spreading as (select s as code, count(*)::int as n from d group by s)`
    : `, spreading as (select null::text as code, 0 as n where false)`;
  const sql = `
with f as (${flows.sql}),
g as (
  select ${e.s} as s, ${e.sl} as sl, ${e.t} as t, ${e.tl} as tl, f.kind, f.first_year, f.last_year, f.n,
         f.source_province_code as sp, f.adopter_province_code as ap, f.adopter_scope
  from f),
edges as (
  select s, sl, t, tl, sum(n)::int as n,
         (coalesce(sum(n) filter (where kind = 'REPLICATION'), 0))::int as rep,
         (coalesce(sum(n) filter (where kind = 'SCALING_UP'), 0))::int as up,
         (coalesce(sum(n) filter (where kind = 'DISSEMINATION'), 0))::int as dis,
         min(first_year) as first_year, max(last_year) as last_year
  from g group by s, sl, t, tl)${distinct},
ends as (select s as code, sl as lvl from edges union select t, tl from edges ${isolated}),
outgoing as (select e.s as code, sum(e.n)::int as n from edges e group by e.s),
incoming as (select t as code, sum(n)::int as n from edges group by t),
nodes as (
  select ends.code, ends.lvl,
         coalesce(p.name, rg.name, 'National') as name,
         exists (select 1 from hub h where ends.lvl <> 'NATIONAL' and h.province_code = left(ends.code, 2) and h.ended_on is null) as is_hub,
         coalesce(o.n, 0) as outgoing, coalesce(i.n, 0) as incoming, coalesce(sp.n, 0) as spreading,
         case ends.lvl
           when 'REGENCY' then ${innovationsOf('x.regency_code = ends.code')}
           when 'PROVINCE' then ${innovationsOf(`x.province_code = ends.code ${level === GraphLevel.REGENCY ? 'and x.regency_code is null' : ''}`)}
           else ${innovationsOf('x.province_code is null')}
         end::int as innovations
  from ends
  left join province p on ends.lvl = 'PROVINCE' and p.code = ends.code
  left join regency rg on ends.lvl = 'REGENCY' and rg.code = ends.code
  left join outgoing o on o.code = ends.code
  left join incoming i on i.code = ends.code
  left join spreading sp on sp.code = ends.code and o.n is not null),
totals as (
  select coalesce(sum(n), 0) as replications,
         ${rows ? '(select count(distinct source_id) from d)' : '0'} as innovations,
         (select count(*) from (select s from edges union select t from edges) x) as regions,
         coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0) as national,
         (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0) as "crossProvinceShare"
  from g)`;
  return { sql, bindings: [...flows.bindings, ...(rows?.bindings ?? [])] };
}

/** Whether a selection of the graph needs distinct innovations (a pass over the replication rows). */
export function needsDistinctInnovations(selected: ReadonlySet<string>): boolean {
  return selected.has('nodes.spreadingInnovations') || selected.has('totals.innovations');
}

export async function replicationGraph(
  em: EntityManager,
  level: GraphLevel,
  filter: ReplicationFilter | null | undefined,
  includeIsolated: boolean,
  parts: GraphParts = { distinctInnovations: true },
): Promise<ReplicationGraph> {
  const ctes = graphCtes(em, level, filter, includeIsolated, parts);
  const sql = `${ctes.sql}
select json_build_object(
  'nodes', (select coalesce(json_agg(json_build_object(
              'code', code, 'name', name, 'level', lvl, 'isHub', is_hub, 'outgoing', outgoing, 'incoming', incoming,
              'innovations', innovations, 'spreadingInnovations', spreading) order by code), '[]') from nodes),
  'edges', (select coalesce(json_agg(json_build_object(
              'source', s, 'target', t, 'count', n, 'rep', rep, 'up', up, 'dis', dis,
              'firstYear', first_year, 'lastYear', last_year) order by n desc, s, t), '[]') from edges),
  'totals', (select row_to_json(totals) from totals)) as graph`;
  // The filter's values written into the text (the ORM's execute), not bound as runRead binds them: a bound
  // statement gets one generic plan after five runs, made without the values, and on this skewed data the
  // counts-only PROVINCE graph took 21 -> 29 ms with it. Planning is a fraction of a millisecond of these.
  const [row] = await em.execute<GraphRow[]>(sql, ctes.bindings as never[]);
  const { nodes, edges, totals } = row.graph;
  return {
    level,
    nodes,
    totals,
    // Properties written out: on Node 20 each property an object literal sets after a spread (or takes by
    // rest destructuring) costs about half a microsecond, some 1.5 ms for a 2,000-edge graph.
    edges: edges.map(({ source, target, count, rep, up, dis, firstYear, lastYear }) => ({
      source,
      target,
      count,
      firstYear,
      lastYear,
      byKind: [
        { kind: ReplicationKind.REPLICATION, count: rep },
        { kind: ReplicationKind.SCALING_UP, count: up },
        { kind: ReplicationKind.DISSEMINATION, count: dis },
      ].filter((k) => k.count > 0),
    })),
  };
}
