// replicationGraph under each filter, nodes included, against a brute-force computation over the rows.
// At PROVINCE level most filters are answered from the rollup, regency filters and the REGENCY level from the
// replications; both must give the same graph the rows give.
import { openTestApi, type TestApi } from '../support/harness';
import { bruteForceGraph, GRAPH_ROWS_SQL, type GraphFilter, type GraphRow, type InnovationRow } from '../support/graph-brute-force';
import { buildNetwork } from '../support/network';

const GRAPH = `query Graph($level: GraphLevel!, $filter: ReplicationFilter) {
  replicationGraph(level: $level, filter: $filter) {
    nodes { code level outgoing incoming innovations spreadingInnovations }
    edges { source target count byKind { kind count } firstYear lastYear }
    totals { replications innovations regions national crossProvinceShare }
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
