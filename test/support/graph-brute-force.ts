// The replication graph computed the slow, obvious way, one pass over the rows, for tests to compare with.

/** The columns the brute force needs; select them as GRAPH_ROWS_SQL does. */
export interface GraphRow {
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
export interface InnovationRow {
  province_code: string | null;
  regency_code: string | null;
  dataset: string;
}
export type GraphFilter = Partial<{
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


function matches(r: GraphRow, f: GraphFilter): boolean {
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

/** How much of the graph to list (the query's arguments beside the filter). */
export type GraphView = Partial<{
  minEdgeCount: number;
  maxEdges: number;
  maxNodes: number;
  foldRegenciesBelow: number;
  /** Every regency code, for the folded counts. */
  regencies: string[];
}>;

function endpointOf(level: string, province: string | null, regency: string | null, kept: Set<string> | null) {
  if (level === 'REGENCY' && regency && (!kept || kept.has(regency))) return { code: regency, level: 'REGENCY' };
  return province ? { code: province, level: 'PROVINCE' } : { code: 'NATIONAL', level: 'NATIONAL' };
}

export function bruteForceGraph(all: GraphRow[], innovations: InnovationRow[], level: string, filter: GraphFilter = {}, view: GraphView = {}) {
  const rows = all.filter((r) => matches(r, filter));
  // Folding: regencies with fewer replications out and in than the threshold are drawn as their province.
  let kept: Set<string> | null = null;
  if (view.foldRegenciesBelow !== undefined) {
    const activity = new Map<string, number>();
    for (const r of rows) for (const code of [r.sr, r.ar]) if (code) activity.set(code, (activity.get(code) ?? 0) + 1);
    kept = new Set([...activity].filter(([, n]) => n >= view.foldRegenciesBelow!).map(([code]) => code));
  }
  const endpoint = (province: string | null, regency: string | null) => endpointOf(level, province, regency, kept);
  const edges = new Map<string, { source: string; target: string; count: number; kinds: Map<string, number>; first: number; last: number }>();
  const nodes = new Map<string, { code: string; level: string; outgoing: number; incoming: number; spreading: Set<number> }>();
  const node = (e: { code: string; level: string }) => {
    const found = nodes.get(e.code) ?? { ...e, outgoing: 0, incoming: 0, spreading: new Set<number>() };
    nodes.set(e.code, found);
    return found;
  };
  for (const r of rows) {
    const source = endpoint(r.sp, r.sr);
    const target = endpoint(r.ap, r.ar);
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
            ? i.province_code === n.code && (level === 'PROVINCE' || i.regency_code === null || (kept !== null && !kept.has(i.regency_code)))
            : i.province_code === null),
    ).length;
  const both = rows.filter((r) => r.sp !== null && r.ap !== null);
  const folded = (n: { code: string; level: string }) =>
    kept && n.level === 'PROVINCE' ? (view.regencies ?? []).filter((code) => code.startsWith(`${n.code}.`) && !kept.has(code)).length : 0;
  const allEdges = [...edges.values()]
    .map((e) => ({
      source: e.source,
      target: e.target,
      count: e.count,
      byKind: ['REPLICATION', 'SCALING_UP', 'DISSEMINATION'].filter((k) => e.kinds.has(k)).map((kind) => ({ kind, count: e.kinds.get(kind) })),
      firstYear: e.first,
      lastYear: e.last,
    }))
    .sort((a, b) => b.count - a.count || (a.source < b.source ? -1 : a.source > b.source ? 1 : a.target < b.target ? -1 : 1));
  const busiest = [...nodes.values()].sort((a, b) => b.outgoing + b.incoming - (a.outgoing + a.incoming) || (a.code < b.code ? -1 : 1));
  const shown = new Set(busiest.slice(0, view.maxNodes ?? busiest.length).map((n) => n.code));
  const listed = allEdges
    .filter((e) => e.count >= (view.minEdgeCount ?? 1) && shown.has(e.source) && shown.has(e.target))
    .slice(0, view.maxEdges ?? allEdges.length);
  return {
    nodes: [...nodes.values()]
      .filter((n) => shown.has(n.code))
      .sort((a, b) => (a.code < b.code ? -1 : 1))
      .map((n) => ({
        code: n.code,
        level: n.level,
        outgoing: n.outgoing,
        incoming: n.incoming,
        innovations: innovationsAt(n),
        spreadingInnovations: n.spreading.size,
        foldedRegencies: folded(n),
      })),
    edges: listed,
    totals: {
      replications: rows.length,
      innovations: new Set(rows.map((r) => r.source_id)).size,
      regions: nodes.size,
      edges: allEdges.length,
      national: rows.filter((r) => r.adopter_scope === 'NATIONAL').length,
      crossProvinceShare: both.length ? both.filter((r) => r.sp !== r.ap).length / both.length : null,
    },
  };
}

/** Every replication with the columns bruteForceGraph reads. */
export const GRAPH_ROWS_SQL = `select r.kind, r.status, r.year, r.adopter_scope, r.dataset, h.province_code as hub, r.source_province_code as sp,
         r.source_regency_code as sr, r.adopter_province_code as ap, r.adopter_regency_code as ar, r.source_id
    from replication r left join hub h on h.id = r.facilitating_hub_id`;
