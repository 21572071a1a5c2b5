// hubImpact: adoptions per year around a hub's start, against provinces without a hub, in one statement
// over the adoption rollup.
import type { Context } from '../../context';
import { readRow } from '../../db/read-rows';
import { entityColumns, runRead } from '../../db/sql';
import type { Dataset } from '../../db/fact.entity';
import { Hub } from '../hub/hub.entity';
import { ImpactPeriod, type HubImpact } from './impact.types';

const HUB_START = `extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int`;

interface ImpactRow {
  active_year: number;
  years: { year: number; hub: number; comparison: number }[] | null;
  comparison_codes: string[];
}

/**
 * A province's hub and its impact, in one statement: the hub row (mapped to a read-only record) comes with
 * the counts around its start. Null when the province has no hub.
 */
export async function hubImpact(ctx: Context, provinceCode: string, window: number, dataset: Dataset | null): Promise<HubImpact | null> {
  const [row] = await runRead<ImpactRow & Record<string, unknown>>(
    ctx.em,
    `with hub_row as materialized (select ${entityColumns(ctx.em, Hub, 'h').join(', ')} from hub h where h.province_code = ?),
     span as (select ${HUB_START} as active, ${HUB_START} - ?::int as y0, ${HUB_START} + ?::int - 1 as y1 from hub_row h),
     control as (
       select p.code from province p, span
       where p.code <> ?
         and not exists (select 1 from hub h where h.province_code = p.code
                         and ${HUB_START} <= span.y1 and (h.ended_on is null or extract(year from h.ended_on) >= span.y0))),
     counts as (
       select r.adopter_province_code as code, r.year, sum(r.replications)::int as n
       from replication_in_rollup r, span
       where r.year between span.y0 and span.y1 and r.adopter_province_code is not null
         and (?::text is null or r.dataset = ?::text)
       group by 1, 2)
     select hub_row.*, span.active as active_year,
       (select json_agg(json_build_object(
           'year', y,
           'hub', coalesce((select n from counts where code = ? and year = y), 0),
           'comparison', coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y), 0))
         order by y)
        from generate_series(span.y0, span.y1) as y) as years,
       (select coalesce(array_agg(code order by code), '{}') from control) as comparison_codes
     from hub_row, span`,
    [provinceCode, window, window, provinceCode, dataset, dataset, provinceCode],
  );
  if (!row) return null;
  const hub = readRow(ctx, Hub, row);
  const activeYear = row.active_year;
  const controls = row.comparison_codes.length;
  const years = (row.years ?? []).map((y) => ({
    year: y.year,
    period: y.year < activeYear ? ImpactPeriod.BEFORE : ImpactPeriod.AFTER,
    hub: y.hub,
    comparisonMean: controls ? Number(y.comparison) / controls : 0,
  }));
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  const before = years.filter((y) => y.period === ImpactPeriod.BEFORE);
  const after = years.filter((y) => y.period === ImpactPeriod.AFTER);
  const hubBefore = mean(before.map((y) => y.hub));
  const hubAfter = mean(after.map((y) => y.hub));
  const comparisonBefore = controls ? mean(before.map((y) => y.comparisonMean)) : null;
  const comparisonAfter = controls ? mean(after.map((y) => y.comparisonMean)) : null;
  return {
    hub,
    activeYear,
    window,
    years,
    comparisonProvinceCodes: row.comparison_codes,
    hubBefore,
    hubAfter,
    comparisonBefore,
    comparisonAfter,
    difference:
      comparisonBefore === null || comparisonAfter === null ? null : hubAfter - hubBefore - (comparisonAfter - comparisonBefore),
  };
}
