// The analytics by hand: the floor's statements for the graphs, the diffusion tree and hubImpact, written
// once. The floor (bench/operations.ts) gives them the question's values as literals; bench:peers
// (bench/peers.ts) makes each a SQL function for PostGraphile, the values its parameters, a null parameter
// filtering nothing. Either way the statement is the same SQL around its values.

/** A value of the question in a statement: a literal of the floor's, or a SQL function's parameter (null: no filter). */
export interface Input {
  sql: string;
  /** A parameter that may be null: its condition holds for null. */
  nullable: boolean;
}

export const literal = (value: number | string): Input => ({ sql: typeof value === 'number' ? String(value) : `'${value}'`, nullable: false });
/** A parameter of `fn`, named as its body must name it (a column of the same name would win over the bare name). */
export const parameter = (fn: string, name: string): Input => ({ sql: `${fn}.${name}`, nullable: true });

/** The condition `test` on an input, or none when the question has no such value. */
function condition(input: Input | undefined, test: (value: string) => string): string[] {
  if (!input) return [];
  return [input.nullable ? `(${input.sql} is null or ${test(input.sql)})` : test(input.sql)];
}

/** How the statement's one value is selected: the floor's `data` column (the JSON under its root field), a function's result as it is. */
export type Top = (object: string) => string;
export const floorTop = (rootField: string): Top => (object) => `json_build_object('${rootField}', ${object})::text as data`;
export const functionTop: Top = (object) => object;

/** Kinds of replication asked for: the condition on a row's kind, and the spread rollup's bit mask of them (7: all). */
export interface KindsInput {
  where(column: string): string;
  mask: string;
}

/** A graph's question: years, kinds, a source province, the largest edges kept. */
export interface GraphInputs {
  yearFrom?: Input;
  yearTo?: Input;
  kinds?: KindsInput;
  sourceProvinceCode?: Input;
  maxEdges?: Input;
}

const KIND_BITS: Record<string, number> = { REPLICATION: 1, SCALING_UP: 2, DISSEMINATION: 4 };

export function kindsLiteral(kinds: readonly string[]): KindsInput {
  return {
    where: (column) => `${column} in (${kinds.map((k) => `'${k}'`).join(', ')})`,
    mask: String(kinds.reduce((mask, k) => mask | KIND_BITS[k], 0)),
  };
}

export function kindsParameter(fn: string, name: string): KindsInput {
  const { sql } = parameter(fn, name);
  const bits = Object.entries(KIND_BITS).map(([kind, bit]) => `when '${kind}' then ${bit}`).join(' ');
  return { where: (column) => `(${sql} is null or ${column} = any (${sql}))`, mask: `coalesce((select bit_or(case k ${bits} end) from unnest(${sql}) k), 7)` };
}

/**
 * The graph on the structures the API reads (the flow rollups, the spread rollup), so the floor is the best
 * one statement can do with them: flows grouped by their raw columns first, endpoints worked out per flow.
 * `distinctInnovations`: the spread rollup is read (nodes' spreadingInnovations, totals.innovations).
 */
export function graphSql(level: 'PROVINCE' | 'REGENCY', inputs: GraphInputs, distinctInnovations: boolean, top: Top): string {
  const regency = level === 'REGENCY';
  const { yearFrom, yearTo, kinds, sourceProvinceCode, maxEdges } = inputs;
  const where = [
    'r.replications > 0',
    ...condition(yearFrom, (v) => `r.year >= ${v}`),
    ...condition(yearTo, (v) => `r.year <= ${v}`),
    ...(kinds ? [kinds.where('r.kind')] : []),
    ...condition(sourceProvinceCode, (v) => `r.source_province_code = ${v}`),
  ];
  const s = regency ? `coalesce(r.source_regency_code, r.source_province_code, 'NATIONAL')` : `coalesce(r.source_province_code, 'NATIONAL')`;
  const sl = regency
    ? `case when r.source_regency_code is not null then 'REGENCY' when r.source_province_code is not null then 'PROVINCE' else 'NATIONAL' end`
    : `case when r.source_province_code is null then 'NATIONAL' else 'PROVINCE' end`;
  const t = regency ? `coalesce(r.adopter_regency_code, r.adopter_province_code, 'NATIONAL')` : `coalesce(r.adopter_province_code, 'NATIONAL')`;
  const tl = regency
    ? `case when r.adopter_regency_code is not null then 'REGENCY' when r.adopter_province_code is not null then 'PROVINCE' else 'NATIONAL' end`
    : `case when r.adopter_province_code is null then 'NATIONAL' else 'PROVINCE' end`;
  const flows = regency
    ? `select r.source_province_code, r.source_regency_code, r.adopter_province_code, r.adopter_regency_code, r.adopter_scope, r.kind,
              sum(r.replications) as n, min(r.year) as first_year, max(r.year) as last_year
         from replication_regency_flow_rollup r where ${where.join(' and ')} group by 1, 2, 3, 4, 5, 6`
    : `select r.source_province_code, null::varchar as source_regency_code, r.adopter_province_code, null::varchar as adopter_regency_code,
              r.adopter_scope, r.kind, sum(r.replications) as n, min(r.year) as first_year, max(r.year) as last_year
         from replication_flow_rollup r where ${where.join(' and ')} group by 1, 3, 5, 6`;
  // Distinct innovations of a node over [a, b]: its spread rows with a <= year <= b whose previous active year is before a.
  const spread = [
    `x.kinds = ${kinds?.mask ?? '7'}`,
    `x.dataset_key = 'ALL'`,
    `x.prev < ${!yearFrom ? '1' : yearFrom.nullable ? `coalesce(${yearFrom.sql}, 1)` : yearFrom.sql}`,
    ...condition(yearFrom, (v) => `x.year >= ${v}`),
    ...condition(yearTo, (v) => `x.year <= ${v}`),
    ...condition(sourceProvinceCode, (v) => `left(x.node, 2) = ${v}`),
  ];
  // The rollup keeps the REGENCY graph's nodes; a province's count is the sum of its nodes.
  const spreadNode = regency ? 'x.node' : `case when x.node = 'NATIONAL' then x.node else left(x.node, 2) end`;
  return `
with g as (
  select ${s} as s, ${sl} as sl, ${t} as t, ${tl} as tl, r.kind, r.first_year, r.last_year, r.n,
         r.source_province_code as sp, r.adopter_province_code as ap, r.adopter_scope
  from (${flows}) r),
edges as (
  select s, sl, t, tl, sum(n) as n, min(first_year) as first_year, max(last_year) as last_year,
         coalesce(sum(n) filter (where kind = 'REPLICATION'), 0) as rep, coalesce(sum(n) filter (where kind = 'SCALING_UP'), 0) as up,
         coalesce(sum(n) filter (where kind = 'DISSEMINATION'), 0) as dis
  from g group by s, sl, t, tl),
ends as (select s as code, sl as lvl from edges union select t, tl from edges),
${distinctInnovations ? `spreading as (select ${spreadNode} as code, sum(x.innovations) as n from replication_spread_rollup x where ${spread.join(' and ')} group by 1),` : ''}
outgoing as (${
    distinctInnovations
      ? 'select e.s as code, sum(e.n) as n, max(sp.n) as spreading from edges e left join spreading sp on sp.code = e.s group by e.s'
      : 'select e.s as code, sum(e.n) as n from edges e group by e.s'
  }),
incoming as (select t as code, sum(n) as n from edges group by t)
select ${top(`json_build_object(
  'nodes', (select coalesce(json_agg(json_build_object(
      'code', e.code, 'name', coalesce(p.name, rg.name, 'National'), 'level', e.lvl,
      'isHub', exists (select 1 from hub h where e.lvl <> 'NATIONAL' and h.province_code = left(e.code, 2) and h.ended_on is null),
      'outgoing', coalesce(o.n, 0), 'incoming', coalesce(i.n, 0),
      'innovations', case e.lvl
          when 'REGENCY' then (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.regency_code = e.code)
          when 'PROVINCE' then (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.province_code = e.code ${regency ? 'and x.regency_code is null' : ''})
          else (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.province_code is null) end
      ${distinctInnovations ? `, 'spreadingInnovations', coalesce(o.spreading, 0)` : ''}) order by e.code), '[]')
    from ends e
    left join province p on e.lvl = 'PROVINCE' and p.code = e.code
    left join regency rg on e.lvl = 'REGENCY' and rg.code = e.code
    left join outgoing o on o.code = e.code
    left join incoming i on i.code = e.code),
  'edges', (select coalesce(json_agg(json_build_object(
      'source', s, 'target', t, 'count', n,
      'byKind', (select coalesce(json_agg(json_build_object('kind', k.kind, 'count', k.n) order by k.ord), '[]')
                 from (values (1, 'REPLICATION', rep), (2, 'SCALING_UP', up), (3, 'DISSEMINATION', dis)) as k(ord, kind, n) where k.n > 0),
      'firstYear', first_year, 'lastYear', last_year) order by n desc, s, t), '[]')
    from ${maxEdges ? `(select * from edges order by n desc, s, t limit ${maxEdges.sql}) edges` : 'edges'}),
  'totals', (select json_build_object(
      'replications', coalesce(sum(n), 0), ${distinctInnovations ? `'innovations', (select coalesce(sum(n), 0) from spreading),` : ''}
      'regions', (select count(*) from (select s from edges union select t from edges) x),
      'national', coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0),
      'crossProvinceShare', (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0))
    from g))`)}`;
}

/** An innovation's diffusion tree to `maxDepth` generations: the innovation's title and its diffusion. */
export function diffusionSql(root: Input, maxDepth: Input, top: Top): string {
  return `
with recursive tree as (
  select r.id, r.adopted_as_id, 1 as generation, array[r.source_id] as path,
         r.year, r.adopter_scope, r.adopter_province_code, r.adopter_regency_code
  from replication r where r.source_id = ${root.sql}
  union all
  select c.id, c.adopted_as_id, t.generation + 1, t.path || c.source_id,
         c.year, c.adopter_scope, c.adopter_province_code, c.adopter_regency_code
  from tree t cross join lateral (select * from replication x where x.source_id = t.adopted_as_id offset 0) c
  where t.generation < ${maxDepth.sql} and not (t.adopted_as_id = any(t.path))),
rows as (select generation, adopted_as_id, year, adopter_scope, adopter_province_code, adopter_regency_code from tree),
years as (select year, count(*) as n from rows group by year)
select ${top(`json_build_object('title', i.title, 'diffusion', json_build_object(
  'depth', coalesce((select max(generation) from rows), 0),
  'adoptions', (select count(*) from rows),
  'truncated', exists (select 1 from rows where generation = ${maxDepth.sql} and adopted_as_id is not null
                       and exists (select 1 from replication n where n.source_id = rows.adopted_as_id)),
  'reach', json_build_object(
    'regencies', (select count(distinct adopter_regency_code) from rows),
    'provinces', (select count(distinct adopter_province_code) from rows),
    'national', exists (select 1 from rows where adopter_scope = 'NATIONAL')),
  'timeline', (select coalesce(json_agg(json_build_object('year', year, 'adoptions', n, 'cumulative', cumulative) order by year), '[]')
               from (select year, n, sum(n) over (order by year) as cumulative from years) y)))`)}
from innovation i where i.id = ${root.sql}`;
}

/** hubImpact: a hub province's adoptions before and after it became active, against the provinces that were not hubs. */
export function hubImpactSql(code: Input, top: Top): string {
  const start = `extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int`;
  return `
with hub_start as (select ${start} as t from hub h where h.province_code = ${code.sql}),
span as (select t, t - 4 as y0, t + 3 as y1 from hub_start),
control as (
  select p.code from province p, span where p.code <> ${code.sql}
    and not exists (select 1 from hub h where h.province_code = p.code and ${start} <= span.y1
                    and (h.ended_on is null or extract(year from h.ended_on) >= span.y0))),
counts as (
  select r.adopter_province_code as code, r.year, sum(r.replications) as n from replication_in_rollup r, span
  where r.year between span.y0 and span.y1 and r.adopter_province_code is not null group by 1, 2),
years as (
  select y as year, case when y < span.t then 'BEFORE' else 'AFTER' end as period,
         coalesce((select n from counts where code = ${code.sql} and year = y), 0) as hub,
         coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y), 0)::float8
           / (select count(*) from control) as comparison_mean
  from span, generate_series(span.y0, span.y1) as y),
means as (
  select sum(hub::float8 order by year) filter (where period = 'BEFORE') / count(*) filter (where period = 'BEFORE') as hub_before,
         sum(hub::float8 order by year) filter (where period = 'AFTER') / count(*) filter (where period = 'AFTER') as hub_after,
         sum(comparison_mean order by year) filter (where period = 'BEFORE') / count(*) filter (where period = 'BEFORE') as c_before,
         sum(comparison_mean order by year) filter (where period = 'AFTER') / count(*) filter (where period = 'AFTER') as c_after
  from years)
select ${top(`json_build_object(
  'activeYear', span.t, 'window', 4,
  'years', (select json_agg(json_build_object('year', year, 'period', period, 'hub', hub, 'comparisonMean', comparison_mean) order by year) from years),
  'hubBefore', m.hub_before, 'hubAfter', m.hub_after, 'comparisonBefore', m.c_before, 'comparisonAfter', m.c_after,
  'difference', m.hub_after - m.hub_before - (m.c_after - m.c_before))`)}
from span, means m`;
}
