// /explore: a dashboard built only on the public API, as a dashboard team would build one. The network
// map with its filters, a province's panel (statistics series, hub impact), an innovation's diffusion
// tree and timeline, and the published headline numbers.
import './explore.css';
import { DIFFUSION, GRAPH, graphql, OPENING, PROVINCE_PANEL, type Graph, type GraphFilter, type ProvinceNode, type ReferenceCount } from './api';
import { diffusionTree, impactChart, registrationsChart, seriesChart, timelineChart, type DiffusionNode, type HubImpact, type SeriesYear, type TimelineYear } from './charts';
import { drawableEdges, networkMap } from './network';

const KINDS = ['REPLICATION', 'SCALING_UP', 'DISSEMINATION'];
const STATUSES = ['PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED'];
const DATASETS = ['REFERENCE', 'IMPORTED', 'DEMO'];
const YEARS = Array.from({ length: 2026 - 2014 + 1 }, (_, i) => 2014 + i);

interface ProvincePanel {
  province: {
    code: string;
    name: string;
    isHub: boolean;
    hub: { cohortYear: number; stage: string } | null;
    statistics: {
      innovations: number;
      replicationsOut: number;
      replicationsIn: number;
      adoptionRate: number | null;
      series: SeriesYear[];
      topInnovations: { adoptions: number; innovation: { id: string; title: string } }[];
    };
  } | null;
  hubImpact: HubImpact | null;
}

interface DiffusionAnswer {
  innovation: {
    id: string;
    title: string;
    diffusion: {
      depth: number;
      adoptions: number;
      truncated: boolean;
      reach: { regencies: number; provinces: number; national: boolean };
      nodes: DiffusionNode[];
      timeline: TimelineYear[];
    };
  } | null;
}

/** An element with attributes and children, without innerHTML (nothing from the API is parsed as HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

function select(id: string, label: string, options: [string, string][]): HTMLSelectElement {
  const s = el('select', { id, 'aria-label': label });
  for (const [value, text] of options) s.append(el('option', { value }, text));
  return s;
}

const main = document.getElementById('explore')!;
const state: { provinces: ProvinceNode[]; selected: string | null } = { provinces: [], selected: null };

const yearFrom = select('year-from', 'From year', [['', 'any year'], ...YEARS.map((y): [string, string] => [String(y), String(y)])]);
const yearTo = select('year-to', 'To year', [['', 'any year'], ...YEARS.map((y): [string, string] => [String(y), String(y)])]);
const kind = select('kind', 'Kind', [['', 'every kind'], ...KINDS.map((k): [string, string] => [k, k.toLowerCase().replace('_', ' ')])]);
const status = select('status', 'Status', [['', 'every status'], ...STATUSES.map((s): [string, string] => [s, s.toLowerCase()])]);
const dataset = select('dataset', 'Dataset', [['', 'every dataset'], ...DATASETS.map((d): [string, string] => [d, d.toLowerCase()])]);
const provincePicker = select('province', 'Province', []);

const mapBox = el('div', { id: 'map', 'aria-live': 'polite' });
const totalsBox = el('p', { id: 'totals' });
const headlineBox = el('section', { id: 'headlines', 'aria-label': 'Headline numbers' });
const panelBox = el('section', { id: 'province-panel', 'aria-label': 'Province' });
const diffusionBox = el('section', { id: 'diffusion', 'aria-label': 'Diffusion' });
const errorBox = el('p', { id: 'error', role: 'alert', hidden: '' });

function filter(): GraphFilter {
  const f: GraphFilter = {};
  if (yearFrom.value) f.yearFrom = Number(yearFrom.value);
  if (yearTo.value) f.yearTo = Number(yearTo.value);
  if (kind.value) f.kind = [kind.value];
  if (status.value) f.status = [status.value];
  if (dataset.value) f.dataset = dataset.value;
  return f;
}

function fail(error: unknown): void {
  errorBox.hidden = false;
  errorBox.textContent = error instanceof Error ? error.message : String(error);
}

/** The province whose innovations spread most in the graph: the panel a visitor sees first. */
function busiestSource(graph: Graph): string | null {
  const out = new Map<string, number>();
  for (const e of graph.edges) if (/^\d{2}$/.test(e.source)) out.set(e.source, (out.get(e.source) ?? 0) + e.count);
  return [...out.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
}

function fetchGraph(): Promise<Graph> {
  return graphql<{ replicationGraph: Graph }>(GRAPH, { filter: filter() }).then((answer) => answer.replicationGraph);
}

async function drawNetwork(pending = fetchGraph()): Promise<Graph> {
  mapBox.setAttribute('aria-busy', 'true');
  const replicationGraph = await pending;
  const edges = drawableEdges(replicationGraph, state.provinces);
  const hubs = state.provinces.filter((p) => p.hub && p.centroid).length;
  const t = replicationGraph.totals;
  mapBox.replaceChildren(networkMap(state.provinces, edges, Math.min(1100, main.clientWidth || 1100), (code) => void openProvince(code)));
  const share = t.crossProvinceShare == null ? 'n/a' : `${Math.round(t.crossProvinceShare * 100)}%`;
  totalsBox.replaceChildren(
    el('span', { 'data-testid': 'edge-count' }, `${edges.length}`),
    ` edges between provinces drawn · `,
    el('span', { 'data-testid': 'hub-count' }, `${hubs}`),
    ` hubs · ${t.replications.toLocaleString('en')} replications of ${t.innovations.toLocaleString('en')} innovations · ${t.national} national · ${share} cross-province`,
  );
  mapBox.setAttribute('aria-busy', 'false');
  return replicationGraph;
}

function drawHeadlines(counts: ReferenceCount[]): void {
  const kipp = counts.filter((c) => c.measure === 'KIPP_REGISTRATIONS' && c.year != null).map((c) => ({ year: c.year!, value: c.value }));
  const jippnas = counts.find((c) => c.measure === 'JIPPNAS_RECORDS');
  const sources = [...new Set(counts.flatMap((c) => c.provenance.sources.map((s) => s.url ?? s.label)))];
  headlineBox.replaceChildren(
    el('h2', {}, 'Headline numbers'),
    el(
      'div',
      { class: 'figures' },
      el('div', { class: 'figure' }, el('strong', { 'data-testid': 'jippnas-records' }, jippnas ? jippnas.value.toLocaleString('en') : '–'), el('span', {}, 'JIPPNas records')),
      el('div', { class: 'figure' }, el('strong', {}, kipp.length ? kipp[kipp.length - 1].value.toLocaleString('en') : '–'), el('span', {}, `KIPP registrations ${kipp[kipp.length - 1]?.year ?? ''}`)),
    ),
    registrationsChart(kipp),
    el('p', { class: 'source' }, `Published figures (confidence: ${[...new Set(counts.map((c) => c.provenance.confidence.toLowerCase()))].join(', ')}). Sources: `, ...sources.flatMap((s, i) => [i ? ', ' : '', el('a', { href: s }, new URL(s).hostname)])),
  );
}

async function openProvince(code: string): Promise<void> {
  state.selected = code;
  provincePicker.value = code;
  panelBox.setAttribute('aria-busy', 'true');
  const { province, hubImpact } = await graphql<ProvincePanel>(PROVINCE_PANEL, { code });
  if (!province) return;
  const s = province.statistics;
  const title = el('h2', { 'data-testid': 'province-name' }, `${province.name} (${province.code})`);
  const facts = el(
    'p',
    {},
    `${province.hub ? `Hub since ${province.hub.cohortYear} (${province.hub.stage.toLowerCase()}). ` : 'No hub. '}` +
      `${s.innovations} innovations · ${s.replicationsOut} replications out · ${s.replicationsIn} in` +
      (s.adoptionRate == null ? '' : ` · ${Math.round(s.adoptionRate * 100)}% of regencies adopting`),
  );
  const top = el('ol', { class: 'top' });
  for (const t of s.topInnovations) {
    const button = el('button', { type: 'button', 'data-innovation': t.innovation.id }, `${t.innovation.title} (${t.adoptions})`);
    button.addEventListener('click', () => void openDiffusion(t.innovation.id).catch(fail));
    top.append(el('li', {}, button));
  }
  const impact = hubImpact
    ? el('figure', {}, el('figcaption', {}, `Hub impact: ${hubImpact.hubBefore.toFixed(1)} → ${hubImpact.hubAfter.toFixed(1)} adoptions a year; comparison ${hubImpact.comparisonBefore?.toFixed(1) ?? 'n/a'} → ${hubImpact.comparisonAfter?.toFixed(1) ?? 'n/a'}`), impactChart(hubImpact))
    : el('p', {}, 'No hub: no impact to show.');
  panelBox.replaceChildren(
    title,
    facts,
    el('div', { class: 'charts' }, el('figure', {}, el('figcaption', {}, 'Per year'), s.series.length ? seriesChart(s.series) : el('p', {}, 'No activity recorded.')), impact),
    el('h3', {}, 'Most adopted innovations (open the diffusion tree)'),
    top,
  );
  panelBox.setAttribute('aria-busy', 'false');
  if (s.topInnovations.length) await openDiffusion(s.topInnovations[0].innovation.id);
  else diffusionBox.replaceChildren();
}

async function openDiffusion(id: string): Promise<void> {
  diffusionBox.setAttribute('aria-busy', 'true');
  const { innovation } = await graphql<DiffusionAnswer>(DIFFUSION, { id });
  if (!innovation) return;
  const d = innovation.diffusion;
  diffusionBox.replaceChildren(
    el('h2', { 'data-testid': 'diffusion-title', 'data-innovation': innovation.id }, `Diffusion of ${innovation.title}`),
    el(
      'p',
      {},
      `${d.adoptions} adoptions over ${d.depth} generation${d.depth === 1 ? '' : 's'}, reaching ${d.reach.regencies} regencies in ${d.reach.provinces} provinces${d.reach.national ? ' and the nation' : ''}${d.truncated ? ' (cut at 10 generations)' : ''}.`,
    ),
    el('div', { class: 'charts' }, el('figure', {}, el('figcaption', {}, 'Adoptions per year and in total'), timelineChart(d.timeline))),
    el('figure', { class: 'tree' }, el('figcaption', {}, 'Tree by generation'), diffusionTree(innovation.title, d.nodes)),
  );
  diffusionBox.setAttribute('aria-busy', 'false');
}

async function start(): Promise<void> {
  const started = performance.now();
  // The network's edges do not wait for the provinces: both questions go out at once.
  const pendingGraph = fetchGraph();
  const opening = await graphql<{ provinces: ProvinceNode[]; referenceCounts: ReferenceCount[] }>(OPENING);
  state.provinces = opening.provinces;
  for (const p of opening.provinces) provincePicker.append(el('option', { value: p.code }, `${p.code} ${p.name}`));
  main.replaceChildren(
    el('header', {}, el('h1', {}, 'JIPP replication network'), el('p', {}, 'Built on the public GraphQL API only: ', el('a', { href: '/' }, 'open the explorer'), ' to see the queries.')),
    el('form', { id: 'filters', 'aria-label': 'Filters' }, el('label', {}, 'From ', yearFrom), el('label', {}, 'to ', yearTo), el('label', {}, 'Kind ', kind), el('label', {}, 'Status ', status), el('label', {}, 'Dataset ', dataset), el('label', {}, 'Province ', provincePicker)),
    errorBox,
    el('div', { class: 'top-row' }, el('section', { id: 'network', 'aria-label': 'Network' }, mapBox, totalsBox), headlineBox),
    panelBox,
    diffusionBox,
  );
  drawHeadlines(opening.referenceCounts);
  for (const control of [yearFrom, yearTo, kind, status, dataset]) control.addEventListener('change', () => void drawNetwork().catch(fail));
  provincePicker.addEventListener('change', () => void openProvince(provincePicker.value).catch(fail));
  const graph = await drawNetwork(pendingGraph);
  await openProvince(busiestSource(graph) ?? opening.provinces[0].code);
  main.setAttribute('aria-busy', 'false');
  // The page's own measure of how long it took to open, for docs/performance.md and the browser test.
  main.dataset.openedMs = String(Math.round(performance.now() - started));
}

start().catch(fail);
