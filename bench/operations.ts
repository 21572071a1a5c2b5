// The dashboard operations the benchmark times, each as a GraphQL query for the API and as one
// hand-written SQL statement for the floor that returns the same `data` as JSON built by PostgreSQL.
import { cursorSql, globalIdSql } from './sql-fragments';

export interface Operation {
  name: string;
  description: string;
  query: string;
  variables: Record<string, unknown>;
  /** One statement returning one row with one column `data` (json text). */
  floorSql: string;
  /** Asked in turn, one per request, in place of query and floorSql: questions no cache has seen. */
  variants?: { query: string; variables: Record<string, unknown>; floorSql: string }[];
}

export interface OperationParameters {
  /** The innovation with the largest diffusion tree. */
  diffusionRoot: number;
  /** Province codes chosen for filters: busy ones, so results are not trivially small. */
  province: string;
  sourceProvince: string;
  hubProvince: string;
  /** For varied questions (--vary): the next largest trees, the provinces with awarded innovations, the hubs. */
  diffusionRoots: number[];
  provinces: string[];
  hubProvinces: string[];
}

/** With --vary, as many distinct questions in turn as there are values (at least the connections, so none repeats in flight). */
export const VARIED_VALUES = 40;

const HUB_ACTIVE = `(h.id is not null and (h.ended_on is null or h.ended_on > current_date))`;

function provincesWithStatistics(): Operation {
  return {
    name: 'provinces+statistics',
    description: 'all provinces with hub and statistics',
    query: `{ provinces { code name isHub hub { cohortYear stage } statistics { innovations replicationsOut replicationsIn adoptingRegencies adoptionRate } } }`,
    variables: {},
    floorSql: `
select json_build_object('provinces', coalesce(json_agg(json_build_object(
  'code', p.code, 'name', p.name, 'isHub', ${HUB_ACTIVE},
  'hub', case when h.id is null then null else json_build_object('cohortYear', h.cohort_year, 'stage', h.stage) end,
  'statistics', json_build_object(
    'innovations', (select coalesce(sum(i.innovations), 0) from innovation_rollup i where i.province_code = p.code),
    'replicationsOut', (select coalesce(sum(r.replications), 0) from replication_out_rollup r where r.source_province_code = p.code),
    'replicationsIn', s.n,
    'adoptingRegencies', s.adopting,
    'adoptionRate', s.adopting::float8 / nullif((select count(*) from regency g where g.province_code = p.code), 0))
) order by p.code), '[]'))::text as data
from province p
left join hub h on h.province_code = p.code
cross join lateral (select coalesce(sum(r.replications), 0) as n,
                           count(distinct r.adopter_regency_code) filter (where r.replications > 0) as adopting
                    from replication_in_rollup r where r.adopter_province_code = p.code) s`,
  };
}

function provinceRegencies(code: string): Operation {
  return {
    name: 'province.regencies',
    description: "a province's regencies with innovation counts",
    query: `query($code: String!) { province(code: $code) { name regencies { code name kind innovations { totalCount } } } }`,
    variables: { code },
    floorSql: `
select json_build_object('province', (select json_build_object('name', p.name, 'regencies', coalesce((
  select json_agg(json_build_object('code', r.code, 'name', r.name, 'kind', r.kind,
           'innovations', json_build_object('totalCount', (select coalesce(sum(i.innovations), 0) from innovation_rollup i where i.regency_code = r.code)))
         order by r.code)
  from regency r where r.province_code = p.code), '[]'))
  from province p where p.code = '${code}'))::text as data`,
  };
}

function innovationsPage(code: string): Operation {
  const order = 'coalesce(launch_year, 0) desc, id desc';
  return {
    name: 'innovations.page',
    description: 'innovations filtered (province, awarded) and paged, with awards',
    query: `query($code: String!) { innovations(first: 20, filter: { provinceCode: $code, hasAward: true }, orderBy: { field: LAUNCH_YEAR, direction: DESC }) {
      totalCount pageInfo { hasNextPage endCursor } nodes { id title launchYear awards { competition tier year } } } }`,
    variables: { code },
    floorSql: `
with matches as (
  select i.id, i.title, i.launch_year from innovation i
  where i.province_code = '${code}' and i.has_award),
probe as (select * from matches order by ${order} limit 21),
page as (select * from probe order by ${order} limit 20)
select json_build_object('innovations', json_build_object(
  'totalCount', (select coalesce(sum(x.innovations), 0) from innovation_rollup x where x.province_code = '${code}' and x.has_award),
  'pageInfo', json_build_object(
    'hasNextPage', (select count(*) > 20 from probe),
    'endCursor', (select ${cursorSql('LAUNCH_YEAR', ['coalesce(launch_year, 0)', 'id'])} from page order by coalesce(launch_year, 0) asc, id asc limit 1)),
  'nodes', coalesce((select json_agg(json_build_object(
      'id', ${globalIdSql('Innovation', 'page.id')}, 'title', page.title, 'launchYear', page.launch_year,
      'awards', (select coalesce(json_agg(json_build_object('competition', a.competition, 'tier', a.tier, 'year', a.year) order by a.year, a.id), '[]')
                 from award a where a.innovation_id = page.id))
    order by coalesce(page.launch_year, 0) desc, page.id desc) from page), '[]')))::text as data`,
  };
}

const GRAPH_SELECTION = `nodes { code name level isHub outgoing incoming innovations spreadingInnovations }
  edges { source target count byKind { kind count } firstYear lastYear }
  totals { replications innovations regions national crossProvinceShare }`;
const COUNTS_SELECTION = `nodes { code name level isHub outgoing incoming innovations } edges { source target count byKind { kind count } firstYear lastYear }
  totals { replications regions national crossProvinceShare }`;

/** A graph's filter as the bench varies it: years, kinds, and a source province. */
interface GraphFilter {
  yearFrom?: number;
  yearTo?: number;
  kind?: string[];
  sourceProvinceCode?: string;
}

const KIND_BITS: Record<string, number> = { REPLICATION: 1, SCALING_UP: 2, DISSEMINATION: 4 };

/**
 * The graph by hand, on the structures the API reads (the flow rollups, the spread rollup), so the floor is
 * the best one statement can do with them: flows grouped by their raw columns first, endpoints worked out
 * per flow.
 */
function graphFloorSql(level: 'PROVINCE' | 'REGENCY', filter: GraphFilter, distinctInnovations = true, maxEdges?: number): string {
  const regency = level === 'REGENCY';
  const where = ['r.replications > 0'];
  if (filter.yearFrom !== undefined) where.push(`r.year >= ${filter.yearFrom}`);
  if (filter.yearTo !== undefined) where.push(`r.year <= ${filter.yearTo}`);
  if (filter.kind) where.push(`r.kind in (${filter.kind.map((k) => `'${k}'`).join(', ')})`);
  if (filter.sourceProvinceCode) where.push(`r.source_province_code = '${filter.sourceProvinceCode}'`);
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
  const kinds = filter.kind ? filter.kind.reduce((mask, k) => mask | KIND_BITS[k], 0) : 7;
  const spread = [`x.kinds = ${kinds}`, `x.dataset_key = 'ALL'`, `x.prev < ${filter.yearFrom ?? 1}`];
  if (filter.yearFrom !== undefined) spread.push(`x.year >= ${filter.yearFrom}`);
  if (filter.yearTo !== undefined) spread.push(`x.year <= ${filter.yearTo}`);
  if (filter.sourceProvinceCode) spread.push(`left(x.node, 2) = '${filter.sourceProvinceCode}'`);
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
select json_build_object('replicationGraph', json_build_object(
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
    from ${maxEdges === undefined ? 'edges' : `(select * from edges order by n desc, s, t limit ${maxEdges}) edges`}),
  'totals', (select json_build_object(
      'replications', coalesce(sum(n), 0), ${distinctInnovations ? `'innovations', (select coalesce(sum(n), 0) from spreading),` : ''}
      'regions', (select count(*) from (select s from edges union select t from edges) x),
      'national', coalesce(sum(n) filter (where adopter_scope = 'NATIONAL'), 0),
      'crossProvinceShare', (sum(n) filter (where sp <> ap))::float8 / nullif(sum(n) filter (where sp is not null and ap is not null), 0))
    from g)))::text as data`;
}

/** A filter as GraphQL input text. */
function filterText(filter: GraphFilter): string {
  const fields = Object.entries(filter).map(([k, v]) => `${k}: ${Array.isArray(v) ? `[${v.join(', ')}]` : typeof v === 'string' ? `"${v}"` : v}`);
  return `{ ${fields.join(', ')} }`;
}

const YEARS = { first: 2014, last: 2025 };
const KIND_SETS: (string[] | undefined)[] = [undefined, ['REPLICATION'], ['SCALING_UP'], ['REPLICATION', 'SCALING_UP'], ['DISSEMINATION']];
export const VARIANTS = 48;

/**
 * Year ranges and sets of kinds as a dashboard's slider and checkboxes move them: VARIANTS of them, spread
 * over every range of the DEMO network's years (a fixed walk, so runs compare).
 */
function variedFilters(base: GraphFilter): GraphFilter[] {
  const ranges: [number, number][] = [];
  for (let a = YEARS.first; a <= YEARS.last; a += 1) for (let b = a; b <= YEARS.last; b += 1) ranges.push([a, b]);
  return Array.from({ length: VARIANTS }, (_, i) => {
    const [yearFrom, yearTo] = ranges[(i * 37) % ranges.length];
    const kind = base.kind ?? KIND_SETS[i % KIND_SETS.length];
    return { ...base, yearFrom, yearTo, ...(kind ? { kind } : {}) };
  });
}

function graphOperation(
  name: string,
  description: string,
  level: 'PROVINCE' | 'REGENCY',
  selection: string,
  filter: GraphFilter,
  vary: boolean,
  maxEdges?: number,
): Operation {
  const distinct = selection === GRAPH_SELECTION;
  const asked = (f: GraphFilter) => ({
    query: `{ replicationGraph(level: ${level}, filter: ${filterText(f)}${maxEdges === undefined ? '' : `, maxEdges: ${maxEdges}`}) { ${selection} } }`,
    floorSql: graphFloorSql(level, f, distinct, maxEdges),
  });
  const fixed = asked(filter);
  const variants = vary ? variedFilters(filter).map((f) => ({ ...asked(f), variables: {} })) : undefined;
  return { name, description: vary ? `${description}; year range and kinds varied per request` : description, ...fixed, variables: {}, variants };
}

function graphByProvince(vary: boolean): Operation {
  return graphOperation('graph.province', 'replicationGraph at PROVINCE level, years 2018-2025', 'PROVINCE', GRAPH_SELECTION, { yearFrom: 2018, yearTo: 2025 }, vary);
}

function graphByProvinceCounts(vary: boolean): Operation {
  return graphOperation(
    'graph.province.counts',
    'the same graph without the distinct-innovation counts',
    'PROVINCE',
    COUNTS_SELECTION,
    { yearFrom: 2018, yearTo: 2025 },
    vary,
  );
}

function graphByRegency(code: string, vary: boolean): Operation {
  // A province's whole REGENCY graph runs to megabytes at x10 (14,000 edges): varied, it is asked as a
  // dashboard draws it, for the largest 200 edges (nodes and totals whole).
  return graphOperation(
    'graph.regency',
    vary ? "replicationGraph at REGENCY level from one province's innovations, its 200 largest edges" : "replicationGraph at REGENCY level from one province's innovations",
    'REGENCY',
    GRAPH_SELECTION,
    { sourceProvinceCode: code, ...(vary ? {} : { kind: ['REPLICATION', 'SCALING_UP'] }) },
    vary,
    vary ? 200 : undefined,
  );
}

function diffusion(root: number): Operation {
  return {
    name: 'innovation.diffusion',
    description: "the largest innovation's diffusion tree",
    query: `query($id: ID!) { innovation(id: $id) { title diffusion(maxDepth: 10) {
      depth adoptions truncated reach { regencies provinces national } timeline { year adoptions cumulative } } } }`,
    variables: { id: Buffer.from(`Innovation:${root}`).toString('base64url') },
    floorSql: `
with recursive tree as (
  select r.id, r.adopted_as_id, 1 as generation, array[r.source_id] as path,
         r.year, r.adopter_scope, r.adopter_province_code, r.adopter_regency_code
  from replication r where r.source_id = ${root}
  union all
  select c.id, c.adopted_as_id, t.generation + 1, t.path || c.source_id,
         c.year, c.adopter_scope, c.adopter_province_code, c.adopter_regency_code
  from tree t cross join lateral (select * from replication x where x.source_id = t.adopted_as_id offset 0) c
  where t.generation < 10 and not (t.adopted_as_id = any(t.path))),
rows as (select generation, adopted_as_id, year, adopter_scope, adopter_province_code, adopter_regency_code from tree),
years as (select year, count(*) as n from rows group by year)
select json_build_object('innovation', json_build_object('title', i.title, 'diffusion', json_build_object(
  'depth', coalesce((select max(generation) from rows), 0),
  'adoptions', (select count(*) from rows),
  'truncated', exists (select 1 from rows where generation = 10 and adopted_as_id is not null
                       and exists (select 1 from replication n where n.source_id = rows.adopted_as_id)),
  'reach', json_build_object(
    'regencies', (select count(distinct adopter_regency_code) from rows),
    'provinces', (select count(distinct adopter_province_code) from rows),
    'national', exists (select 1 from rows where adopter_scope = 'NATIONAL')),
  'timeline', (select coalesce(json_agg(json_build_object('year', year, 'adoptions', n, 'cumulative', cumulative) order by year), '[]')
               from (select year, n, sum(n) over (order by year) as cumulative from years) y))))::text as data
from innovation i where i.id = ${root}`,
  };
}

function hubImpact(code: string): Operation {
  const start = `extract(year from coalesce(h.designated_on, h.committed_on, make_date(h.cohort_year, 1, 1)))::int`;
  return {
    name: 'hubImpact',
    description: 'hubImpact: adoptions before and after designation vs non-hub provinces',
    query: `query($code: String!) { hubImpact(provinceCode: $code) { activeYear window years { year period hub comparisonMean }
      hubBefore hubAfter comparisonBefore comparisonAfter difference } }`,
    variables: { code },
    floorSql: `
with hub_start as (select ${start} as t from hub h where h.province_code = '${code}'),
span as (select t, t - 4 as y0, t + 3 as y1 from hub_start),
control as (
  select p.code from province p, span where p.code <> '${code}'
    and not exists (select 1 from hub h where h.province_code = p.code and ${start} <= span.y1
                    and (h.ended_on is null or extract(year from h.ended_on) >= span.y0))),
counts as (
  select r.adopter_province_code as code, r.year, sum(r.replications) as n from replication_in_rollup r, span
  where r.year between span.y0 and span.y1 and r.adopter_province_code is not null group by 1, 2),
years as (
  select y as year, case when y < span.t then 'BEFORE' else 'AFTER' end as period,
         coalesce((select n from counts where code = '${code}' and year = y), 0) as hub,
         coalesce((select sum(c.n) from counts c join control k on k.code = c.code where c.year = y), 0)::float8
           / (select count(*) from control) as comparison_mean
  from span, generate_series(span.y0, span.y1) as y),
means as (
  select sum(hub::float8 order by year) filter (where period = 'BEFORE') / count(*) filter (where period = 'BEFORE') as hub_before,
         sum(hub::float8 order by year) filter (where period = 'AFTER') / count(*) filter (where period = 'AFTER') as hub_after,
         sum(comparison_mean order by year) filter (where period = 'BEFORE') / count(*) filter (where period = 'BEFORE') as c_before,
         sum(comparison_mean order by year) filter (where period = 'AFTER') / count(*) filter (where period = 'AFTER') as c_after
  from years)
select json_build_object('hubImpact', json_build_object(
  'activeYear', span.t, 'window', 4,
  'years', (select json_agg(json_build_object('year', year, 'period', period, 'hub', hub, 'comparisonMean', comparison_mean) order by year) from years),
  'hubBefore', m.hub_before, 'hubAfter', m.hub_after, 'comparisonBefore', m.c_before, 'comparisonAfter', m.c_after,
  'difference', m.hub_after - m.hub_before - (m.c_after - m.c_before)))::text as data
from span, means m`,
  };
}

function mentoringProgrammes(first: number): Operation {
  const order = 'year desc, id desc';
  return {
    name: 'mentoringProgrammes',
    description: 'mentoring programmes with their sessions',
    query: `{ mentoringProgrammes(first: ${first}) { totalCount nodes { year province { code name } university { acronym }
      sessions(first: 5) { totalCount nodes { heldOn topic mode } } } } }`,
    variables: {},
    floorSql: `
with page as (select * from mentoring_programme order by ${order} limit ${first})
select json_build_object('mentoringProgrammes', json_build_object(
  'totalCount', (select count(*) from mentoring_programme),
  'nodes', coalesce((select json_agg(json_build_object(
      'year', m.year,
      'province', (select json_build_object('code', p.code, 'name', p.name) from province p where p.code = m.province_code),
      'university', (select json_build_object('acronym', u.acronym) from university u where u.id = m.university_id),
      'sessions', json_build_object(
        'totalCount', (select count(*) from mentoring_session s where s.programme_id = m.id),
        'nodes', (select coalesce(json_agg(json_build_object('heldOn', s.held_on, 'topic', s.topic, 'mode', s.mode) order by s.held_on, s.id), '[]')
                  from (select * from mentoring_session s where s.programme_id = m.id order by s.held_on, s.id limit 5) s)))
    order by m.year desc, m.id desc) from page m), '[]')))::text as data`,
  };
}

/**
 * An operation asked of each value in turn when varied (the first value's question otherwise), so that
 * concurrent requests are different questions: no cache and no joined statement helps, on either side.
 */
function variedBy<T>(build: (value: T) => Operation, fixed: T, values: readonly T[], vary: boolean, what: string): Operation {
  const op = build(fixed);
  if (!vary || values.length < 2) return op;
  const variants = values.map((value) => {
    const { query, variables, floorSql } = build(value);
    return { query, variables, floorSql };
  });
  return { ...op, description: `${op.description}; ${what} varied per request (${variants.length} in turn)`, variants };
}

/**
 * `vary`: every operation that takes an argument asks a different question with every request (the x10
 * measure, and at any scale with --vary): the graphs' year range and kinds, the province, the tree's root,
 * the hub, the page size. provinces+statistics takes none: it is one question.
 */
export function dashboardOperations(p: OperationParameters, vary = false): Operation[] {
  const pageSizes = Array.from({ length: VARIED_VALUES }, (_, i) => i + 1);
  return [
    provincesWithStatistics(),
    variedBy(provinceRegencies, p.province, p.provinces, vary, 'province'),
    variedBy(innovationsPage, p.province, p.provinces, vary, 'province'),
    graphByProvince(vary),
    graphByProvinceCounts(vary),
    graphByRegency(p.sourceProvince, vary),
    variedBy(diffusion, p.diffusionRoot, p.diffusionRoots, vary, 'root'),
    variedBy(hubImpact, p.hubProvince, p.hubProvinces, vary, 'hub'),
    variedBy(mentoringProgrammes, 20, pageSizes, vary, 'page size'),
  ];
}
