-- PostGraphile's side of npm run bench:peers: functions in a schema of their own. PostGraphile exposes
-- functions taking a table's row as computed columns of that table (these, each written like the floor's
-- SQL for the same field), and other stable functions as root query fields: the analytics, which the runner
-- creates after this file from the floor's own statements (bench/analytics-sql.ts, bench/peers.ts).
-- The runner applies this file before PostGraphile starts; the schema is made anew each time.

drop schema if exists postgraphile_peer cascade;
create schema postgraphile_peer;

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
