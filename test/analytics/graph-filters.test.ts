// replicationGraph under each filter, nodes included, against a brute-force computation over the rows.
// At PROVINCE level most filters are answered from the rollup, regency filters and the REGENCY level from the
// replications; both must give the same graph the rows give.
import { openTestApi, type TestApi } from '../support/harness';
import { buildNetwork } from '../support/network';

interface Row {
  kind: string;
  status: string;
  year: number;
  adopter_scope: string;
  dataset: string;
  hub: string | null;
  sp: string | null;
  sr: string | null;
  ap: string | null;
  ar: string | null;
  source_id: number;
}
interface InnovationRow {
  province_code: string | null;
  regency_code: string | null;
  dataset: string;
}
type Filter = Partial<{
  kind: string[];
  status: string[];
  adopterScope: string[];
  dataset: string;
  yearFrom: number;
  yearTo: number;
  facilitatingHubCode: string;
  sourceProvinceCode: string;
  adopterProvinceCode: string;
  sourceRegencyCode: string;
  adopterRegencyCode: string;
}>;

const GRAPH = `query Graph($level: GraphLevel!, $filter: ReplicationFilter) {
  replicationGraph(level: $level, filter: $filter) {
    nodes { code level outgoing incoming innovations spreadingInnovations }
    edges { source target count byKind { kind count } firstYear lastYear }
    totals { replications innovations regions national crossProvinceShare }
  }
}`;

function matches(r: Row, f: Filter): boolean {
  return (
    (!f.kind || f.kind.includes(r.kind)) &&
    (!f.status || f.status.includes(r.status)) &&
    (!f.adopterScope || f.adopterScope.includes(r.adopter_scope)) &&
    (!f.dataset || f.dataset === r.dataset) &&
    (f.yearFrom === undefined || r.year >= f.yearFrom) &&
    (f.yearTo === undefined || r.year <= f.yearTo) &&
    (!f.facilitatingHubCode || f.facilitatingHubCode === r.hub) &&
    (!f.sourceProvinceCode || f.sourceProvinceCode === r.sp) &&
    (!f.adopterProvinceCode || f.adopterProvinceCode === r.ap) &&
    (!f.sourceRegencyCode || f.sourceRegencyCode === r.sr) &&
    (!f.adopterRegencyCode || f.adopterRegencyCode === r.ar)
  );
}

function endpoint(level: string, province: string | null, regency: string | null) {
  if (level === 'REGENCY' && regency) return { code: regency, level: 'REGENCY' };
  return province ? { code: province, level: 'PROVINCE' } : { code: 'NATIONAL', level: 'NATIONAL' };
}

function bruteForce(all: Row[], innovations: InnovationRow[], level: string, filter: Filter) {
  const rows = all.filter((r) => matches(r, filter));
  const edges = new Map<string, { source: string; target: string; count: number; kinds: Map<string, number>; first: number; last: number }>();
  const nodes = new Map<string, { code: string; level: string; outgoing: number; incoming: number; spreading: Set<number> }>();
  const node = (e: { code: string; level: string }) => {
    const found = nodes.get(e.code) ?? { ...e, outgoing: 0, incoming: 0, spreading: new Set<number>() };
    nodes.set(e.code, found);
    return found;
  };
  for (const r of rows) {
    const source = endpoint(level, r.sp, r.sr);
    const target = endpoint(level, r.ap, r.ar);
    const key = `${source.code}>${target.code}`;
    const edge = edges.get(key) ?? { source: source.code, target: target.code, count: 0, kinds: new Map(), first: r.year, last: r.year };
    edge.count += 1;
    edge.kinds.set(r.kind, (edge.kinds.get(r.kind) ?? 0) + 1);
    edge.first = Math.min(edge.first, r.year);
    edge.last = Math.max(edge.last, r.year);
    edges.set(key, edge);
    const s = node(source);
    s.outgoing += 1;
    s.spreading.add(r.source_id);
    node(target).incoming += 1;
  }
  const innovationsAt = (n: { code: string; level: string }) =>
    innovations.filter(
      (i) =>
        (!filter.dataset || i.dataset === filter.dataset) &&
        (n.level === 'REGENCY'
          ? i.regency_code === n.code
          : n.level === 'PROVINCE'
            ? i.province_code === n.code && (level === 'PROVINCE' || i.regency_code === null)
            : i.province_code === null),
    ).length;
  const both = rows.filter((r) => r.sp !== null && r.ap !== null);
  return {
    nodes: [...nodes.values()]
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((n) => ({ code: n.code, level: n.level, outgoing: n.outgoing, incoming: n.incoming, innovations: innovationsAt(n), spreadingInnovations: n.spreading.size })),
    edges: [...edges.values()]
      .map((e) => ({
        source: e.source,
        target: e.target,
        count: e.count,
        byKind: ['REPLICATION', 'SCALING_UP', 'DISSEMINATION'].filter((k) => e.kinds.has(k)).map((kind) => ({ kind, count: e.kinds.get(kind) })),
        firstYear: e.first,
        lastYear: e.last,
      }))
      .sort((a, b) => b.count - a.count || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : 1)),
    totals: {
      replications: rows.length,
      innovations: new Set(rows.map((r) => r.source_id)).size,
      regions: nodes.size,
      national: rows.filter((r) => r.adopter_scope === 'NATIONAL').length,
      crossProvinceShare: both.length ? both.filter((r) => r.sp !== r.ap).length / both.length : null,
    },
  };
}

describe('Query.replicationGraph under filters', () => {
  let api: TestApi;
  let rows: Row[];
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
    rows = await api.sql<Row>(
      `select r.kind, r.status, r.year, r.adopter_scope, r.dataset, h.province_code as hub, r.source_province_code as sp,
              r.source_regency_code as sr, r.adopter_province_code as ap, r.adopter_regency_code as ar, r.source_id
         from replication r left join hub h on h.id = r.facilitating_hub_id`,
    );
    innovations = await api.sql<InnovationRow>('select province_code, regency_code, dataset from innovation');
    const count = (pick: (r: Row) => string | null) => {
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

  const FILTERS: [string, (b: typeof busy) => Filter][] = [
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
      const expected = bruteForce(rows, innovations, level, filter);
      expect(expected.totals.replications).toBeGreaterThan(0);
      expect(result.body).toEqual({ data: { replicationGraph: expected } });
      expect(result.statements).toBe(1);
    });
  }

  it('answers the counts without the distinct innovations when they are not selected', async () => {
    const lean = await api.run(`{ replicationGraph { nodes { code outgoing incoming } totals { replications regions } } }`);
    const full = bruteForce(rows, innovations, 'PROVINCE', {});
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
