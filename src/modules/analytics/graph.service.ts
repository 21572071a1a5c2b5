// The replication graph in one SQL statement: edges, nodes and totals aggregated and built as JSON by
// PostgreSQL over the filtered replications.
import type { EntityManager } from '@mikro-orm/postgresql';
import { ReplicationKind } from '../replication/replication.entity';
import type { ReplicationFilter } from '../replication/replication.inputs';
import { replicationQuery } from '../replication/replication.service';
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

export async function replicationGraph(
  em: EntityManager,
  level: GraphLevel,
  filter: ReplicationFilter | null | undefined,
  includeIsolated: boolean,
): Promise<ReplicationGraph> {
  const base = replicationQuery(em, filter).toSQL();
  const e = ENDPOINTS[level];
  const isolated = !includeIsolated
    ? ''
    : level === GraphLevel.PROVINCE
      ? `union select code, 'PROVINCE' from province`
      : `union select code, 'REGENCY' from regency`;
  const datasetFilter = filter?.dataset ? `and i.dataset = '${filter.dataset}'` : '';
  const sql = `
with f as (${base.sql}),
g as (
  select ${e.s} as s, ${e.sl} as sl, ${e.t} as t, ${e.tl} as tl, f.kind, f.year, f.source_id,
         f.source_province_code as sp, f.adopter_province_code as ap, f.adopter_scope
  from f),
edges as (
  select s, sl, t, tl, count(*)::int as n,
         (count(*) filter (where kind = 'REPLICATION'))::int as rep,
         (count(*) filter (where kind = 'SCALING_UP'))::int as up,
         (count(*) filter (where kind = 'DISSEMINATION'))::int as dis,
         min(year) as first_year, max(year) as last_year
  from g group by s, sl, t, tl),
ends as (select s as code, sl as lvl from edges union select t, tl from edges ${isolated}),
spreading as (select s as code, count(*)::int as n from (select distinct s, source_id from g) d group by s),
outgoing as (select e.s as code, sum(e.n)::int as n, max(sp.n) as spreading from edges e join spreading sp on sp.code = e.s group by e.s),
incoming as (select t as code, sum(n)::int as n from edges group by t),
nodes as (
  select ends.code, ends.lvl,
         coalesce(p.name, rg.name, 'National') as name,
         exists (select 1 from hub h where ends.lvl <> 'NATIONAL' and h.province_code = left(ends.code, 2) and h.ended_on is null) as is_hub,
         coalesce(o.n, 0) as outgoing, coalesce(i.n, 0) as incoming, coalesce(o.spreading, 0) as spreading,
         case ends.lvl
           when 'REGENCY' then (select count(*) from innovation i where i.regency_code = ends.code ${datasetFilter})
           when 'PROVINCE' then (select count(*) from innovation i where i.province_code = ends.code
                                 ${level === GraphLevel.REGENCY ? 'and i.regency_code is null' : ''} ${datasetFilter})
           else (select count(*) from innovation i where i.province_code is null ${datasetFilter})
         end::int as innovations
  from ends
  left join province p on ends.lvl = 'PROVINCE' and p.code = ends.code
  left join regency rg on ends.lvl = 'REGENCY' and rg.code = ends.code
  left join outgoing o on o.code = ends.code
  left join incoming i on i.code = ends.code)
select json_build_object(
  'nodes', (select coalesce(json_agg(json_build_object(
              'code', code, 'name', name, 'level', lvl, 'isHub', is_hub, 'outgoing', outgoing, 'incoming', incoming,
              'innovations', innovations, 'spreadingInnovations', spreading) order by code), '[]') from nodes),
  'edges', (select coalesce(json_agg(json_build_object(
              'source', s, 'target', t, 'count', n, 'rep', rep, 'up', up, 'dis', dis,
              'firstYear', first_year, 'lastYear', last_year) order by n desc, s, t), '[]') from edges),
  'totals', (select json_build_object(
              'replications', count(*),
              'innovations', count(distinct source_id),
              'regions', (select count(*) from (select s from edges union select t from edges) x),
              'national', count(*) filter (where adopter_scope = 'NATIONAL'),
              'crossProvinceShare', (count(*) filter (where sp <> ap))::float8
                                    / nullif(count(*) filter (where sp is not null and ap is not null), 0))
            from g)) as graph`;
  const [row] = await em.execute<GraphRow[]>(sql, base.bindings as never[]);
  const { nodes, edges, totals } = row.graph;
  return {
    level,
    nodes,
    totals,
    edges: edges.map(({ rep, up, dis, ...edge }) => ({
      ...edge,
      byKind: [
        { kind: ReplicationKind.REPLICATION, count: rep },
        { kind: ReplicationKind.SCALING_UP, count: up },
        { kind: ReplicationKind.DISSEMINATION, count: dis },
      ].filter((k) => k.count > 0),
    })),
  };
}
