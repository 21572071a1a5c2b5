// replicationGraph under each filter, nodes included, against a brute-force computation over the rows.
// At PROVINCE level most filters are answered from the rollup, regency filters and the REGENCY level from the
// replications; both must give the same graph the rows give.
import { openTestApi, type TestApi } from '../support/harness';
import { bruteForceGraph, GRAPH_ROWS_SQL, type GraphFilter, type GraphRow, type InnovationRow } from '../support/graph-brute-force';
import { buildNetwork } from '../support/network';

const GRAPH = `query Graph($level: GraphLevel!, $filter: ReplicationFilter, $minEdgeCount: Int = 1, $maxEdges: Int, $maxNodes: Int, $fold: Int) {
  replicationGraph(level: $level, filter: $filter, minEdgeCount: $minEdgeCount, maxEdges: $maxEdges, maxNodes: $maxNodes, foldRegenciesBelow: $fold) {
    nodes { code level outgoing incoming innovations spreadingInnovations foldedRegencies }
    edges { source target count byKind { kind count } firstYear lastYear }
    totals { replications innovations regions edges national crossProvinceShare }
  }
}`;


describe('Query.replicationGraph under filters', () => {
  let api: TestApi;
  let rows: GraphRow[];
  let innovations: InnovationRow[];
  let busy: { sp: string; sr: string; ap: string; ar: string; hub: string };

  beforeAll(async () => {
    api = await openTestApi();
    await buildNetwork(api, 41, 40);
    // Spread statuses, kinds and a facilitating hub over the generated rows, so every filter has something to keep and to drop.
    await api.sql(`update replication set status = (array['PROPOSED','COMMITTED','IMPLEMENTED','INSTITUTIONALIZED'])[1 + id % 4] where dataset = 'DEMO'`);
    await api.sql(`update replication set kind = 'DISSEMINATION' where dataset = 'DEMO' and id % 7 = 0 and adopter_scope <> 'NATIONAL'`);
    await api.sql(
      `update replication set facilitating_hub_id = (select id from hub where province_code = replication.source_province_code and ended_on is null limit 1)
        where dataset = 'DEMO' and id % 2 = 0`,
    );
    rows = await api.sql<GraphRow>(GRAPH_ROWS_SQL);
    innovations = await api.sql<InnovationRow>('select province_code, regency_code, dataset from innovation');
    const count = (pick: (r: GraphRow) => string | null) => {
      const tally = new Map<string, number>();
      for (const r of rows) {
        const key = pick(r);
        if (key) tally.set(key, (tally.get(key) ?? 0) + 1);
      }
      return [...tally.entries()].sort((a, b) => b[1] - a[1])[0][0];
    };
    busy = { sp: count((r) => r.sp), sr: count((r) => r.sr), ap: count((r) => r.ap), ar: count((r) => r.ar), hub: count((r) => r.hub) };
  });
  afterAll(() => api.close());

  const FILTERS: [string, (b: typeof busy) => GraphFilter][] = [
    ['no filter', () => ({})],
    ['status', () => ({ status: ['IMPLEMENTED', 'INSTITUTIONALIZED'] })],
    ['kind and years', () => ({ kind: ['REPLICATION', 'SCALING_UP'], yearFrom: 2016, yearTo: 2021 })],
    ['adopter scope', () => ({ adopterScope: ['REGENCY', 'PROVINCE_WIDE'] })],
    ['dataset', () => ({ dataset: 'REFERENCE' })],
    ['facilitating hub', (b) => ({ facilitatingHubCode: b.hub })],
    ['source and adopter province', (b) => ({ sourceProvinceCode: b.sp, adopterProvinceCode: b.ap })],
    ['source regency', (b) => ({ sourceRegencyCode: b.sr })],
    ['adopter regency', (b) => ({ adopterRegencyCode: b.ar })],
    // Shapes the spread rollup answers: a set of kinds, one dataset, open and closed year ranges, a source region.
    ['one kind, a year range and a source province', (b) => ({ kind: ['SCALING_UP'], yearFrom: 2017, yearTo: 2020, sourceProvinceCode: b.sp })],
    ['two kinds, one dataset, years from', () => ({ kind: ['REPLICATION', 'DISSEMINATION'], dataset: 'DEMO', yearFrom: 2019 })],
    ['years up to, a source regency', (b) => ({ yearTo: 2019, sourceRegencyCode: b.sr })],
  ];

  for (const level of ['PROVINCE', 'REGENCY']) {
    it.each(FILTERS)(`equals the rows at ${level} level, nodes included, under %s, in one statement`, async (_name, make) => {
      const filter = make(busy);
      const result = await api.run(GRAPH, { level, filter });
      const expected = bruteForceGraph(rows, innovations, level, filter);
      expect(expected.totals.replications).toBeGreaterThan(0);
      expect(result.body).toEqual({ data: { replicationGraph: expected } });
      expect(result.statements).toBe(1);
    });
  }

  const VIEWS: [string, string, { minEdgeCount?: number; maxEdges?: number; maxNodes?: number; foldRegenciesBelow?: number }][] = [
    ['PROVINCE', 'the largest edges', { maxEdges: 5 }],
    ['PROVINCE', 'edges of at least 3 between the 6 busiest nodes', { minEdgeCount: 3, maxNodes: 6 }],
    ['REGENCY', 'regencies below 4 folded into their province', { foldRegenciesBelow: 4 }],
    ['REGENCY', 'folded, the 10 busiest nodes, edges of at least 2, at most 8', { foldRegenciesBelow: 3, maxNodes: 10, minEdgeCount: 2, maxEdges: 8 }],
  ];

  it.each(VIEWS)('lists what a %s view asks for (%s), the totals still of the whole graph, in one statement', async (level, _name, view) => {
    const filter = { yearFrom: 2016 };
    const regencies = (await api.sql<{ code: string }>('select code from regency')).map((r) => r.code);
    const { foldRegenciesBelow: fold, ...rest } = view;
    const result = await api.run(GRAPH, { level, filter, ...rest, ...(fold ? { fold } : {}) });
    const expected = bruteForceGraph(rows, innovations, level, filter, { ...view, regencies });
    // The view lists less than the whole graph, and folding moves some regencies.
    expect(expected.edges.length).toBeLessThan(bruteForceGraph(rows, innovations, level, filter).edges.length);
    if (view.foldRegenciesBelow) expect(expected.nodes.some((n) => n.foldedRegencies > 0)).toBe(true);
    expect(result.body).toEqual({ data: { replicationGraph: expected } });
    expect(result.statements).toBe(1);
  });

  it.each([
    [{ level: 'PROVINCE', fold: 3 }, 'foldRegenciesBelow', 'foldRegenciesBelow folds regencies into their province: it applies at level REGENCY only.'],
    [{ level: 'PROVINCE', maxEdges: 0 }, 'maxEdges', 'maxEdges must be at least 1; got 0.'],
    [{ level: 'REGENCY', minEdgeCount: -2 }, 'minEdgeCount', 'minEdgeCount must be at least 1; got -2.'],
    [{ level: 'REGENCY', maxNodes: 0 }, 'maxNodes', 'maxNodes must be at least 1; got 0.'],
    // graphql-js's own refusal, coded as the client's mistake it is.
    [{ level: 'REGENCY', minEdgeCount: null }, undefined, 'Argument "minEdgeCount" of non-null type "Int!" must not be null.'],
  ])('refuses a view it cannot draw: %j', async (variables, argument, message) => {
    const result = await api.run(GRAPH, variables);
    expect(result.body.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, argument: e.extensions?.argument }))).toEqual([
      { message, code: 'BAD_USER_INPUT', argument },
    ]);
  });

  it('answers the counts without the distinct innovations when they are not selected', async () => {
    const lean = await api.run(`{ replicationGraph { nodes { code outgoing incoming } totals { replications regions } } }`);
    const full = bruteForceGraph(rows, innovations, 'PROVINCE');
    expect(lean.body).toEqual({
      data: {
        replicationGraph: {
          nodes: full.nodes.map(({ code, outgoing, incoming }) => ({ code, outgoing, incoming })),
          totals: { replications: full.totals.replications, regions: full.totals.regions },
        },
      },
    });
    expect(lean.statements).toBe(1);
  });
});
