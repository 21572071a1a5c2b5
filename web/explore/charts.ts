// The province panel's charts and the diffusion tree, from the API's answers, with Observable Plot.
// Marks are named by ariaDescription on their group (Plot's ariaLabel is a per-element channel).
import * as Plot from '@observablehq/plot';

export interface SeriesYear {
  year: number;
  innovations: number;
  replicationsIn: number;
  replicationsOut: number;
}

export interface ImpactYear {
  year: number;
  hub: number;
  comparisonMean: number;
  period: 'BEFORE' | 'AFTER';
}

export interface HubImpact {
  activeYear: number;
  hubBefore: number;
  hubAfter: number;
  comparisonBefore: number | null;
  comparisonAfter: number | null;
  difference: number | null;
  years: ImpactYear[];
}

export interface DiffusionNode {
  generation: number;
  parentId: string | null;
  replication: {
    id: string;
    year: number;
    kind: string;
    adopter: { scope: string; province: { name: string } | null; regency: { name: string } | null; institution: { name: string } | null };
    adoptedAs: { title: string } | null;
  };
}

export interface TimelineYear {
  year: number;
  adoptions: number;
  cumulative: number;
}

const WIDTH = 460;

/** The statistics series: innovations launched, replications out and in, per year. */
export function seriesChart(series: SeriesYear[]): SVGSVGElement | HTMLElement {
  const long = series.flatMap((s) => [
    { year: s.year, measure: 'innovations', value: s.innovations },
    { year: s.year, measure: 'replications out', value: s.replicationsOut },
    { year: s.year, measure: 'replications in', value: s.replicationsIn },
  ]);
  return Plot.plot({
    width: WIDTH,
    height: 220,
    x: { label: 'year', tickFormat: 'd' },
    y: { label: 'per year', grid: true },
    color: { legend: true },
    marks: [Plot.lineY(long, { x: 'year', y: 'value', stroke: 'measure', marker: 'dot' }), Plot.ruleY([0])],
  });
}

/** Adoptions in the hub province against the mean of comparison provinces, before and after it became a hub. */
export function impactChart(impact: HubImpact): SVGSVGElement | HTMLElement {
  const long = impact.years.flatMap((y) => [
    { year: y.year, who: 'hub province', value: y.hub },
    { year: y.year, who: 'comparison mean', value: y.comparisonMean },
  ]);
  const first = impact.years[0]?.year ?? impact.activeYear;
  const last = impact.years[impact.years.length - 1]?.year ?? impact.activeYear;
  const means = [
    { x1: first, x2: impact.activeYear - 0.5, y: impact.hubBefore, who: 'hub province' },
    { x1: impact.activeYear - 0.5, x2: last, y: impact.hubAfter, who: 'hub province' },
    ...(impact.comparisonBefore == null ? [] : [{ x1: first, x2: impact.activeYear - 0.5, y: impact.comparisonBefore, who: 'comparison mean' }]),
    ...(impact.comparisonAfter == null ? [] : [{ x1: impact.activeYear - 0.5, x2: last, y: impact.comparisonAfter, who: 'comparison mean' }]),
  ];
  return Plot.plot({
    width: WIDTH,
    height: 220,
    x: { label: 'year', tickFormat: 'd' },
    y: { label: 'adoptions per year', grid: true },
    color: { legend: true, domain: ['hub province', 'comparison mean'], range: ['#d1495b', '#8c959f'] },
    marks: [
      Plot.ruleX([impact.activeYear - 0.5], { stroke: '#24292f', strokeDasharray: '4,3' }),
      Plot.text([impact.activeYear - 0.5], { x: (d: number) => d, frameAnchor: 'top', text: () => 'hub from here', dx: 4, textAnchor: 'start' }),
      Plot.lineY(long, { x: 'year', y: 'value', stroke: 'who', strokeOpacity: 0.6, marker: 'dot' }),
      Plot.link(means, { x1: 'x1', x2: 'x2', y1: 'y', y2: 'y', stroke: 'who', strokeWidth: 2.5, ariaDescription: 'before and after means' }),
    ],
  });
}

function adopterName(node: DiffusionNode): string {
  const a = node.replication.adopter;
  const place = a.institution?.name ?? a.regency?.name ?? a.province?.name ?? 'NATIONAL';
  return `${place} ${node.replication.year}${node.replication.adoptedAs ? ` (as ${node.replication.adoptedAs.title})` : ''}`;
}

/** The diffusion tree by generation: the innovation at the root, each adoption under the one it adopted from. */
export function diffusionTree(rootTitle: string, nodes: DiffusionNode[]): SVGSVGElement | HTMLElement {
  const byId = new Map(nodes.map((n) => [n.replication.id, n]));
  const paths = new Map<string, string>();
  // Names may hold "/", Plot's path separator: paths are made of ids, labels are set apart.
  const pathOf = (n: DiffusionNode): string => {
    let path = paths.get(n.replication.id);
    if (!path) {
      const parent = n.parentId ? byId.get(n.parentId) : undefined;
      path = `${parent ? pathOf(parent) : 'root'}/${n.replication.id.replace(/\//g, '_')}`;
      paths.set(n.replication.id, path);
    }
    return path;
  };
  const rows = [{ path: 'root', label: rootTitle }, ...nodes.map((n) => ({ path: pathOf(n), label: adopterName(n) }))];
  const labels = new Map(rows.map((r) => [r.path, r.label]));
  // A wide tree (a national campaign) gets tighter rows, so it stays one readable column.
  const height = Math.max(160, (rows.length > 60 ? 12 : 18) * rows.length);
  const options = { path: 'path' } as const;
  return Plot.plot({
    width: 940,
    height,
    axis: null,
    margin: 10,
    marginLeft: 40,
    marginRight: 260,
    marks: [
      Plot.link(rows, Plot.treeLink({ ...options, stroke: '#8c959f', ariaDescription: 'diffusion links' })),
      Plot.dot(rows, Plot.treeNode({ ...options, fill: '#0b3d62', r: 3.5, ariaDescription: 'diffusion nodes' })),
      Plot.text(
        rows,
        Plot.treeNode({ ...options, text: (d: { path: string }) => labels.get(d.path) ?? '', dx: 7, textAnchor: 'start', fontSize: rows.length > 60 ? 9 : 11, ariaDescription: 'diffusion labels' }),
      ),
    ],
  });
}

/** Adoptions per year and their running total. */
export function timelineChart(timeline: TimelineYear[]): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: WIDTH,
    height: 200,
    x: { label: 'year', tickFormat: 'd', type: 'band' },
    y: { label: 'adoptions', grid: true },
    marks: [
      Plot.barY(timeline, { x: 'year', y: 'adoptions', fill: '#0b3d62', ariaDescription: 'timeline bars' }),
      Plot.line(timeline, { x: 'year', y: 'cumulative', stroke: '#d1495b', marker: 'dot' }),
      Plot.ruleY([0]),
    ],
  });
}

/** KIPP registrations per year, the headline a ministry dashboard opens with. */
export function registrationsChart(rows: { year: number; value: number }[]): SVGSVGElement | HTMLElement {
  return Plot.plot({
    width: WIDTH,
    height: 170,
    x: { label: 'KIPP year', tickFormat: 'd', type: 'band' },
    y: { label: 'registered', grid: true },
    marks: [
      Plot.barY(rows, { x: 'year', y: 'value', fill: '#0b3d62', title: (d: { year: number; value: number }) => `${d.year}: ${d.value}`, ariaDescription: 'registration bars' }),
      Plot.text(rows, { x: 'year', y: 'value', text: (d: { value: number }) => d.value.toLocaleString('en'), dy: -6, fontSize: 9 }),
      Plot.ruleY([0]),
    ],
  });
}
