// The national replication network on a map: provinces at their sourced centroids, hubs marked by cohort,
// edges between provinces weighted by replications. Drawn with Observable Plot as SVG, so what a person
// sees (and what the tests count) are groups described "hub markers", "replication edges" (aria-description).
import * as Plot from '@observablehq/plot';
import type { Graph, GraphEdge, ProvinceNode } from './api';

/** Indonesia's extent in degrees: longitude and latitude are drawn to one scale (equirectangular). */
const LON: [number, number] = [94.5, 141.5];
const LAT: [number, number] = [-11.5, 6.5];

export interface DrawnEdge extends GraphEdge {
  from: ProvinceNode;
  to: ProvinceNode;
}

/** The edges a map can draw: between two provinces with a point (spread within a province and national adoptions are totals). */
export function drawableEdges(graph: Graph, provinces: ProvinceNode[]): DrawnEdge[] {
  const byCode = new Map(provinces.filter((p) => p.centroid).map((p) => [p.code, p]));
  return graph.edges.flatMap((edge) => {
    const from = byCode.get(edge.source);
    const to = byCode.get(edge.target);
    return from && to && from !== to ? [{ ...edge, from, to }] : [];
  });
}

export function networkMap(provinces: ProvinceNode[], edges: DrawnEdge[], width: number, onSelect: (code: string) => void): SVGSVGElement | HTMLElement {
  const placed = provinces.filter((p) => p.centroid);
  const hubs = placed.filter((p) => p.hub);
  const others = placed.filter((p) => !p.hub);
  const maxCount = Math.max(1, ...edges.map((e) => e.count));
  const chart = Plot.plot({
    width,
    height: Math.round((width * (LAT[1] - LAT[0])) / (LON[1] - LON[0])) + 40,
    x: { domain: LON, axis: null },
    y: { domain: LAT, axis: null },
    r: { type: 'identity' },
    color: { legend: true, type: 'ordinal', label: 'Hub cohort', scheme: 'Tableau10' },
    marks: [
      Plot.frame({ stroke: '#d0d7de' }),
      Plot.link(edges, {
        x1: (e: DrawnEdge) => e.from.centroid!.lon,
        y1: (e: DrawnEdge) => e.from.centroid!.lat,
        x2: (e: DrawnEdge) => e.to.centroid!.lon,
        y2: (e: DrawnEdge) => e.to.centroid!.lat,
        strokeWidth: (e: DrawnEdge) => 0.75 + (5 * e.count) / maxCount,
        // Heavier edges stand out of a national hairball.
        strokeOpacity: (e: DrawnEdge) => 0.12 + (0.6 * e.count) / maxCount,
        stroke: '#0b3d62',
        markerEnd: 'arrow',
        curve: 'bump-x',
        title: (e: DrawnEdge) => `${e.from.name} → ${e.to.name}: ${e.count} replication${e.count === 1 ? '' : 's'}`,
        ariaDescription: 'replication edges',
      }),
      Plot.dot(others, {
        x: (p: ProvinceNode) => p.centroid!.lon,
        y: (p: ProvinceNode) => p.centroid!.lat,
        r: 4,
        fill: '#8c959f',
        title: (p: ProvinceNode) => `${p.name} (${p.code}): no hub`,
        ariaDescription: 'province markers',
      }),
      Plot.dot(hubs, {
        x: (p: ProvinceNode) => p.centroid!.lon,
        y: (p: ProvinceNode) => p.centroid!.lat,
        r: 8,
        fill: (p: ProvinceNode) => String(p.hub!.cohortYear),
        stroke: 'white',
        symbol: (p: ProvinceNode) => (p.hub!.isPilot ? 'star' : 'circle'),
        title: (p: ProvinceNode) => `${p.name} (${p.code}): hub since ${p.hub!.cohortYear}, ${p.hub!.stage.toLowerCase()}${p.hub!.isPilot ? ', pilot' : ''}`,
        ariaDescription: 'hub markers',
      }),
      Plot.text(hubs, {
        x: (p: ProvinceNode) => p.centroid!.lon,
        y: (p: ProvinceNode) => p.centroid!.lat,
        text: 'code',
        dy: -13,
        fontSize: 10,
        fill: '#24292f',
        ariaDescription: 'hub labels',
      }),
    ],
  });
  // A click on a province (hub or not) opens its panel. Plot draws a mark's elements in its data's order.
  const bind = (label: string, rows: ProvinceNode[]) => {
    chart.querySelectorAll(`g[aria-description="${label}"] > *`).forEach((element, i) => {
      const row = rows[i];
      element.setAttribute('data-code', row.code);
      element.setAttribute('tabindex', '0');
      (element as SVGElement).style.cursor = 'pointer';
      element.addEventListener('click', () => onSelect(row.code));
    });
  };
  bind('hub markers', hubs);
  bind('province markers', others);
  return chart;
}
