// hubImpact: adoptions per year around a hub's start, against provinces without a hub, in one statement
// over the adoption rollup.
import type { Context } from '../../context';
import { readRow } from '../../db/read-rows';
import { entityColumns, runRead } from '../../db/sql';
import type { Dataset } from '../../db/fact.entity';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import { Hub } from '../hub/hub.entity';
import { ImpactPeriod, type HubImpact } from './impact.types';

export const MAX_IMPACT_WINDOW = 10;

const HUB_START = `extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int`;

interface ImpactRow {
  active_year: number;
  years: { year: number; period: ImpactPeriod; hub: number; comparisonMean: number }[];
  comparison_codes: string[];
  hub_before: number;
  hub_after: number;
  comparison_before: number | null;
  comparison_after: number | null;
  difference: number | null;
}

/** The arguments as the resolver takes them: a province code and a window of 1 to MAX_IMPACT_WINDOW years. */
export function impactArgs(provinceCode: string, window: number): { provinceCode: string; window: number } {
  if (window < 1 || window > MAX_IMPACT_WINDOW) {
    throw new BadUserInputError(`window must be between 1 and ${MAX_IMPACT_WINDOW}; got ${window}.`, 'window');
  }
  return { provinceCode: provinceCodeArg(provinceCode, 'provinceCode'), window };
}

/**
 * A province's hub and its impact as CTEs (knex placeholders, with their values): `hub_row` (the hub's
 * columns; none without a hub), `years` (year, period, hub, comparison_mean) and `summary` (one row per
 * hub: active_year, window, comparison_codes, hub_before, hub_after, comparison_before, comparison_after,
 * difference). The means are worked out here, in the order JavaScript would add them, so the resolver
 * and the compiled read (impact.compiled.ts) give the same doubles.
 */
export function impactCtes(provinceCode: string, window: number, dataset: Dataset | null): { sql: string; bindings: unknown[] } {
  const mean = (values: string, period: ImpactPeriod) =>
    `coalesce(sum(${values} order by y.year) filter (where y.period = '${period}'), 0)::float8 / greatest(count(*) filter (where y.period = '${period}'), 1)`;
  const sql = `with hub_row as materialized (select h.* from hub h where h.province_code = ?),
     span as (select ${HUB_START} as active, ${HUB_START} - ?::int as y0, ${HUB_START} + ?::int - 1 as y1 from hub_row h),
     control as (
       select p.code from province p, span
       where p.code <> ?
         and not exists (select 1 from hub h where h.province_code = p.code
                         and ${HUB_START} <= span.y1 and (h.ended_on is null or extract(year from h.ended_on) >= span.y0))),
     controls as (select count(*)::int as n from control),
     counts as (
       select r.adopter_province_code as code, r.year, sum(r.replications)::int as n
       from replication_in_rollup r, span
       where r.year between span.y0 and span.y1 and r.adopter_province_code is not null
         and (?::text is null or r.dataset = ?::text)
       group by 1, 2),
     years as (
       select y.year, case when y.year < span.active then '${ImpactPeriod.BEFORE}' else '${ImpactPeriod.AFTER}' end as period,
              coalesce((select n from counts where code = ? and year = y.year), 0) as hub,
              case when controls.n > 0
                then coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y.year), 0)::float8 / controls.n
                else 0 end as comparison_mean
       from span, controls, generate_series(span.y0, span.y1) as y(year)),
     means as (
       select ${mean('y.hub', ImpactPeriod.BEFORE)} as hub_before, ${mean('y.hub', ImpactPeriod.AFTER)} as hub_after,
              case when controls.n > 0 then ${mean('y.comparison_mean', ImpactPeriod.BEFORE)} end as comparison_before,
              case when controls.n > 0 then ${mean('y.comparison_mean', ImpactPeriod.AFTER)} end as comparison_after
       from years y, controls group by controls.n),
     summary as (
       select span.active as active_year, ?::int as "window",
              (select coalesce(array_agg(code order by code), '{}') from control) as comparison_codes,
              m.hub_before, m.hub_after, m.comparison_before, m.comparison_after,
              (m.hub_after - m.hub_before) - (m.comparison_after - m.comparison_before) as difference
       from span, means m)`;
  return { sql, bindings: [provinceCode, window, window, provinceCode, dataset, dataset, provinceCode, window] };
}

/**
 * A province's hub and its impact, in one statement: the hub row (mapped to a read-only record) comes with
 * the counts around its start. Null when the province has no hub.
 */
export async function hubImpact(ctx: Context, provinceCode: string, window: number, dataset: Dataset | null): Promise<HubImpact | null> {
  const ctes = impactCtes(provinceCode, window, dataset);
  const [row] = await runRead<ImpactRow & Record<string, unknown>>(
    ctx.em,
    `${ctes.sql}
     select ${entityColumns(ctx.em, Hub, 'h').join(', ')}, s.*,
       (select json_agg(json_build_object('year', y.year, 'period', y.period, 'hub', y.hub, 'comparisonMean', y.comparison_mean) order by y.year)
        from years y) as years
     from hub_row h, summary s`,
    ctes.bindings,
  );
  if (!row) return null;
  return {
    hub: readRow(ctx, Hub, row),
    activeYear: row.active_year,
    window,
    years: row.years,
    comparisonProvinceCodes: row.comparison_codes,
    hubBefore: row.hub_before,
    hubAfter: row.hub_after,
    comparisonBefore: row.comparison_before,
    comparisonAfter: row.comparison_after,
    difference: row.difference,
  };
}
