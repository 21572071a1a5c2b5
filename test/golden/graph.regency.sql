select (json_build_object('replicationGraph', (
with f as (select r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind, count(*)::int as n, min(r.year) as first_year, max(r.year) as last_year from replication r where (r.source_province_code = '35') and (r.kind in ('REPLICATION', 'SCALING_UP')) group by r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind),
g as (
  select coalesce(f.source_regency_code, f.source_province_code, 'NATIONAL') as s, case when f.source_regency_code is not null then 'REGENCY' when f.source_province_code is not null then 'PROVINCE' else 'NATIONAL' end as sl, coalesce(f.adopter_regency_code, f.adopter_province_code, 'NATIONAL') as t, case when f.adopter_regency_code is not null then 'REGENCY' when f.adopter_province_code is not null then 'PROVINCE' else 'NATIONAL' end as tl, f.kind, f.first_year, f.last_year, f.n,
         f.source_province_code as sp, f.adopter_province_code as ap, f.adopter_scope
  from f),
edges as (
  select s, sl, t, tl, sum(n)::int as n,
         (coalesce(sum(n) filter (where kind = 'REPLICATION'), 0))::int as rep,
         (coalesce(sum(n) filter (where kind = 'SCALING_UP'), 0))::int as up,
         (coalesce(sum(n) filter (where kind = 'DISSEMINATION'), 0))::int as dis,
         min(first_year) as first_year, max(last_year) as last_year
  from g group by s, sl, t, tl), d as (select distinct coalesce(f.source_regency_code, f.source_province_code, 'NATIONAL') as s, f.source_id from (select r.source_id, r.source_province_code, r.source_regency_code from replication r where (r.source_province_code = '35') and (r.kind in ('REPLICATION', 'SCALING_UP'))) f),
spreading as (select s as code, count(*)::int as n from d group by s),
ends as (select s as code, sl as lvl from edges union select t, tl from edges ),
outgoing as (select e.s as code, sum(e.n)::int as n from edges e group by e.s),
incoming as (select t as code, sum(n)::int as n from edges group by t),
nodes as (
  select ends.code, ends.lvl,
         coalesce(p.name, rg.name, 'National') as name,
         exists (select 1 from hub h where ends.lvl <> 'NATIONAL' and h.province_code = left(ends.code, 2) and (h.ended_on is null or h.ended_on > (now() at time zone 'UTC')::date)) as is_hub,
         coalesce(o.n, 0) as outgoing, coalesce(i.n, 0) as incoming, coalesce(sp.n, 0) as spreading,
         case ends.lvl
           when 'REGENCY' then (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.regency_code = ends.code )
           when 'PROVINCE' then (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.province_code = ends.code and x.regency_code is null )
           else (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.province_code is null )
         end::int as innovations
  from ends
  left join province p on ends.lvl = 'PROVINCE' and p.code = ends.code
  left join regency rg on ends.lvl = 'REGENCY' and rg.code = ends.code
  left join outgoing o on o.code = ends.code
  left join incoming i on i.code = ends.code
  left join spreading sp on sp.code = ends.code and o.n is not null),
totals as (
  select coalesce(sum(n), 0) as replications,
         (select count(distinct source_id) from d) as innovations,
         (select count(*) from (select s from edges union select t from edges) x) as regions,
         coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0) as national,
         (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0) as "crossProvinceShare"
  from g) select json_build_object('nodes', (select coalesce(json_agg(json_build_object('code', t2.code, 'name', t2.name, 'level', t2.lvl, 'isHub', t2.is_hub, 'outgoing', t2.outgoing, 'incoming', t2.incoming, 'innovations', t2.innovations, 'spreadingInnovations', t2.spreading) order by t2.code), '[]') from nodes t2), 'edges', (select coalesce(json_agg(json_build_object('source', t3.s, 'target', t3.t, 'count', t3.n, 'byKind', (select coalesce(json_agg(json_build_object('kind', t4.kind, 'count', t4.count) order by t4.ord), '[]') from (values ('REPLICATION', t3.rep, 1), ('SCALING_UP', t3.up, 2), ('DISSEMINATION', t3.dis, 3)) t4(kind, count, ord) where t4.count > 0), 'firstYear', t3.first_year, 'lastYear', t3.last_year) order by t3.n desc, t3.s, t3.t), '[]') from edges t3), 'totals', (select json_build_object('replications', t5.replications, 'innovations', t5.innovations, 'regions', t5.regions, 'national', t5.national, 'crossProvinceShare', t5."crossProvinceShare") from totals t5)) from (select 'REGENCY'::text as level) t1)))::text as data
