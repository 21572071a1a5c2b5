// What a cached answer depends on: the tables the read engine reports for a plan hold every relation
// PostgreSQL's own plan of the statement scans (the dashboard operations and queries through every kind of
// filter), and every table the database has is either written by some record type's changes (so changes
// drop the answers reading it) or never read by a cached answer.
import { getVariableValues, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { PUBLIC_VIEWER } from '../../src/auth/viewer';
import { CHANGE_TABLES, RECORD_TYPES, TABLES_OF, TRACKED_TABLES } from '../../src/changes/change-tables';
import { operationParameters } from '../../bench/database';
import { dashboardOperations } from '../../bench/operations';
import { openTestApi, type TestApi } from '../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await openTestApi();
});
afterAll(() => api.close());

function planOf(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const coerced = getVariableValues(api.engine.schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0];
  return api.engine.plan(operation, fragments, coerced.coerced, PUBLIC_VIEWER);
}

/** The relations PostgreSQL's plan of a statement scans. */
async function scanned(text: string): Promise<string[]> {
  const [row] = await api.sql<{ 'QUERY PLAN': unknown }>(`explain (format json, costs off) ${text}`);
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Relation Name') found.add(String(value));
        else walk(value);
      }
    }
  };
  walk(row['QUERY PLAN']);
  return [...found].sort();
}

const QUERIES: [string, string][] = [
  ['innovations through every filter', `{ innovations(filter: { search: "sampah", hasAward: true, hasReplications: true, awardTier: TOP_99, registry: KIPP, yearFrom: 2015, yearTo: 2024, dataset: REFERENCE }) { totalCount nodes { title owner { name } awards { tier } } } }`],
  ['replications by hub and status', `{ replications(filter: { facilitatingHubCode: "35", status: [IMPLEMENTED], kind: [REPLICATION] }) { totalCount nodes { source { title } adoptedAs { title } mentoringProgramme { year } adopter { institution { name } } } } }`],
  ['the regency graph', `{ replicationGraph(level: REGENCY, filter: { sourceProvinceCode: "35" }) { nodes { code isHub innovations spreadingInnovations } edges { byKind { kind } } totals { innovations crossProvinceShare } } }`],
  ['statistics and impact', `{ provinces { statistics(yearFrom: 2018) { adoptionRate series { year } topInnovations { innovation { title } } } hub { statistics { replicationsOut } instrument { citation } } } hubImpact(provinceCode: "35") { activeYear comparisonProvinceCodes years { year } } }`],
  ['mentoring and universities', `{ mentoringProgrammes { nodes { university { name } sessions { nodes { mentorNames regencies { code } } } replications { totalCount } } } universities { acronym } }`],
  ['a diffusion tree', `{ innovations(first: 3) { nodes { diffusion { depth reach { regencies } nodes { generation } timeline { year } } ancestors { title } origin { title } } } }`],
];

describe('ReadEngine.tablesRead', () => {
  it('reports every relation the statement scans, for the dashboard operations and every kind of filter', async () => {
    const operations = dashboardOperations(await operationParameters(api.databaseUrl));
    const cases = [...operations.map((op) => [op.name, op.query, op.variables] as const), ...QUERIES.map(([name, query]) => [name, query, {}] as const)];
    for (const [name, query, variables] of cases) {
      const plan = planOf(query, variables);
      expect({ name, complete: plan.complete, errors: [...plan.errors.values()].map((e) => e.message) }).toEqual({ name, complete: true, errors: [] });
      const relations = await scanned(plan.text!);
      expect({ name, missing: relations.filter((relation) => !plan.tables.includes(relation)) }).toEqual({ name, missing: [] });
    }
  });

  it('reports only what a statement names: the legal instruments read one table', () => {
    expect(planOf('{ legalInstruments { citation title } }').tables).toEqual(['legal_instrument']);
    expect(planOf('{ universities { name } }').tables).toEqual(['university']);
  });
});

describe('the tables changes cover', () => {
  it('covers every table of the database, or keeps answers that read it out of the cache', async () => {
    const tables = (await api.sql<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).map((t) => t.name);
    const uncovered = tables.filter((t) => !TRACKED_TABLES.has(t) && !CHANGE_TABLES.includes(t));
    // Read by no anonymous answer (keys, the audit log, idempotency records, the migrations' own table, the
    // rate-limit budgets), or written only by the reference seed (published figures, centroids): answers
    // reading them are not cached.
    expect(uncovered).toEqual(['api_key', 'audit_event', 'idempotency_record', 'mikro_orm_migrations', 'rate_limit_budget', 'reference_count', 'region_centroid']);
    for (const table of TRACKED_TABLES) expect({ table, exists: tables.includes(table) }).toEqual({ table, exists: true });
  });

  it('has change triggers on every record table, recording the record type the cache maps it to', async () => {
    const triggers = await api.sql<{ table: string }>(
      `select distinct event_object_table as table from information_schema.triggers where trigger_name like 'changes\\_%' order by 1`,
    );
    const own = Object.fromEntries(RECORD_TYPES.map((type) => [type, TABLES_OF[type].filter((t) => !t.endsWith('_rollup'))]));
    expect(triggers.map((t) => t.table).sort()).toEqual(Object.values(own).flat().sort());
  });
});
