with cte1 as (select p.* from province p where true), cte2 as (with keys as materialized (select array(select code from cte1)::text[] as a),
members as (select province_code::text as k, count(*)::int as n from regency where province_code = any((select a from keys)::text[]) group by 1),
totals as (
    select k.key as k,
           (select coalesce(sum(i.innovations), 0)::int from innovation_rollup i where i.province_code = k.key) as innovations,
           (select coalesce(sum(r.replications), 0)::int from replication_out_rollup r where r.source_province_code = k.key) as out_n,
           inr.n as in_n, inr.wide, inr.adopting
    from (select unnest(a)::text as key from keys) k
    cross join lateral (
      select coalesce(sum(r.replications), 0)::int as n,
             coalesce(sum(r.replications) filter (where r.adopter_scope = 'PROVINCE_WIDE'), 0)::int as wide
             , (count(distinct r.adopter_regency_code) filter (where r.replications > 0))::int as adopting
      from replication_in_rollup r where r.adopter_province_code = k.key) inr)
select t.k, json_build_object('innovations', t.innovations, 'replicationsOut', t.out_n, 'replicationsIn', t.in_n, 'provinceWideCommitments', t.wide, 'memberRegencies', coalesce(m.n, 0), 'adoptingRegencies', t.adopting) as stats from totals t left join members m on m.k = t.k) select (json_build_object('provinces', (select coalesce(json_agg(json_build_object('code', t1.code, 'name', t1.name, 'isHub', exists (select 1 from hub t2 where t2.province_code = t1.code and (t2.ended_on is null or t2.ended_on > (now() at time zone 'UTC')::date)), 'hub', (select json_build_object('cohortYear', t3.cohort_year, 'stage', t3.stage) from hub t3 where t3.province_code = t1.code), 'statistics', (select json_build_object('innovations', (t5.stats->'innovations'), 'replicationsOut', (t5.stats->'replicationsOut'), 'replicationsIn', (t5.stats->'replicationsIn'), 'adoptingRegencies', coalesce((t5.stats->>'adoptingRegencies')::int, 0), 'adoptionRate', case when (t5.stats->>'memberRegencies')::int > 0 then coalesce((t5.stats->>'adoptingRegencies')::int, 0)::float8 / (t5.stats->>'memberRegencies')::int end) from (select t4.stats, null::int as year_from, null::int as year_to
    from cte2 t4 where t4.k = t1.code::text) t5)) order by t1.code), '[]') from cte1 t1)))::text as data
