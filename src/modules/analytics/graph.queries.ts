// The replication graph as the CTEs of one subquery: edges, nodes and totals aggregated by PostgreSQL.
//
// Every number comes from a rollup (a table that grows with regions and years, kept by triggers) where the
// filter allows, else from the filtered replications:
// - replication counts: the province rollups at PROVINCE level unless a regency is filtered on; the
//   regency flow rollup at REGENCY level and for a regency filter, unless the filter names a status or a
//   facilitating hub, which only the replications keep there;
// - distinct innovations (spreadingInnovations, totals.innovations): the spread rollup for any year range,
//   set of kinds, dataset and source region; a filter on adopters, status or facilitating hub needs the rows.
// What reads the rows is priced higher (graphWeight).
import { BadUserInputError } from '../../errors';
import { sql, type SqlFragment } from '../../db/sql';
import { KIND_BITS } from '../../db/rollups';
import { provinceCodeArg, regencyCodeArg } from '../../graphql/codes';
import type { ReplicationFilter } from '../replication/replication.inputs';
import { replicationWhere } from '../replication/replication.queries';
import { hubIsCurrent } from '../hub/hub.queries';
import { GraphLevel } from './graph.types';

/** What a graph shows: its level and filter, and how much of it to list. */
export interface GraphView {
  level: GraphLevel;
  filter: ReplicationFilter | null | undefined;
  includeIsolated: boolean;
  minEdgeCount: number;
  maxEdges: number | null;
  maxNodes: number | null;
  foldRegenciesBelow: number | null;
}

/** Parts of the graph that cost work of their own; computed only when selected. */
export interface GraphParts {
  /** nodes.spreadingInnovations or totals.innovations. */
  distinctInnovations: boolean;
}

export const PROVINCE_GRAPH_WEIGHT = 10;
/** Regency flows: more rows, and an answer that can run to megabytes. */
export const REGENCY_GRAPH_WEIGHT = 100;
export const ROWS_GRAPH_WEIGHT = 500;

const ENDPOINTS: Record<GraphLevel, { s: SqlFragment; sl: SqlFragment; t: SqlFragment; tl: SqlFragment }> = {
  [GraphLevel.PROVINCE]: {
    s: sql`coalesce(f.source_province_code, 'NATIONAL')`,
    sl: sql`case when f.source_province_code is null then 'NATIONAL' else 'PROVINCE' end`,
    t: sql`coalesce(f.adopter_province_code, 'NATIONAL')`,
    tl: sql`case when f.adopter_province_code is null then 'NATIONAL' else 'PROVINCE' end`,
  },
  [GraphLevel.REGENCY]: {
    s: sql`coalesce(f.source_regency_code, f.source_province_code, 'NATIONAL')`,
    sl: sql`case when f.source_regency_code is not null then 'REGENCY' when f.source_province_code is not null then 'PROVINCE' else 'NATIONAL' end`,
    t: sql`coalesce(f.adopter_regency_code, f.adopter_province_code, 'NATIONAL')`,
    tl: sql`case when f.adopter_regency_code is not null then 'REGENCY' when f.adopter_province_code is not null then 'PROVINCE' else 'NATIONAL' end`,
  },
};

/** Where a graph's replication counts come from. */
type FlowSource = 'province_rollup' | 'regency_rollup' | 'rows';

function flowSource(level: GraphLevel, filter: ReplicationFilter | null | undefined): FlowSource {
  if (level === GraphLevel.PROVINCE && filter?.sourceRegencyCode == null && filter?.adopterRegencyCode == null) return 'province_rollup';
  return filter?.status?.length || filter?.facilitatingHubCode != null ? 'rows' : 'regency_rollup';
}

/**
 * Whether the spread rollup answers a filter's distinct innovations: it keeps the years, the set of kinds,
 * the dataset and the source region, not the adopters, the status or the facilitating hub. Reads only
 * whether fields are given, so it can price a filter not yet coerced.
 */
function spreadServes(filter: ReplicationFilter | null | undefined): boolean {
  return !(
    filter?.adopterProvinceCode != null ||
    filter?.adopterRegencyCode != null ||
    filter?.adopterScope?.length ||
    filter?.status?.length ||
    filter?.facilitatingHubCode != null
  );
}

/** The spread rollup's keys for a filter it serves. */
function spreadKeys(filter: ReplicationFilter | null | undefined): { kinds: number; dataset: string } {
  const kinds = filter?.kind?.length ? filter.kind.reduce((mask, kind) => mask | KIND_BITS[kind], 0) : 7;
  return { kinds, dataset: filter?.dataset ?? 'ALL' };
}

/**
 * The query's price: a graph answered from the rollups is cheap; one that reads the replications is not.
 * Its arguments are as given, not yet coerced (execution refuses what is invalid).
 */
export function graphWeight(level: unknown, filter: unknown): number {
  const f = typeof filter === 'object' ? (filter as ReplicationFilter | null) : null;
  const flows = flowSource(level === GraphLevel.REGENCY ? GraphLevel.REGENCY : GraphLevel.PROVINCE, f);
  if (flows === 'rows' || !spreadServes(f)) return ROWS_GRAPH_WEIGHT;
  return flows === 'province_rollup' ? PROVINCE_GRAPH_WEIGHT : REGENCY_GRAPH_WEIGHT;
}

function positive(value: number | null, name: string): void {
  if (value != null && value < 1) throw new BadUserInputError(`${name} must be at least 1; got ${value}.`, name);
}

function checkView(view: GraphView): void {
  positive(view.minEdgeCount, 'minEdgeCount');
  positive(view.maxEdges, 'maxEdges');
  positive(view.maxNodes, 'maxNodes');
  positive(view.foldRegenciesBelow, 'foldRegenciesBelow');
  if (view.foldRegenciesBelow != null && view.level !== GraphLevel.REGENCY) {
    throw new BadUserInputError('foldRegenciesBelow folds regencies into their province: it applies at level REGENCY only.', 'foldRegenciesBelow');
  }
}

/**
 * Replication counts per flow (source and adopter region, adopter scope, kind) with their first and last
 * year, from the rollup the level and filter allow, else from the rows.
 */
function flowsSql(level: GraphLevel, filter: ReplicationFilter | null | undefined): SqlFragment {
  const where = replicationWhere(filter);
  const years = sql`min(r.year) as first_year, max(r.year) as last_year`;
  const source = flowSource(level, filter);
  if (source === 'province_rollup') {
    // The smaller rollup unless the filter needs status or hub, which only the larger one keeps.
    const table = sql.raw(filter?.status?.length || filter?.facilitatingHubCode != null ? 'replication_province_rollup' : 'replication_flow_rollup');
    return sql`select r.source_province_code, r.adopter_province_code, r.adopter_scope, r.kind,
        null::varchar as source_regency_code, null::varchar as adopter_regency_code, sum(r.replications)::int as n, ${years}
      from ${table} r where ${sql.and([sql`r.replications > 0`, ...where])}
      group by r.source_province_code, r.adopter_province_code, r.adopter_scope, r.kind`;
  }
  const keys = sql`r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind`;
  if (source === 'regency_rollup') {
    return sql`select ${keys}, sum(r.replications)::int as n, ${years}
      from replication_regency_flow_rollup r where ${sql.and([sql`r.replications > 0`, ...where])} group by ${keys}`;
  }
  return sql`select ${keys}, count(*)::int as n, ${years} from replication r where ${sql.and(where)} group by ${keys}`;
}

/**
 * Distinct spreading innovations per source node (`node`, `n`) at the level, from the spread rollup: an
 * innovation counts in [a, b] at the first year of the range it was active in, the row whose previous
 * active year is before a. The rollup keeps the REGENCY graph's nodes; a province's count is the sum of its
 * nodes (an innovation is in one region).
 */
function spreadFromRollup(level: GraphLevel, filter: ReplicationFilter | null | undefined, keys: { kinds: number; dataset: string }): SqlFragment {
  const s = sql`s`;
  const where = [sql`${s}.kinds = ${keys.kinds}`, sql`${s}.dataset_key = ${keys.dataset}`, sql`${s}.prev < ${filter?.yearFrom ?? 1}`];
  if (filter?.yearFrom != null) where.push(sql`${s}.year >= ${filter.yearFrom}`);
  if (filter?.yearTo != null) where.push(sql`${s}.year <= ${filter.yearTo}`);
  if (filter?.sourceRegencyCode != null) where.push(sql`${s}.node = ${regencyCodeArg(filter.sourceRegencyCode, 'filter.sourceRegencyCode')}`);
  if (filter?.sourceProvinceCode != null) where.push(sql`left(${s}.node, 2) = ${provinceCodeArg(filter.sourceProvinceCode, 'filter.sourceProvinceCode')}`);
  const node = level === GraphLevel.PROVINCE ? sql`case when ${s}.node = 'NATIONAL' then ${s}.node else left(${s}.node, 2) end` : sql`${s}.node`;
  return sql`select ${node} as node, sum(${s}.innovations)::int as n from replication_spread_rollup ${s} where ${sql.and(where)} group by 1`;
}

/**
 * The graph as a WITH clause: `nodes` (code, lvl, name, is_hub, outgoing, incoming, spreading, innovations,
 * folded), `edges` (s, t, n, rep, up, dis, first_year, last_year) and `totals` (one row, its columns named as
 * GraphTotals' fields). The graph's fields (graph.types.ts) read them.
 */
export function graphCtes(view: GraphView, parts: GraphParts): SqlFragment {
  checkView(view);
  const { level, filter } = view;
  const e = ENDPOINTS[level];
  const fold = view.foldRegenciesBelow;
  // Where a regency is drawn: itself, or its province when folded.
  const drawn = (code: SqlFragment, lvl: SqlFragment) =>
    fold == null ? code : sql`case when ${lvl} = 'REGENCY' and not exists (select 1 from kept k where k.code = ${code}) then left(${code}, 2) else ${code} end`;
  const drawnLevel = (code: SqlFragment, lvl: SqlFragment) =>
    fold == null ? lvl : sql`case when ${lvl} = 'REGENCY' and not exists (select 1 from kept k where k.code = ${code}) then 'PROVINCE' else ${lvl} end`;
  const isolated = !view.includeIsolated
    ? sql``
    : level === GraphLevel.PROVINCE
      ? sql`union select code, 'PROVINCE' from province`
      : sql`union select ${drawn(sql`r.code`, sql`'REGENCY'`)}, ${drawnLevel(sql`r.code`, sql`'REGENCY'`)} from regency r`;

  const keys = parts.distinctInnovations && spreadServes(filter) ? spreadKeys(filter) : null;
  const spreadNode = (node: SqlFragment) => drawn(node, sql`case when length(${node}) = 5 then 'REGENCY' end`);
  const spreading = !parts.distinctInnovations
    ? sql`spreading as (select null::text as code, 0 as n where false)`
    : keys
      ? sql`spreading as (select ${spreadNode(sql`x.node`)} as code, sum(x.n)::int as n from (${spreadFromRollup(level, filter, keys)}) x group by 1)`
      : sql`d as (select distinct ${drawn(e.s, e.sl)} as s, f.source_id
                  from (select r.source_id, r.source_province_code, r.source_regency_code from replication r where ${sql.and(replicationWhere(filter))}) f),
spreading as (select s as code, count(*)::int as n from d group by s)`;
  // Innovations partition by source region: the total is the nodes' sum.
  const innovationsTotal = !parts.distinctInnovations
    ? sql`0`
    : keys
      ? sql`(select coalesce(sum(n), 0) from spreading)`
      : sql`(select count(distinct source_id) from d)`;

  const datasetFilter = filter?.dataset ? sql`and x.dataset = ${filter.dataset}` : sql``;
  const innovationsOf = (condition: SqlFragment) => sql`(select coalesce(sum(x.innovations), 0) from innovation_rollup x where ${condition} ${datasetFilter})`;
  const provinceLevel =
    level === GraphLevel.PROVINCE
      ? sql``
      : fold == null
        ? sql`and x.regency_code is null`
        : sql`and (x.regency_code is null or not exists (select 1 from kept k where k.code = x.regency_code))`;
  const kept =
    fold == null
      ? sql``
      : sql`
kept as (
  select code from (select s as code, n from g0 where sl = 'REGENCY' union all select t, n from g0 where tl = 'REGENCY') x
  group by code having sum(n) >= ${fold}),`;
  // maxNodes: the busiest nodes, and the edges between them.
  const shown =
    view.maxNodes == null ? sql`` : sql`shown as (select code from counted order by outgoing + incoming desc, code limit ${view.maxNodes}),`;
  const listed: SqlFragment[] = [];
  if (view.minEdgeCount > 1) listed.push(sql`n >= ${view.minEdgeCount}`);
  if (view.maxNodes != null) listed.push(sql`s in (select code from shown) and t in (select code from shown)`);
  const edges =
    view.maxEdges == null
      ? sql`select * from all_edges where ${sql.and(listed)}`
      : sql`select * from all_edges where ${sql.and(listed)} order by n desc, s, t limit ${view.maxEdges}`;

  return sql`
with f as (${flowsSql(level, filter)}),
g0 as (
  select ${e.s} as s, ${e.sl} as sl, ${e.t} as t, ${e.tl} as tl, f.kind, f.first_year, f.last_year, f.n,
         f.source_province_code as sp, f.adopter_province_code as ap, f.adopter_scope
  from f),${kept}
g as (
  select ${drawn(sql`g0.s`, sql`g0.sl`)} as s, ${drawnLevel(sql`g0.s`, sql`g0.sl`)} as sl,
         ${drawn(sql`g0.t`, sql`g0.tl`)} as t, ${drawnLevel(sql`g0.t`, sql`g0.tl`)} as tl,
         g0.kind, g0.first_year, g0.last_year, g0.n, g0.sp, g0.ap, g0.adopter_scope
  from g0),
all_edges as (
  select s, sl, t, tl, sum(n)::int as n,
         (coalesce(sum(n) filter (where kind = 'REPLICATION'), 0))::int as rep,
         (coalesce(sum(n) filter (where kind = 'SCALING_UP'), 0))::int as up,
         (coalesce(sum(n) filter (where kind = 'DISSEMINATION'), 0))::int as dis,
         min(first_year) as first_year, max(last_year) as last_year
  from g group by s, sl, t, tl),
${spreading},
ends as (select s as code, sl as lvl from all_edges union select t, tl from all_edges ${isolated}),
outgoing as (select s as code, sum(n)::int as n from all_edges group by s),
incoming as (select t as code, sum(n)::int as n from all_edges group by t),
counted as (
  select ends.code, ends.lvl, coalesce(o.n, 0) as outgoing, coalesce(i.n, 0) as incoming, coalesce(sp.n, 0) as spreading
  from ends
  left join outgoing o on o.code = ends.code
  left join incoming i on i.code = ends.code
  left join spreading sp on sp.code = ends.code and o.n is not null),
${shown}
edges as (${edges}),
nodes as (
  select c.code, c.lvl, c.outgoing, c.incoming, c.spreading,
         coalesce(p.name, rg.name, 'National') as name,
         exists (select 1 from hub h where c.lvl <> 'NATIONAL' and h.province_code = left(c.code, 2) and ${hubIsCurrent(sql`h`)}) as is_hub,
         case c.lvl
           when 'REGENCY' then ${innovationsOf(sql`x.regency_code = c.code`)}
           when 'PROVINCE' then ${innovationsOf(sql`x.province_code = c.code ${provinceLevel}`)}
           else ${innovationsOf(sql`x.province_code is null`)}
         end::int as innovations,
         ${
           fold == null
             ? sql`0`
             : sql`case when c.lvl = 'PROVINCE' then (select count(*) from regency r where r.province_code = c.code and not exists (select 1 from kept k where k.code = r.code)) else 0 end`
         }::int as folded
  from counted c
  left join province p on c.lvl = 'PROVINCE' and p.code = c.code
  left join regency rg on c.lvl = 'REGENCY' and rg.code = c.code
  ${view.maxNodes == null ? sql`` : sql`where c.code in (select code from shown)`}),
totals as (
  select coalesce(sum(n), 0) as replications,
         ${innovationsTotal} as innovations,
         (select count(*) from (select s from all_edges union select t from all_edges) x) as regions,
         (select count(*) from all_edges) as edges,
         coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0) as national,
         (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0) as "crossProvinceShare"
  from g)`;
}
