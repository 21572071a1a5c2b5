select (json_build_object('hubImpact', (with hub_row as materialized (select h.* from hub h where h.province_code = '33'),
     span as (select extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int as active, extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int - 4 as y0, extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int + 4 - 1 as y1 from hub_row h),
     control as (
       select p.code from province p, span
       where p.code <> '33'
         and not exists (select 1 from hub h where h.province_code = p.code and extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int <= span.y1 and (h.ended_on is null or extract(year from h.ended_on) >= span.y0))),
     controls as (select count(*)::int as n from control),
     counts as (
       select r.adopter_province_code as code, r.year, sum(r.replications)::int as n
       from replication_in_rollup r, span
       where r.year between span.y0 and span.y1 and r.adopter_province_code is not null
         
       group by 1, 2),
     years as (
       select y.year, case when y.year < span.active then 'BEFORE' else 'AFTER' end as period,
              coalesce((select n from counts where code = '33' and year = y.year), 0) as hub,
              case when controls.n > 0
                then coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y.year), 0)::float8 / controls.n
                else 0 end as comparison_mean
       from span, controls, generate_series(span.y0, span.y1) as y(year)),
     means as (
       select coalesce(sum(y.hub order by y.year) filter (where y.period = 'BEFORE'), 0)::float8 / greatest(count(*) filter (where y.period = 'BEFORE'), 1) as hub_before, coalesce(sum(y.hub order by y.year) filter (where y.period = 'AFTER'), 0)::float8 / greatest(count(*) filter (where y.period = 'AFTER'), 1) as hub_after,
              case when controls.n > 0 then coalesce(sum(y.comparison_mean order by y.year) filter (where y.period = 'BEFORE'), 0)::float8 / greatest(count(*) filter (where y.period = 'BEFORE'), 1) end as comparison_before,
              case when controls.n > 0 then coalesce(sum(y.comparison_mean order by y.year) filter (where y.period = 'AFTER'), 0)::float8 / greatest(count(*) filter (where y.period = 'AFTER'), 1) end as comparison_after
       from years y, controls group by controls.n),
     summary as (
       select span.active as active_year, 4::int as "window",
              (select coalesce(array_agg(code order by code), '{}') from control) as comparison_codes,
              m.hub_before, m.hub_after, m.comparison_before, m.comparison_after,
              (m.hub_after - m.hub_before) - (m.comparison_after - m.comparison_before) as difference
       from span, means m) select json_build_object('activeYear', t1.active_year, 'window', t1."window", 'years', (select coalesce(json_agg(json_build_object('year', t2.year, 'period', t2.period, 'hub', t2.hub, 'comparisonMean', t2.comparison_mean) order by t2.year), '[]') from years t2), 'hubBefore', t1.hub_before, 'hubAfter', t1.hub_after, 'comparisonBefore', t1.comparison_before, 'comparisonAfter', t1.comparison_after, 'difference', t1.difference) from summary t1)))::text as data
