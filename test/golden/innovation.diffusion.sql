with cte1 as materialized (with recursive tree as (
    select r.source_id as root, r.adopted_as_id, 1 as generation, array[r.source_id] as path, r.year, r.adopter_scope, r.adopter_province_code, r.adopter_regency_code
    from replication r where r.source_id = any(array(select id from innovation where id = 14))
    union all
    select t.root, c.adopted_as_id, t.generation + 1, t.path || c.source_id, c.year, c.adopter_scope, c.adopter_province_code, c.adopter_regency_code
    from tree t cross join lateral (select * from replication x where x.source_id = t.adopted_as_id offset 0) c
    where t.generation < 10 and not (t.adopted_as_id = any(t.path)))
  select t.root, t.generation, t.year, t.adopter_scope, t.adopter_province_code, t.adopter_regency_code,
    -- A node at the depth limit whose local version spread further: the tree was cut short.
    (t.generation = 10 and t.adopted_as_id is not null
      and exists (select 1 from replication n where n.source_id = t.adopted_as_id)) as has_more
  from tree t), cte2 as materialized (select a.root, a.depth, a.adoptions, a.truncated, coalesce(rg.n, 0) as regencies, coalesce(pv.n, 0) as provinces, a.national
    from (select f.root, max(f.generation) as depth, count(*) as adoptions, bool_or(f.has_more) as truncated,
            bool_or(f.adopter_scope = 'NATIONAL') as national
          from cte1 f group by f.root) a
    left join (select root, count(*) as n from (select distinct root, adopter_regency_code from cte1 where adopter_regency_code is not null) x group by root) rg on rg.root = a.root
    left join (select root, count(*) as n from (select distinct root, adopter_province_code from cte1 where adopter_province_code is not null) x group by root) pv on pv.root = a.root) select (json_build_object('innovation', (select json_build_object('title', t1.title, 'diffusion', (select json_build_object('depth', coalesce(t2.depth, 0)::int, 'adoptions', coalesce(t2.adoptions, 0)::int, 'truncated', coalesce(t2.truncated, false)::boolean, 'reach', json_build_object('regencies', coalesce(t2.regencies, 0)::int, 'provinces', coalesce(t2.provinces, 0)::int, 'national', coalesce(t2.national, false)::boolean), 'timeline', (select coalesce(json_agg(json_build_object('year', t3.year, 'adoptions', t3.adoptions, 'cumulative', t3.cumulative) order by t3.year), '[]') from (select y.year, y.n as adoptions, (sum(y.n) over (order by y.year))::int as cumulative
    from (select t.year, count(*)::int as n from cte1 t where t.root = t2.__root group by t.year) y) t3)) from (select t1.id as __root, s.depth, s.adoptions, s.truncated, s.regencies, s.provinces, s.national
          from (select) one left join cte2 s on s.root = t1.id offset 0) t2)) from innovation t1 where t1.id = 14)))::text as data
