-- PostGraphile's side of npm run bench:peers: the dashboard's analytics as SQL functions, in a schema of
-- their own, each written like the floor's statement for the same question (bench/operations.ts floorSql)
-- with the question's literals as parameters. PostGraphile exposes functions taking a table's row as
-- computed columns of that table, and other stable functions as root query fields.
-- The runner applies this file before PostGraphile starts (create or replace: safe to apply again).

create schema if not exists postgraphile_peer;

-- Province.statistics: the rollups the floor reads for provinces+statistics.
create or replace function postgraphile_peer.province_statistics(p public.province) returns json
language sql stable as $$
  select json_build_object(
    'innovations', (select coalesce(sum(i.innovations), 0) from public.innovation_rollup i where i.province_code = p.code),
    'replicationsOut', (select coalesce(sum(r.replications), 0) from public.replication_out_rollup r where r.source_province_code = p.code),
    'replicationsIn', s.n,
    'adoptingRegencies', s.adopting,
    'adoptionRate', s.adopting::float8 / nullif((select count(*) from public.regency g where g.province_code = p.code), 0))
  from (select coalesce(sum(r.replications), 0) as n,
               count(distinct r.adopter_regency_code) filter (where r.replications > 0) as adopting
        from public.replication_in_rollup r where r.adopter_province_code = p.code) s
$$;

-- Province.isHub: a hub that has not ended, as the floor's HUB_ACTIVE.
create or replace function postgraphile_peer.province_is_hub(p public.province) returns boolean
language sql stable as $$
  select exists (select 1 from public.hub h where h.province_code = p.code and (h.ended_on is null or h.ended_on > current_date))
$$;

-- Regency.innovationCount: the regency's innovations from innovation_rollup, as the floor counts them.
create or replace function postgraphile_peer.regency_innovation_count(r public.regency) returns int
language sql stable as $$
  select coalesce(sum(i.innovations), 0)::int from public.innovation_rollup i where i.regency_code = r.code
$$;

-- Innovation.launchOrder: the floor's and the API's page order (launch year, unknown years last) as an
-- orderBy value. Inlined by PostgreSQL, it is the expression of innovation_awarded_province_year_index.
create or replace function postgraphile_peer.innovation_launch_order(i public.innovation) returns int
language sql immutable as $$
  select coalesce(i.launch_year, 0)
$$;
comment on function postgraphile_peer.innovation_launch_order(public.innovation) is E'@behavior +orderBy';

-- replicationGraph: the floor's graph statement (graphFloorSql) with the filter as parameters; level
-- 'PROVINCE' reads replication_flow_rollup, 'REGENCY' replication_regency_flow_rollup. Null parameters
-- filter nothing; max_edges null keeps every edge.
create or replace function postgraphile_peer.replication_graph(
  level text,
  year_from int default null,
  year_to int default null,
  kinds text[] default null,
  source_province_code text default null,
  max_edges int default null
) returns json
language sql stable as $$
with flows as (
  select r.source_province_code, null::varchar as source_regency_code, r.adopter_province_code, null::varchar as adopter_regency_code,
         r.adopter_scope, r.kind, sum(r.replications) as n, min(r.year) as first_year, max(r.year) as last_year
  from public.replication_flow_rollup r
  where replication_graph.level = 'PROVINCE' and r.replications > 0
    and (replication_graph.year_from is null or r.year >= replication_graph.year_from)
    and (replication_graph.year_to is null or r.year <= replication_graph.year_to)
    and (replication_graph.kinds is null or r.kind = any (replication_graph.kinds))
    and (replication_graph.source_province_code is null or r.source_province_code = replication_graph.source_province_code)
  group by 1, 3, 5, 6
  union all
  select r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind,
         sum(r.replications) as n, min(r.year) as first_year, max(r.year) as last_year
  from public.replication_regency_flow_rollup r
  where replication_graph.level = 'REGENCY' and r.replications > 0
    and (replication_graph.year_from is null or r.year >= replication_graph.year_from)
    and (replication_graph.year_to is null or r.year <= replication_graph.year_to)
    and (replication_graph.kinds is null or r.kind = any (replication_graph.kinds))
    and (replication_graph.source_province_code is null or r.source_province_code = replication_graph.source_province_code)
  group by 1, 2, 3, 4, 5, 6),
g as (
  select coalesce(r.source_regency_code, r.source_province_code, 'NATIONAL') as s,
         case when r.source_regency_code is not null then 'REGENCY' when r.source_province_code is not null then 'PROVINCE' else 'NATIONAL' end as sl,
         coalesce(r.adopter_regency_code, r.adopter_province_code, 'NATIONAL') as t,
         case when r.adopter_regency_code is not null then 'REGENCY' when r.adopter_province_code is not null then 'PROVINCE' else 'NATIONAL' end as tl,
         r.kind, r.first_year, r.last_year, r.n, r.source_province_code as sp, r.adopter_province_code as ap, r.adopter_scope
  from flows r),
edges as (
  select s, sl, t, tl, sum(n) as n, min(first_year) as first_year, max(last_year) as last_year,
         coalesce(sum(n) filter (where kind = 'REPLICATION'), 0) as rep, coalesce(sum(n) filter (where kind = 'SCALING_UP'), 0) as up,
         coalesce(sum(n) filter (where kind = 'DISSEMINATION'), 0) as dis
  from g group by s, sl, t, tl),
ends as (select s as code, sl as lvl from edges union select t, tl from edges),
-- Distinct innovations of a node over [a, b]: its spread rows with a <= year <= b whose previous active year is before a.
spreading as (
  select case when replication_graph.level = 'REGENCY' or x.node = 'NATIONAL' then x.node else left(x.node, 2) end as code,
         sum(x.innovations) as n
  from public.replication_spread_rollup x
  where x.kinds = coalesce((select bit_or(case k when 'REPLICATION' then 1 when 'SCALING_UP' then 2 when 'DISSEMINATION' then 4 end)
                            from unnest(replication_graph.kinds) k), 7)
    and x.dataset_key = 'ALL' and x.prev < coalesce(replication_graph.year_from, 1)
    and (replication_graph.year_from is null or x.year >= replication_graph.year_from)
    and (replication_graph.year_to is null or x.year <= replication_graph.year_to)
    and (replication_graph.source_province_code is null or left(x.node, 2) = replication_graph.source_province_code)
  group by 1),
outgoing as (select e.s as code, sum(e.n) as n, max(sp.n) as spreading from edges e left join spreading sp on sp.code = e.s group by e.s),
incoming as (select t as code, sum(n) as n from edges group by t)
select json_build_object(
  'nodes', (select coalesce(json_agg(json_build_object(
      'code', e.code, 'name', coalesce(p.name, rg.name, 'National'), 'level', e.lvl,
      'isHub', exists (select 1 from public.hub h where e.lvl <> 'NATIONAL' and h.province_code = left(e.code, 2) and h.ended_on is null),
      'outgoing', coalesce(o.n, 0), 'incoming', coalesce(i.n, 0),
      'innovations', case e.lvl
          when 'REGENCY' then (select coalesce(sum(x.innovations), 0) from public.innovation_rollup x where x.regency_code = e.code)
          when 'PROVINCE' then (select coalesce(sum(x.innovations), 0) from public.innovation_rollup x
                                where x.province_code = e.code and (replication_graph.level <> 'REGENCY' or x.regency_code is null))
          else (select coalesce(sum(x.innovations), 0) from public.innovation_rollup x where x.province_code is null) end,
      'spreadingInnovations', coalesce(o.spreading, 0)) order by e.code), '[]')
    from ends e
    left join public.province p on e.lvl = 'PROVINCE' and p.code = e.code
    left join public.regency rg on e.lvl = 'REGENCY' and rg.code = e.code
    left join outgoing o on o.code = e.code
    left join incoming i on i.code = e.code),
  'edges', (select coalesce(json_agg(json_build_object(
      'source', s, 'target', t, 'count', n,
      'byKind', (select coalesce(json_agg(json_build_object('kind', k.kind, 'count', k.n) order by k.ord), '[]')
                 from (values (1, 'REPLICATION', rep), (2, 'SCALING_UP', up), (3, 'DISSEMINATION', dis)) as k(ord, kind, n) where k.n > 0),
      'firstYear', first_year, 'lastYear', last_year) order by n desc, s, t), '[]')
    from (select * from edges order by n desc, s, t limit replication_graph.max_edges) edges),
  'totals', (select json_build_object(
      'replications', coalesce(sum(n), 0),
      'innovations', (select coalesce(sum(n), 0) from spreading),
      'regions', (select count(*) from (select s from edges union select t from edges) x),
      'national', coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0),
      'crossProvinceShare', (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0))
    from g))
$$;
comment on function postgraphile_peer.replication_graph(text, int, int, text[], text, int) is E'@name replication_graph';

-- replicationGraphCounts: the same graph without the distinct-innovation counts (the floor's
-- graph.province.counts statement: no spread rollup read).
create or replace function postgraphile_peer.replication_graph_counts(
  level text,
  year_from int default null,
  year_to int default null,
  kinds text[] default null,
  source_province_code text default null,
  max_edges int default null
) returns json
language sql stable as $$
with flows as (
  select r.source_province_code, null::varchar as source_regency_code, r.adopter_province_code, null::varchar as adopter_regency_code,
         r.adopter_scope, r.kind, sum(r.replications) as n, min(r.year) as first_year, max(r.year) as last_year
  from public.replication_flow_rollup r
  where replication_graph_counts.level = 'PROVINCE' and r.replications > 0
    and (replication_graph_counts.year_from is null or r.year >= replication_graph_counts.year_from)
    and (replication_graph_counts.year_to is null or r.year <= replication_graph_counts.year_to)
    and (replication_graph_counts.kinds is null or r.kind = any (replication_graph_counts.kinds))
    and (replication_graph_counts.source_province_code is null or r.source_province_code = replication_graph_counts.source_province_code)
  group by 1, 3, 5, 6
  union all
  select r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind,
         sum(r.replications) as n, min(r.year) as first_year, max(r.year) as last_year
  from public.replication_regency_flow_rollup r
  where replication_graph_counts.level = 'REGENCY' and r.replications > 0
    and (replication_graph_counts.year_from is null or r.year >= replication_graph_counts.year_from)
    and (replication_graph_counts.year_to is null or r.year <= replication_graph_counts.year_to)
    and (replication_graph_counts.kinds is null or r.kind = any (replication_graph_counts.kinds))
    and (replication_graph_counts.source_province_code is null or r.source_province_code = replication_graph_counts.source_province_code)
  group by 1, 2, 3, 4, 5, 6),
g as (
  select coalesce(r.source_regency_code, r.source_province_code, 'NATIONAL') as s,
         case when r.source_regency_code is not null then 'REGENCY' when r.source_province_code is not null then 'PROVINCE' else 'NATIONAL' end as sl,
         coalesce(r.adopter_regency_code, r.adopter_province_code, 'NATIONAL') as t,
         case when r.adopter_regency_code is not null then 'REGENCY' when r.adopter_province_code is not null then 'PROVINCE' else 'NATIONAL' end as tl,
         r.kind, r.first_year, r.last_year, r.n, r.source_province_code as sp, r.adopter_province_code as ap, r.adopter_scope
  from flows r),
edges as (
  select s, sl, t, tl, sum(n) as n, min(first_year) as first_year, max(last_year) as last_year,
         coalesce(sum(n) filter (where kind = 'REPLICATION'), 0) as rep, coalesce(sum(n) filter (where kind = 'SCALING_UP'), 0) as up,
         coalesce(sum(n) filter (where kind = 'DISSEMINATION'), 0) as dis
  from g group by s, sl, t, tl),
ends as (select s as code, sl as lvl from edges union select t, tl from edges),
outgoing as (select e.s as code, sum(e.n) as n from edges e group by e.s),
incoming as (select t as code, sum(n) as n from edges group by t)
select json_build_object(
  'nodes', (select coalesce(json_agg(json_build_object(
      'code', e.code, 'name', coalesce(p.name, rg.name, 'National'), 'level', e.lvl,
      'isHub', exists (select 1 from public.hub h where e.lvl <> 'NATIONAL' and h.province_code = left(e.code, 2) and h.ended_on is null),
      'outgoing', coalesce(o.n, 0), 'incoming', coalesce(i.n, 0),
      'innovations', case e.lvl
          when 'REGENCY' then (select coalesce(sum(x.innovations), 0) from public.innovation_rollup x where x.regency_code = e.code)
          when 'PROVINCE' then (select coalesce(sum(x.innovations), 0) from public.innovation_rollup x
                                where x.province_code = e.code and (replication_graph_counts.level <> 'REGENCY' or x.regency_code is null))
          else (select coalesce(sum(x.innovations), 0) from public.innovation_rollup x where x.province_code is null) end)
    order by e.code), '[]')
    from ends e
    left join public.province p on e.lvl = 'PROVINCE' and p.code = e.code
    left join public.regency rg on e.lvl = 'REGENCY' and rg.code = e.code
    left join outgoing o on o.code = e.code
    left join incoming i on i.code = e.code),
  'edges', (select coalesce(json_agg(json_build_object(
      'source', s, 'target', t, 'count', n,
      'byKind', (select coalesce(json_agg(json_build_object('kind', k.kind, 'count', k.n) order by k.ord), '[]')
                 from (values (1, 'REPLICATION', rep), (2, 'SCALING_UP', up), (3, 'DISSEMINATION', dis)) as k(ord, kind, n) where k.n > 0),
      'firstYear', first_year, 'lastYear', last_year) order by n desc, s, t), '[]')
    from (select * from edges order by n desc, s, t limit replication_graph_counts.max_edges) edges),
  'totals', (select json_build_object(
      'replications', coalesce(sum(n), 0),
      'regions', (select count(*) from (select s from edges union select t from edges) x),
      'national', coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0),
      'crossProvinceShare', (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0))
    from g))
$$;
comment on function postgraphile_peer.replication_graph_counts(text, int, int, text[], text, int) is E'@name replication_graph_counts';

-- innovationDiffusion: the floor's diffusion tree from one innovation, to max_depth generations.
create or replace function postgraphile_peer.innovation_diffusion(root_id int, max_depth int default 10) returns json
language sql stable as $$
with recursive tree as (
  select r.id, r.adopted_as_id, 1 as generation, array[r.source_id] as path,
         r.year, r.adopter_scope, r.adopter_province_code, r.adopter_regency_code
  from public.replication r where r.source_id = innovation_diffusion.root_id
  union all
  select c.id, c.adopted_as_id, t.generation + 1, t.path || c.source_id,
         c.year, c.adopter_scope, c.adopter_province_code, c.adopter_regency_code
  from tree t cross join lateral (select * from public.replication x where x.source_id = t.adopted_as_id offset 0) c
  where t.generation < innovation_diffusion.max_depth and not (t.adopted_as_id = any(t.path))),
rows as (select generation, adopted_as_id, year, adopter_scope, adopter_province_code, adopter_regency_code from tree),
years as (select year, count(*) as n from rows group by year)
select json_build_object('title', i.title, 'diffusion', json_build_object(
  'depth', coalesce((select max(generation) from rows), 0),
  'adoptions', (select count(*) from rows),
  'truncated', exists (select 1 from rows where generation = innovation_diffusion.max_depth and adopted_as_id is not null
                       and exists (select 1 from public.replication n where n.source_id = rows.adopted_as_id)),
  'reach', json_build_object(
    'regencies', (select count(distinct adopter_regency_code) from rows),
    'provinces', (select count(distinct adopter_province_code) from rows),
    'national', exists (select 1 from rows where adopter_scope = 'NATIONAL')),
  'timeline', (select coalesce(json_agg(json_build_object('year', year, 'adoptions', n, 'cumulative', cumulative) order by year), '[]')
               from (select year, n, sum(n) over (order by year) as cumulative from years) y)))
from public.innovation i where i.id = innovation_diffusion.root_id
$$;
comment on function postgraphile_peer.innovation_diffusion(int, int) is E'@name innovation_diffusion';

-- hubImpact: the floor's before/after comparison of a hub province with the provinces that were not hubs.
create or replace function postgraphile_peer.hub_impact(province_code text) returns json
language sql stable as $$
with hub_start as (
  select extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int as t
  from public.hub h where h.province_code = hub_impact.province_code),
span as (select t, t - 4 as y0, t + 3 as y1 from hub_start),
control as (
  select p.code from public.province p, span where p.code <> hub_impact.province_code
    and not exists (select 1 from public.hub h
                    where h.province_code = p.code
                      and extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int <= span.y1
                      and (h.ended_on is null or extract(year from h.ended_on) >= span.y0))),
counts as (
  select r.adopter_province_code as code, r.year, sum(r.replications) as n from public.replication_in_rollup r, span
  where r.year between span.y0 and span.y1 and r.adopter_province_code is not null group by 1, 2),
years as (
  select y as year, case when y < span.t then 'BEFORE' else 'AFTER' end as period,
         coalesce((select n from counts where code = hub_impact.province_code and year = y), 0) as hub,
         coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y), 0)::float8
           / (select count(*) from control) as comparison_mean
  from span, generate_series(span.y0, span.y1) as y),
means as (
  select sum(hub::float8 order by year) filter (where period = 'BEFORE') / count(*) filter (where period = 'BEFORE') as hub_before,
         sum(hub::float8 order by year) filter (where period = 'AFTER') / count(*) filter (where period = 'AFTER') as hub_after,
         sum(comparison_mean order by year) filter (where period = 'BEFORE') / count(*) filter (where period = 'BEFORE') as c_before,
         sum(comparison_mean order by year) filter (where period = 'AFTER') / count(*) filter (where period = 'AFTER') as c_after
  from years)
select json_build_object(
  'activeYear', span.t, 'window', 4,
  'years', (select json_agg(json_build_object('year', year, 'period', period, 'hub', hub, 'comparisonMean', comparison_mean) order by year) from years),
  'hubBefore', m.hub_before, 'hubAfter', m.hub_after, 'comparisonBefore', m.c_before, 'comparisonAfter', m.c_after,
  'difference', m.hub_after - m.hub_before - (m.c_after - m.c_before))
from span, means m
$$;
comment on function postgraphile_peer.hub_impact(text) is E'@name hub_impact';
