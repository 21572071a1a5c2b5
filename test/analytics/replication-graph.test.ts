// replicationGraph checked against an independent computation over the raw replication rows.
import { bruteForceGraph, GRAPH_ROWS_SQL, type GraphRow } from '../support/graph-brute-force';
import { dataOf, openTestApi, type TestApi } from '../support/harness';

const GRAPH = `query Graph($level: GraphLevel!, $filter: ReplicationFilter) {
  replicationGraph(level: $level, filter: $filter) {
    level
    nodes { code level outgoing incoming spreadingInnovations }
    edges { source target count byKind { kind count } firstYear lastYear }
    totals { replications innovations regions edges national crossProvinceShare }
  }
}`;

describe('Query.replicationGraph', () => {
  let api: TestApi;
  let rows: GraphRow[];

  beforeAll(async () => {
    api = await openTestApi();
    rows = await api.sql<GraphRow>(GRAPH_ROWS_SQL);
  });
  afterAll(() => api.close());

  it.each(['PROVINCE', 'REGENCY'])('equals a brute-force aggregation of every replication at %s level, in one statement', async (level) => {
    const result = await api.run(GRAPH, { level });
    const graph = dataOf(result).replicationGraph;
    const expected = bruteForceGraph(rows, [], level); // nodes are checked in graph-filters.test.ts
    expect(graph.edges).toEqual(expected.edges);
    expect(graph.totals).toEqual(expected.totals);
    expect(result.statements).toBe(1);
  });

  it('gives each node the sums of its edges', async () => {
    const graph = dataOf(await api.run(GRAPH, { level: 'PROVINCE' })).replicationGraph;
    for (const node of graph.nodes) {
      const out = graph.edges.filter((e: { source: string }) => e.source === node.code);
      const inc = graph.edges.filter((e: { target: string }) => e.target === node.code);
      expect(node.outgoing).toBe(out.reduce((a: number, e: { count: number }) => a + e.count, 0));
      expect(node.incoming).toBe(inc.reduce((a: number, e: { count: number }) => a + e.count, 0));
    }
  });

  it('counts a national scaling-up once, as one edge to the NATIONAL node', async () => {
    const graph = dataOf(await api.run(GRAPH, { level: 'PROVINCE', filter: { adopterScope: ['NATIONAL'] } })).replicationGraph;
    expect(graph.totals.replications).toBe(8);
    expect(graph.totals.national).toBe(8);
    expect(graph.edges.every((e: { target: string }) => e.target === 'NATIONAL')).toBe(true);
    expect(graph.nodes.find((n: { code: string }) => n.code === 'NATIONAL')).toMatchObject({ level: 'NATIONAL', incoming: 8 });
  });

  it('counts a province-wide commitment once, at the province, not once per regency', async () => {
    const graph = dataOf(
      await api.run(GRAPH, { level: 'REGENCY', filter: { adopterScope: ['PROVINCE_WIDE'], adopterProvinceCode: '13' } }),
    ).replicationGraph;
    expect(graph.totals.replications).toBe(5);
    expect(graph.edges.every((e: { target: string }) => e.target === '13')).toBe(true);
    const adoptingRegencies = graph.nodes.filter((n: { level: string; incoming: number }) => n.level === 'REGENCY' && n.incoming > 0);
    expect(adoptingRegencies).toEqual([]);
    expect(graph.nodes.find((n: { code: string }) => n.code === '13')).toMatchObject({ level: 'PROVINCE', incoming: 5 });
  });

  it('matches the replications totalCount for every edge under a filter', async () => {
    const filter = { kind: ['REPLICATION'], yearFrom: 2020, yearTo: 2021 };
    const graph = dataOf(await api.run(GRAPH, { level: 'PROVINCE', filter })).replicationGraph;
    for (const edge of graph.edges.filter((e: { source: string; target: string }) => e.source !== 'NATIONAL' && e.target !== 'NATIONAL')) {
      const list = await api.run(
        `query($f: ReplicationFilter) { replications(filter: $f) { totalCount } }`,
        { f: { ...filter, sourceProvinceCode: edge.source, adopterProvinceCode: edge.target } },
      );
      expect(dataOf(list).replications.totalCount).toBe(edge.count);
    }
    const all = dataOf(await api.run(`query($f: ReplicationFilter) { replications(filter: $f) { totalCount } }`, { f: filter }));
    expect(graph.totals.replications).toBe(all.replications.totalCount);
  });

  it('lists regions without replications when asked, for maps', async () => {
    const graph = dataOf(
      await api.run(`{ replicationGraph(includeIsolated: true) { nodes { code outgoing incoming } } }`),
    ).replicationGraph;
    expect(graph.nodes.filter((n: { code: string }) => n.code !== 'NATIONAL')).toHaveLength(38);
    expect(graph.nodes.find((n: { code: string }) => n.code === '11')).toEqual({ code: '11', outgoing: 0, incoming: 0 });
  });

  it('rejects a malformed filter code as bad input', async () => {
    const result = await api.run(GRAPH, { level: 'PROVINCE', filter: { sourceProvinceCode: 'Jawa' } });
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
