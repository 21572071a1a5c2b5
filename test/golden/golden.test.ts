// Golden files for the dashboard operations (the benchmark's, on the reference data): for each, the answer
// (<name>.json) and the one statement the read engine runs for it (<name>.sql), as PostGraphile keeps its
// tests. A change to the engine or to a field's SQL shows up as a diff here; after checking it, rewrite
// the files with `UPDATE_GOLDEN=1 npx jest test/golden`. Each answer is also checked against the floor's
// hand-written SQL (bench/operations.ts) run on the same database: the oracle that does not share the
// engine's code.
import fs from 'node:fs';
import path from 'node:path';
import { getVariableValues, Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { PUBLIC_VIEWER } from '../../src/auth/viewer';
import { operationParameters } from '../../bench/database';
import { dashboardOperations, type Operation } from '../../bench/operations';
import { dataOf, openTestApi, type TestApi } from '../support/harness';

const DIR = __dirname;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** On the reference data: provinces with an awarded innovation, innovations that were replicated, hubs with a start. */
const PROVINCES_WITH_AWARDS = 4;
const ROOTS = 32;
const HUBS = 26;

let api: TestApi;
let operations: Operation[];

beforeAll(async () => {
  api = await openTestApi();
  operations = dashboardOperations(await operationParameters(api.databaseUrl));
});
afterAll(() => api.close());

/** The statement the engine plans for an operation, for an anonymous caller. */
function statementOf(op: Operation): string | null {
  const document = parse(op.query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  const variables = getVariableValues(api.engine.schema, operation.variableDefinitions ?? [], op.variables);
  if (variables.errors) throw variables.errors[0];
  return api.engine.plan(operation, fragments, variables.coerced, PUBLIC_VIEWER).text;
}

function golden(file: string, actual: string): void {
  const at = path.join(DIR, file);
  if (UPDATE) fs.writeFileSync(at, actual);
  expect(fs.existsSync(at) ? fs.readFileSync(at, 'utf8') : `(no golden file ${file}: run with UPDATE_GOLDEN=1)`).toBe(actual);
}

const NAMES = [
  'provinces+statistics',
  'province.regencies',
  'innovations.page',
  'graph.province',
  'graph.province.counts',
  'graph.regency',
  'innovation.diffusion',
  'hubImpact',
  'mentoringProgrammes',
];

describe.each(NAMES)('the dashboard operation %s', (name) => {
  it('answers as its golden file, from the statement in its golden file, in one statement', async () => {
    const op = operations.find((o) => o.name === name)!;
    const result = await api.run(op.query, op.variables);
    const data = dataOf(result);
    expect(result.statements).toBe(1);
    golden(`${name}.json`, `${JSON.stringify(data, null, 2)}\n`);
    golden(`${name}.sql`, `${statementOf(op)}\n`);
  });

  it("answers what the floor's hand-written SQL answers", async () => {
    const op = operations.find((o) => o.name === name)!;
    const [{ data: floor }] = await api.sql<{ data: string }>(op.floorSql);
    expect(dataOf(await api.run(op.query, op.variables))).toEqual(JSON.parse(floor));
  });
});

it('has a golden file for every dashboard operation the benchmark times', () => {
  expect(operations.map((o) => o.name).sort()).toEqual([...NAMES].sort());
});

it('answers what the floor answers for every question of the varied operations (provinces, year ranges, kinds, roots, hubs, page sizes)', async () => {
  const varied = dashboardOperations(await operationParameters(api.databaseUrl), true).filter((o) => o.variants);
  expect(varied.map((o) => [o.name, o.variants!.length])).toEqual([
    ['province.regencies', PROVINCES_WITH_AWARDS],
    ['innovations.page', PROVINCES_WITH_AWARDS],
    ['graph.province', 48],
    ['graph.province.counts', 48],
    ['graph.regency', 48],
    ['innovation.diffusion', ROOTS],
    ['hubImpact', HUBS],
    ['mentoringProgrammes', 40],
  ]);
  for (const op of varied) {
    for (const variant of op.variants!) {
      const [{ data: floor }] = await api.sql<{ data: string }>(variant.floorSql);
      expect({ query: variant.query, data: dataOf(await api.run(variant.query, variant.variables)) }).toEqual({ query: variant.query, data: JSON.parse(floor) });
    }
  }
});
