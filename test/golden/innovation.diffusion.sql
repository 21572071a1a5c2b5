with cte1 as materialized (with recursive tree as (
    select r.id, r.source_id as root, r.adopted_as_id, 1 as generation, null::int as parent_id, array[r.source_id] as path, r.year, r.adopter_scope, r.adopter_province_code, r.adopter_regency_code
    from replication r where r.source_id = any(array(select id from innovation where id = 14))
    union all
    select c.id, t.root, c.adopted_as_id, t.generation + 1, t.id, t.path || c.source_id, c.year, c.adopter_scope, c.adopter_province_code, c.adopter_regency_code
    from tree t cross join lateral (select * from replication x where x.source_id = t.adopted_as_id offset 0) c
    where t.generation < 10 and not (t.adopted_as_id = any(t.path)))
  select t.root, t.id, t.generation, t.parent_id, t.year, t.adopter_scope, t.adopter_province_code, t.adopter_regency_code,
    -- A node at the depth limit whose local version spread further: the tree was cut short.
    (t.generation = 10 and t.adopted_as_id is not null
      and exists (select 1 from replication n where n.source_id = t.adopted_as_id)) as has_more
  from tree t), cte2 as materialized (with years as (select root, year, count(*)::int as n from cte1 group by 1, 2),
     timeline as (select root, json_agg(json_build_object('year', year, 'adoptions', n, 'cumulative', cumulative) order by year) as list
                  from (select root, year, n, (sum(n) over (partition by root order by year))::int as cumulative from years) y group by root)
  select f.root, json_build_object(
    'depth', max(f.generation), 'adoptions', count(*), 'truncated', bool_or(f.has_more),
    'reach', json_build_object('regencies', count(distinct f.adopter_regency_code), 'provinces', count(distinct f.adopter_province_code),
                               'national', bool_or(f.adopter_scope = 'NATIONAL')),
    'timeline', (select list from timeline where timeline.root = f.root)) as summary
  from cte1 f group by f.root) select (json_build_object('innovation', (select json_build_object('title', t1.title, 'diffusion', (select json_build_object('depth', coalesce((t2.__summary->>'depth')::int, 0), 'adoptions', coalesce((t2.__summary->>'adoptions')::int, 0), 'truncated', coalesce((t2.__summary->>'truncated')::boolean, false), 'reach', (select json_build_object('regencies', coalesce((t3.__reach->>'regencies')::int, 0), 'provinces', coalesce((t3.__reach->>'provinces')::int, 0), 'national', coalesce((t3.__reach->>'national')::boolean, false)) from (select t2.__summary->'reach' as __reach) t3), 'timeline', (select coalesce(json_agg(json_build_object('year', (t4.v->'year'), 'adoptions', (t4.v->'adoptions'), 'cumulative', (t4.v->'cumulative')) order by t4.n), '[]') from json_array_elements(coalesce(t2.__summary->'timeline', '[]')) with ordinality t4(v, n))) from (select t1.id as __root, (select s.summary from cte2 s where s.root = t1.id) as __summary offset 0) t2)) from innovation t1 where t1.id = 14)))::text as data
