// The replication graph as the CTEs of one subquery: edges, nodes and totals aggregated by PostgreSQL.
// Counts come from the rollups where the level and filter allow (their size follows regions and years),
// else from the filtered replications; distinct innovations always need the rows, so only when asked.
import { sql, type SqlFragment } from '../../db/sql';
import type { ReplicationFilter } from '../replication/replication.inputs';
import { replicationWhere } from '../replication/replication.queries';
import { hubIsCurrent } from '../hub/hub.queries';
import { GraphLevel } from './graph.types';

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

/** Parts of the graph that cost a pass over the replications themselves; computed only when selected. */
export interface GraphParts {
  /** nodes.spreadingInnovations or totals.innovations: distinct innovations cannot be pre-aggregated. */
  distinctInnovations: boolean;
}

/**
 * Replication counts per flow (source and adopter region, adopter scope, kind) with their first and last
 * year: from the province rollup when the level and filter allow, else from the rows.
 */
function flowsSql(level: GraphLevel, filter: ReplicationFilter | null | undefined): SqlFragment {
  const where = replicationWhere(filter);
  const years = sql`min(r.year) as first_year, max(r.year) as last_year`;
  if (level === GraphLevel.PROVINCE && filter?.sourceRegencyCode == null && filter?.adopterRegencyCode == null) {
    // The smaller rollup unless the filter needs status or hub, which only the larger one keeps.
    const table = sql.raw(filter?.status?.length || filter?.facilitatingHubCode != null ? 'replication_province_rollup' : 'replication_flow_rollup');
    return sql`select r.source_province_code, r.adopter_province_code, r.adopter_scope, r.kind,
        null::varchar as source_regency_code, null::varchar as adopter_regency_code, sum(r.replications)::int as n, ${years}
      from ${table} r where ${sql.and([sql`r.replications > 0`, ...where])}
      group by r.source_province_code, r.adopter_province_code, r.adopter_scope, r.kind`;
  }
  const keys = sql`r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind`;
  return sql`select ${keys}, count(*)::int as n, ${years} from replication r where ${sql.and(where)} group by ${keys}`;
}

/**
 * The graph as a WITH clause: `nodes` (code, lvl, name, is_hub, outgoing, incoming, spreading,
 * innovations), `edges` (s, t, n, rep, up, dis, first_year, last_year) and `totals` (one row, its columns
 * named as GraphTotals' fields). The graph's fields (graph.types.ts) read them.
 */
export function graphCtes(level: GraphLevel, filter: ReplicationFilter | null | undefined, includeIsolated: boolean, parts: GraphParts): SqlFragment {
  const e = ENDPOINTS[level];
  const isolated = !includeIsolated
    ? sql``
    : level === GraphLevel.PROVINCE
      ? sql`union select code, 'PROVINCE' from province`
      : sql`union select code, 'REGENCY' from regency`;
  const datasetFilter = filter?.dataset ? sql`and x.dataset = ${filter.dataset}` : sql``;
  const innovationsOf = (condition: SqlFragment) => sql`(select coalesce(sum(x.innovations), 0) from innovation_rollup x where ${condition} ${datasetFilter})`;
  // Distinct source innovations per node and overall, from the replication rows (only when selected).
  const distinct = parts.distinctInnovations
    ? sql`, d as (select distinct ${e.s} as s, f.source_id from (select r.source_id, r.source_province_code, r.source_regency_code from replication r where ${sql.and(replicationWhere(filter))}) f),
spreading as (select s as code, count(*)::int as n from d group by s)`
    : sql`, spreading as (select null::text as code, 0 as n where false)`;
  const provinceLevel = level === GraphLevel.REGENCY ? sql`and x.regency_code is null` : sql``;
  return sql`
with f as (${flowsSql(level, filter)}),
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
         exists (select 1 from hub h where ends.lvl <> 'NATIONAL' and h.province_code = left(ends.code, 2) and ${hubIsCurrent(sql`h`)}) as is_hub,
         coalesce(o.n, 0) as outgoing, coalesce(i.n, 0) as incoming, coalesce(sp.n, 0) as spreading,
         case ends.lvl
           when 'REGENCY' then ${innovationsOf(sql`x.regency_code = ends.code`)}
           when 'PROVINCE' then ${innovationsOf(sql`x.province_code = ends.code ${provinceLevel}`)}
           else ${innovationsOf(sql`x.province_code is null`)}
         end::int as innovations
  from ends
  left join province p on ends.lvl = 'PROVINCE' and p.code = ends.code
  left join regency rg on ends.lvl = 'REGENCY' and rg.code = ends.code
  left join outgoing o on o.code = ends.code
  left join incoming i on i.code = ends.code
  left join spreading sp on sp.code = ends.code and o.n is not null),
totals as (
  select coalesce(sum(n), 0) as replications,
         ${parts.distinctInnovations ? sql`(select count(distinct source_id) from d)` : sql`0`} as innovations,
         (select count(*) from (select s from edges union select t from edges) x) as regions,
         coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0) as national,
         (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0) as "crossProvinceShare"
  from g)`;
}
