// The benchmark's table and JSON shape.
export interface Summary {
  p50: number;
  p99: number;
  rps: number;
  errors: number;
  cpuMsPerRequest: number | null;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface OperationResult {
  name: string;
  description: string;
  sqlStatements: number | null;
  matches: boolean;
  byConcurrency: {
    connections: number;
    api: Summary;
    cached: Summary;
    floor: Summary;
    /** Apollo Server answering with the floor's statement (bench/apollo-floor.ts): the least a server on Apollo can do. */
    apollo: Summary;
    p50Ratio: Spread;
    throughputRatio: Spread;
    cachedP50Ratio: Spread;
    cachedThroughputRatio: Spread;
    /** The same ratios as p50Ratio and throughputRatio for `apollo`. */
    apolloP50Ratio: Spread;
    apolloThroughputRatio: Spread;
    /** The uncached API with more processes (WORKERS), beyond the first count (which is `api`). */
    workers: { workers: number; api: Summary; throughputGain: Spread }[];
  }[];
}

export interface Report {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string };
  settings: { seconds: number; rounds: number; concurrency: number[]; varied?: boolean; workers: number[] };
  load: { scale: string; seed: number; reused: boolean; rows: number; seconds: number; rowsPerSecond: number | null };
  coldStartMs: number;
  peakRssMiB: number | null;
  /** What a request costs with no SQL at all (c=1): the API answering { __typename }, the floor a constant, Apollo Server alone (bench/apollo-floor.ts). */
  fixedCost: { api: Summary; floor: Summary; apollo: Summary } | null;
  /** { __typename } and the first operation at 8 connections with the shared (PostgreSQL) rate limit off and on. */
  rateLimitCost: { name: string; off: Summary; on: Summary; onManyClients: Summary }[] | null;
  operations: OperationResult[];
}

const f = (n: number | null, digits = 2) => (n === null || Number.isNaN(n) ? '-' : n.toFixed(digits));

export function printReport(report: Report): void {
  const { machine, load } = report;
  console.log(`\nmachine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, node ${machine.node}`);
  console.log(
    load.reused
      ? `DEMO ${load.scale} (seed ${load.seed}): reused, already loaded`
      : `DEMO ${load.scale} (seed ${load.seed}): ${load.rows.toLocaleString('en-US')} rows in ${f(load.seconds, 1)} s (${f(load.rowsPerSecond, 0)} rows/s)`,
  );
  if (report.settings.varied) console.log('varied: a different question with every request (graphs: 48 year ranges and kinds; others: provinces, roots, hubs, page sizes), except provinces+statistics');
  console.log(`API cold start: ${report.coldStartMs} ms; API peak RSS: ${f(report.peakRssMiB, 0)} MiB`);
  if (report.fixedCost) {
    const { api, floor, apollo } = report.fixedCost;
    const line = (s: Summary) => `p50 ${f(s.p50)} ms, ${f(s.rps, 0)} rps, ${f(s.cpuMsPerRequest)} CPU ms`;
    console.log(
      `fixed cost of a request, no SQL, 1 connection: API { __typename } ${line(api)}; ` +
        `Apollo Server alone (the API's schema, nothing else of the API's) ${line(apollo)}; floor (constant answer) ${line(floor)}`,
    );
  }
  for (const { name, off, on, onManyClients: many } of report.rateLimitCost ?? []) {
    console.log(
      `shared rate limit, ${name} at 8 connections: off p50 ${f(off.p50)} ms, ${f(off.rps, 0)} rps, ${f(off.cpuMsPerRequest)} CPU ms; ` +
        `on, 1,000 clients: p50 ${f(many.p50)} ms, ${f(many.rps, 0)} rps, ${f(many.cpuMsPerRequest)} CPU ms (${f(many.rps / off.rps)} of the throughput); ` +
        `on, one client: p50 ${f(on.p50)} ms, ${f(on.rps, 0)} rps, ${f(on.cpuMsPerRequest)} CPU ms (${f(on.rps / off.rps)})`,
    );
  }
  const workerCounts = report.settings.workers.slice(1);
  console.log('');
  const header = ['operation', 'sql', 'conc', 'api p50', 'api p99', 'api rps', 'floor p50', 'floor p99', 'floor rps', 'p50 x (min-max)', 'rps x', 'cpu ms/req', 'apollo+floor p50 x', 'apollo+floor rps x', 'cached p50', 'cached rps', 'cached p50 x', 'cached rps x', ...workerCounts.flatMap((w) => [`rps ${w}w`, `p99 ${w}w`, `rps ${w}w/${report.settings.workers[0]}w`])];
  const rows: string[][] = [];
  for (const op of report.operations) {
    if (!op.matches) {
      rows.push([op.name, String(op.sqlStatements ?? '-'), '-', 'answers differ from the floor: not timed']);
      continue;
    }
    for (const c of op.byConcurrency) {
      if (c.api.errors + c.cached.errors + c.floor.errors + c.apollo.errors > 0) {
        console.log(
          `warning: ${op.name} at ${c.connections} connections had errors (api ${c.api.errors}, cached ${c.cached.errors}, floor ${c.floor.errors}, apollo+floor ${c.apollo.errors})`,
        );
      }
      rows.push([
        op.name,
        String(op.sqlStatements ?? '-'),
        String(c.connections),
        f(c.api.p50),
        f(c.api.p99),
        f(c.api.rps, 0),
        f(c.floor.p50),
        f(c.floor.p99),
        f(c.floor.rps, 0),
        `${f(c.p50Ratio.median)} (${f(c.p50Ratio.min)}-${f(c.p50Ratio.max)})`,
        f(c.throughputRatio.median),
        f(c.api.cpuMsPerRequest),
        f(c.apolloP50Ratio.median),
        f(c.apolloThroughputRatio.median),
        f(c.cached.p50),
        f(c.cached.rps, 0),
        f(c.cachedP50Ratio.median),
        f(c.cachedThroughputRatio.median),
        ...c.workers.flatMap((w) => [f(w.api.rps, 0), f(w.api.p99), f(w.throughputGain.median)]),
      ]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (c ?? '').padEnd(widths[i])).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  rows.forEach((r) => console.log(line(r)));
  console.log(
    '\nlatencies in ms; "p50 x" = API p50 / floor p50 and "rps x" = floor rps / API rps (medians of interleaved rounds; under 1 = faster\n' +
      'than the floor); "api" runs without the response cache, "cached" as deployed by default (anonymous answers cached 30 s);\n' +
      '"apollo+floor" is Apollo Server answering with the floor\'s own statement (bench/apollo-floor.ts), over the floor as for the API\n' +
      '(it joins no statements: a bound on the API only where concurrent requests ask different questions);\n' +
      '"rps Nw" is the uncached API with WORKERS=N, "rps Nw/1w" its throughput over the first count\'s (medians of interleaved rounds).',
  );
}
