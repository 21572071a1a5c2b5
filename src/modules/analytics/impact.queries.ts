// hubImpact in SQL: adoptions per year around a hub's start, against provinces without a hub in that
// window, over the adoption rollup; means and the difference worked out by PostgreSQL.
import type { Dataset } from '../../db/fact.entity';
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import { hubActiveFrom } from '../hub/hub.queries';
import { ImpactPeriod } from './impact.types';

export const MAX_IMPACT_WINDOW = 10;

/** The arguments as hubImpact takes them: a province code and a window of 1 to MAX_IMPACT_WINDOW years. */
export function impactArgs(provinceCode: string, window: number): { provinceCode: string; window: number } {
  if (window < 1 || window > MAX_IMPACT_WINDOW) {
    throw new BadUserInputError(`window must be between 1 and ${MAX_IMPACT_WINDOW}; got ${window}.`, 'window');
  }
  return { provinceCode: provinceCodeArg(provinceCode, 'provinceCode'), window };
}

/**
 * A province's hub and its impact as the CTEs of a subquery: `hub_row` (the hub's row; none without a hub),
 * `years` (year, period, hub, comparison_mean) and `summary` (one row per hub: active_year, window,
 * comparison_codes, hub_before, hub_after, comparison_before, comparison_after, difference).
 */
export function impactCtes(provinceCode: string, window: number, dataset: Dataset | null): SqlFragment {
  const h = sql`h`;
  const start = sql`extract(year from ${hubActiveFrom(h)})::int`;
  const mean = (values: SqlFragment, period: ImpactPeriod) =>
    sql`coalesce(sum(${values} order by y.year) filter (where y.period = ${period}), 0)::float8 / greatest(count(*) filter (where y.period = ${period}), 1)`;
  // A comparison province had no hub at any time in the window: none started by its end, or one that ended before it.
  const hubInWindow = sql`${start} <= span.y1 and (h.ended_on is null or extract(year from h.ended_on) >= span.y0)`;
  return sql`with hub_row as materialized (select h.* from hub h where h.province_code = ${provinceCode}),
     span as (select ${start} as active, ${start} - ${window} as y0, ${start} + ${window} - 1 as y1 from hub_row h),
     control as (
       select p.code from province p, span
       where p.code <> ${provinceCode}
         and not exists (select 1 from hub h where h.province_code = p.code and ${hubInWindow})),
     controls as (select count(*)::int as n from control),
     counts as (
       select r.adopter_province_code as code, r.year, sum(r.replications)::int as n
       from replication_in_rollup r, span
       where r.year between span.y0 and span.y1 and r.adopter_province_code is not null
         ${dataset ? sql`and r.dataset = ${dataset}` : sql``}
       group by 1, 2),
     years as (
       select y.year, case when y.year < span.active then ${ImpactPeriod.BEFORE} else ${ImpactPeriod.AFTER} end as period,
              coalesce((select n from counts where code = ${provinceCode} and year = y.year), 0) as hub,
              case when controls.n > 0
                then coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y.year), 0)::float8 / controls.n
                else 0 end as comparison_mean
       from span, controls, generate_series(span.y0, span.y1) as y(year)),
     means as (
       select ${mean(sql`y.hub`, ImpactPeriod.BEFORE)} as hub_before, ${mean(sql`y.hub`, ImpactPeriod.AFTER)} as hub_after,
              case when controls.n > 0 then ${mean(sql`y.comparison_mean`, ImpactPeriod.BEFORE)} end as comparison_before,
              case when controls.n > 0 then ${mean(sql`y.comparison_mean`, ImpactPeriod.AFTER)} end as comparison_after
       from years y, controls group by controls.n),
     summary as (
       select span.active as active_year, ${window}::int as "window",
              (select coalesce(array_agg(code order by code), '{}') from control) as comparison_codes,
              m.hub_before, m.hub_after, m.comparison_before, m.comparison_after,
              (m.hub_after - m.hub_before) - (m.comparison_after - m.comparison_before) as difference
       from span, means m)`;
}
