// The dashboard operations the benchmark times, each as a GraphQL query for the API and as one
// hand-written SQL statement for the floor that returns the same `data` as JSON built by PostgreSQL.
import { diffusionSql, floorTop, graphSql, hubImpactSql, kindsLiteral, literal, type GraphInputs } from './analytics-sql';
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

/** A graph's filter as the floor's literals. */
function graphInputs(filter: GraphFilter, maxEdges?: number): GraphInputs {
  return {
    ...(filter.yearFrom === undefined ? {} : { yearFrom: literal(filter.yearFrom) }),
    ...(filter.yearTo === undefined ? {} : { yearTo: literal(filter.yearTo) }),
    ...(filter.kind ? { kinds: kindsLiteral(filter.kind) } : {}),
    ...(filter.sourceProvinceCode ? { sourceProvinceCode: literal(filter.sourceProvinceCode) } : {}),
    ...(maxEdges === undefined ? {} : { maxEdges: literal(maxEdges) }),
  };
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
    floorSql: graphSql(level, graphInputs(f, maxEdges), distinct, floorTop('replicationGraph')),
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
    floorSql: diffusionSql(literal(root), literal(10), floorTop('innovation')),
  };
}

function hubImpact(code: string): Operation {
  return {
    name: 'hubImpact',
    description: 'hubImpact: adoptions before and after designation vs non-hub provinces',
    query: `query($code: String!) { hubImpact(provinceCode: $code) { activeYear window years { year period hub comparisonMean }
      hubBefore hubAfter comparisonBefore comparisonAfter difference } }`,
    variables: { code },
    floorSql: hubImpactSql(literal(code), floorTop('hubImpact')),
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

/**
 * The floor's statements by route, as the floor's servers answer them (bench/floor-server.ts,
 * bench/apollo-floor.ts): `/<operation>`, and `/<operation>/<n>` for the n-th of its varied questions,
 * each a named (prepared) statement.
 */
export function floorStatements(p: OperationParameters, vary: boolean): Map<string, { name: string; text: string }> {
  const statements = new Map<string, { name: string; text: string }>();
  dashboardOperations(p, vary).forEach((op, i) => {
    statements.set(`/${encodeURIComponent(op.name)}`, { name: `floor_${i}`, text: op.floorSql });
    op.variants?.forEach((variant, j) => statements.set(`/${encodeURIComponent(op.name)}/${j}`, { name: `floor_${i}_${j}`, text: variant.floorSql }));
  });
  return statements;
}
