// Property tests of the paged lists against brute force: random filters, orderings and page sizes over a
// generated network (the DEMO generator at its small scale), each page checked against the rows filtered
// and sorted in JavaScript, and every list walked to its end by cursors, forwards and backwards.
import fc from 'fast-check';
import { Client } from 'pg';
import { seedDemo } from '../../seeds/demo/demo.seeder';
import { dataOf, openTestApi, type TestApi } from '../support/harness';

const RUNS = 40;
/** Pages walked from one end of a list. */
const MAX_PAGES = 4;

interface InnovationRow {
  id: number;
  province_code: string | null;
  regency_code: string | null;
  launch_year: number | null;
  registry: string | null;
  dataset: string;
  has_award: boolean;
  replicated: boolean;
  /** The row's place in the database's title order (its collation decides, not JavaScript's). */
  title_rank: number;
}

interface ReplicationRow {
  id: number;
  source_province_code: string | null;
  adopter_province_code: string | null;
  adopter_scope: string;
  kind: string;
  status: string;
  year: number;
  dataset: string;
}

let api: TestApi;
let innovations: InnovationRow[];
let replications: ReplicationRow[];
let provinces: string[];

beforeAll(async () => {
  api = await openTestApi();
  const client = new Client({ connectionString: api.databaseUrl });
  await client.connect();
  try {
    await seedDemo(client, { scale: 'small', seed: 7, log: () => {} });
  } finally {
    await client.end();
  }
  innovations = await api.sql<InnovationRow>(`select i.id, i.province_code, i.regency_code, i.launch_year, i.registry, i.dataset, i.has_award,
      exists (select 1 from replication r where r.source_id = i.id) as replicated, row_number() over (order by i.title, i.id)::int as title_rank
    from innovation i`);
  replications = await api.sql<ReplicationRow>(
    'select id, source_province_code, adopter_province_code, adopter_scope, kind, status, year, dataset from replication',
  );
  provinces = (await api.sql<{ code: string }>('select code from province order by code')).map((p) => p.code);
}, 120_000);
afterAll(() => api.close());

const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
const year = fc.integer({ min: 2005, max: 2026 });

/** Keeps the defined keys of a filter (the API's input), and the predicate JavaScript checks rows with. */
function compact<T extends object>(filter: T): Partial<T> {
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const innovationFilter = () =>
  fc
    .record({
      provinceCode: maybe(fc.constantFrom(...provinces.slice(0, 12))),
      yearFrom: maybe(year),
      yearTo: maybe(year),
      hasAward: maybe(fc.boolean()),
      registry: maybe(fc.constantFrom('KIPP', 'IGA', 'INOLAN', 'JIPPNAS', 'OTHER')),
      dataset: maybe(fc.constantFrom('REFERENCE', 'DEMO')),
      hasReplications: maybe(fc.boolean()),
    })
    .filter((f) => f.yearFrom === undefined || f.yearTo === undefined || f.yearFrom <= f.yearTo)
    .map(compact);

type InnovationFilter = ReturnType<typeof compact<{ provinceCode?: string; yearFrom?: number; yearTo?: number; hasAward?: boolean; registry?: string; dataset?: string; hasReplications?: boolean }>>;

function matchesInnovation(row: InnovationRow, f: InnovationFilter): boolean {
  return (
    (f.provinceCode === undefined || row.province_code === f.provinceCode) &&
    (f.yearFrom === undefined || (row.launch_year !== null && row.launch_year >= f.yearFrom)) &&
    (f.yearTo === undefined || (row.launch_year !== null && row.launch_year <= f.yearTo)) &&
    (f.hasAward === undefined || row.has_award === f.hasAward) &&
    (f.registry === undefined || row.registry === f.registry) &&
    (f.dataset === undefined || row.dataset === f.dataset) &&
    (f.hasReplications === undefined || row.replicated === f.hasReplications)
  );
}

const ORDER_KEYS: Record<string, (row: InnovationRow) => number[]> = {
  ID: (r) => [r.id],
  TITLE: (r) => [r.title_rank],
  LAUNCH_YEAR: (r) => [r.launch_year ?? 0, r.id],
};

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

const INNOVATIONS = `query($filter: InnovationFilter, $orderBy: InnovationOrder, $first: Int, $after: String, $last: Int, $before: String) {
  innovations(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
    totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

const decodeId = (id: string) => Number(Buffer.from(id, 'base64url').toString('utf8').split(':')[1]);

it('runs over the generated network, not the reference data alone', () => {
  expect(innovations.length).toBeGreaterThan(2_000);
  expect(replications.length).toBeGreaterThan(6_000);
});

describe('Query.innovations against brute force', () => {
  it('pages every filter and ordering from either end through the same rows, counted in full', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(ORDER_KEYS)),
        fc.constantFrom('ASC', 'DESC'),
        fc.integer({ min: 1, max: 100 }),
        fc.boolean(),
        fc.constant(null).chain(innovationFilter),
        async (field, direction, size, backward, filter) => {
          const expected = innovations
            .filter((row) => matchesInnovation(row, filter))
            .sort((a, b) => compare(ORDER_KEYS[field](a), ORDER_KEYS[field](b)) * (direction === 'ASC' ? 1 : -1))
            .map((row) => row.id);
          const seen: number[] = [];
          let cursor: string | null = null;
          // A few pages from one end: the rows they show, in order, are that end of the whole list.
          for (let pages = 0; pages < MAX_PAGES; pages += 1) {
            const variables = backward
              ? { filter, orderBy: { field, direction }, last: size, before: cursor }
              : { filter, orderBy: { field, direction }, first: size, after: cursor };
            const result = await api.run(INNOVATIONS, variables);
            expect(result.statements).toBe(1);
            const page = dataOf(result).innovations;
            expect(page.totalCount).toBe(expected.length);
            const ids = page.nodes.map((n: { id: string }) => decodeId(n.id));
            if (backward) seen.unshift(...ids);
            else seen.push(...ids);
            const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
            if (!more) break;
            cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
          }
          expect(seen).toEqual(backward ? expected.slice(expected.length - seen.length) : expected.slice(0, seen.length));
          expect(seen.length).toBe(Math.min(expected.length, MAX_PAGES * size));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

const replicationFilter = () =>
  fc
    .record({
      sourceProvinceCode: maybe(fc.constantFrom(...provinces.slice(0, 12))),
      adopterProvinceCode: maybe(fc.constantFrom(...provinces.slice(0, 12))),
      kind: maybe(fc.subarray(['REPLICATION', 'SCALING_UP', 'DISSEMINATION'], { minLength: 1 })),
      status: maybe(fc.subarray(['PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED'], { minLength: 1 })),
      adopterScope: maybe(fc.subarray(['NATIONAL', 'PROVINCE', 'PROVINCE_WIDE', 'REGENCY'], { minLength: 1 })),
      yearFrom: maybe(year),
      yearTo: maybe(year),
      dataset: maybe(fc.constantFrom('REFERENCE', 'DEMO')),
    })
    .filter((f) => f.yearFrom === undefined || f.yearTo === undefined || f.yearFrom <= f.yearTo)
    .map(compact);

const REPLICATIONS = `query($filter: ReplicationFilter, $orderBy: ReplicationOrder, $first: Int, $after: String) {
  replications(filter: $filter, orderBy: $orderBy, first: $first, after: $after) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`;

describe('Query.replications against brute force', () => {
  it('pages every filter by id or year through the same rows, counted in full', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('ID', 'YEAR'), fc.constantFrom('ASC', 'DESC'), fc.integer({ min: 1, max: 100 }), replicationFilter(), async (field, direction, size, filter) => {
        const inList = (values: string[] | undefined, value: string) => values === undefined || values.includes(value);
        const key = (r: ReplicationRow) => (field === 'ID' ? [r.id] : [r.year, r.id]);
        const expected = replications
          .filter(
            (r) =>
              (filter.sourceProvinceCode === undefined || r.source_province_code === filter.sourceProvinceCode) &&
              (filter.adopterProvinceCode === undefined || r.adopter_province_code === filter.adopterProvinceCode) &&
              inList(filter.kind, r.kind) &&
              inList(filter.status, r.status) &&
              inList(filter.adopterScope, r.adopter_scope) &&
              (filter.yearFrom === undefined || r.year >= filter.yearFrom) &&
              (filter.yearTo === undefined || r.year <= filter.yearTo) &&
              (filter.dataset === undefined || r.dataset === filter.dataset),
          )
          .sort((a, b) => compare(key(a), key(b)) * (direction === 'ASC' ? 1 : -1))
          .map((r) => r.id);
        const seen: number[] = [];
        let after: string | null = null;
        for (let pages = 0; pages < MAX_PAGES; pages += 1) {
          const page: { totalCount: number; nodes: { id: string }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = dataOf(
            await api.run(REPLICATIONS, { filter, orderBy: { field, direction }, first: size, after }),
          ).replications;
          expect(page.totalCount).toBe(expected.length);
          seen.push(...page.nodes.map((n) => decodeId(n.id)));
          if (!page.pageInfo.hasNextPage) break;
          after = page.pageInfo.endCursor;
        }
        expect(seen).toEqual(expected.slice(0, seen.length));
        expect(seen.length).toBe(Math.min(expected.length, MAX_PAGES * size));
      }),
      { numRuns: RUNS },
    );
  });
});
