// npm run bench: loads the DEMO network, starts the API, the floor and Apollo Server answering with the
// floor's SQL, checks they give the same answers, then times every dashboard operation against the floor
// in interleaved rounds. Prints a table and writes JSON (bench/results/) so runs can be compared.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { Command, Option } from 'commander';
import { prepareDatabase } from '../src/db/prepare';
import { loadedDemo, seedDemo } from '../seeds/demo/demo.seeder';
import { removeDemo } from '../seeds/demo/remove';
import { DEMO_SCALE_NAMES, type DemoScaleName } from '../seeds/demo/scale';
import { load, peakRssMiB, positiveInt, spread, summarize, type Asked, type Sample } from './measure';
import { benchDatabase as database, operationParameters as parameters } from './database';
import { dashboardOperations, type Operation } from './operations';
import { startApi, startApolloFloor, startFloor } from './processes';
import { printReport, type OperationResult, type Report } from './report';
import { measureEvents, printEvents, type EventsReport } from './events';
import { measureWriteCost, printWriteCost, type WriteCostReport } from './write-cost';

interface Options {
  scale: DemoScaleName;
  seed: number;
  seconds: number;
  rounds: number;
  concurrency: number[];
  /** API processes (WORKERS) to time the uncached API with; the first is the table's "api". */
  workers: number[];
  only?: string[];
  json?: string;
  /** Measure the change events (commander's --no-events turns it off). */
  events: boolean;
  /** Only the change events: no dashboard operation is timed. */
  eventsOnly?: boolean;
  /** A different question with every request, for every operation that takes an argument (default: at x10). */
  vary?: boolean;
  /** Measure what the graph rollups cost an import (commander's --no-write-cost turns it off). */
  writeCost: boolean;
}

const ROOT = path.resolve(__dirname, '..', '..');


async function prepare(url: string, options: Options): Promise<Report['load']> {
  await prepareDatabase(url);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const loaded = await loadedDemo(client);
    if (loaded && loaded.scale === options.scale && loaded.seed === options.seed) {
      return { scale: options.scale, seed: options.seed, reused: true, rows: 0, seconds: 0, rowsPerSecond: null };
    }
    if (loaded !== undefined) await removeDemo(client);
    const started = Date.now();
    const result = await seedDemo(client, { scale: options.scale, seed: options.seed, log: (line) => console.error(line) });
    const seconds = (Date.now() - started) / 1000;
    await client.query('analyze');
    const rows = result.tables.reduce((sum, t) => sum + t.rows, 0);
    return { scale: options.scale, seed: options.seed, reused: false, rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    await client.end();
  }
}

function canonical(text: string): string {
  return JSON.stringify((JSON.parse(text) as { data: unknown }).data);
}

async function post(url: string, body: string): Promise<string> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return response.text();
}

async function main(options: Options): Promise<void> {
  const db = await database(options.scale);
  const report: Report = {
    startedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    settings: { seconds: options.seconds, rounds: options.rounds, concurrency: options.concurrency, workers: options.workers },
    load: await prepare(db.url, options),
    coldStartMs: 0,
    peakRssMiB: null,
    fixedCost: null,
    rateLimitCost: null,
    operations: [],
  };
  const params = await parameters(db.url);
  const vary = options.vary ?? options.scale === 'x10';
  report.settings.varied = vary;
  let events: EventsReport | undefined;
  let writeCost: WriteCostReport | undefined;
  // Two APIs: without the response cache (every request does the work) and as configured by default
  // (anonymous answers cached for 30 s), so both numbers come from the same run.
  // Rate limits off, and heavy statements per caller up to the overall bound: the load generator is one
  // client on purpose (deployed, one caller runs two heavy statements at once: docs/operations.md).
  const unlimited = { RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0', HEAVY_STATEMENTS_PER_CALLER: '100' };
  const operations = dashboardOperations(params, vary).filter((op) => !options.eventsOnly && (!options.only || options.only.includes(op.name)));
  // The shared rate limit's price: budgets on (one upsert in PostgreSQL per operation) against off.
  if (!options.eventsOnly) report.rateLimitCost = await rateLimitCost(db.url, operations[0], options);
  const [firstWorkers, ...moreWorkers] = options.workers;
  const api = await startApi(db.url, { ...unlimited, RESPONSE_CACHE_SECONDS: '0', WORKERS: String(firstWorkers) });
  const scaled: { workers: number; api: Awaited<ReturnType<typeof startApi>> }[] = [];
  for (const workers of moreWorkers) scaled.push({ workers, api: await startApi(db.url, { ...unlimited, RESPONSE_CACHE_SECONDS: '0', WORKERS: String(workers) }) });
  const cachedApi = await startApi(db.url, { ...unlimited, RESPONSE_CACHE_SECONDS: '30' });
  const floor = await startFloor(db.url, params, vary);
  const apolloFloor = await startApolloFloor(db.url, params, vary);
  report.coldStartMs = api.startMs;
  try {
    if (!options.eventsOnly) {
      const ping = (server: typeof floor) => ({ url: `${server.url}/ping`, pid: server.child.pid! });
      report.fixedCost = await fixedCost({ url: api.url, pid: api.child.pid! }, ping(floor), ping(apolloFloor), options);
    }
    for (const op of operations) {
      const route = (server: typeof floor) => ({ url: `${server.url}/${encodeURIComponent(op.name)}`, pid: server.child.pid! });
      const targets = {
        api: { url: api.url, pid: api.child.pid! },
        cached: { url: cachedApi.url, pid: cachedApi.child.pid! },
        floor: route(floor),
        apollo: route(apolloFloor),
      };
      const more = scaled.map(({ workers, api: other }) => ({ workers, target: { url: other.url, pid: other.child.pid! } }));
      report.operations.push(await measure(op, targets, more, options));
    }
    report.peakRssMiB = peakRssMiB(api.child.pid!);
    if (options.writeCost && !options.eventsOnly && !options.only) {
      console.error('write cost: an import of replications with the graph rollups kept and not');
      writeCost = await measureWriteCost(db.url, { rows: 5_000, rounds: 3 });
    }
    if (options.events) {
      console.error('change events: write-to-subscriber, write-to-other-process cache, import throughput');
      events = await measureEvents(db.url, { uncached: api.url, cached: cachedApi.url }, { samples: 50, importRows: 5_000, rounds: 3 });
    }
  } finally {
    await api.stop();
    for (const { api: other } of scaled) await other.stop();
    await cachedApi.stop();
    await floor.stop();
    await apolloFloor.stop();
    await db.stop();
  }
  printReport(report);
  if (writeCost) printWriteCost(writeCost);
  if (events) printEvents(events);
  const file = options.json ?? path.join(ROOT, 'bench', 'results', `${report.startedAt.replace(/[:.]/g, '-')}-${options.scale}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ ...report, writeCost, events }, null, 2)}\n`);
  console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
}

interface Target {
  url: string;
  pid: number;
}

/** What each target is asked for an operation: its one question, or its varied ones in turn. */
function askedOf(op: Operation, target: Target, floor: boolean): Asked {
  const bodyOf = (q: { query: string; variables: Record<string, unknown> }) => JSON.stringify({ query: q.query, variables: q.variables });
  const turns = op.variants?.map((variant, i) => ({ url: floor ? `${target.url}/${i}` : target.url, body: bodyOf(variant) }));
  return { url: turns ? turns[0].url : target.url, body: turns ? turns[0].body : bodyOf(op), turns };
}

async function measure(
  op: Operation,
  targets: { api: Target; cached: Target; floor: Target; apollo: Target },
  scaled: { workers: number; target: Target }[],
  options: Options,
): Promise<OperationResult> {
  const asked = {
    api: askedOf(op, targets.api, false),
    cached: askedOf(op, targets.cached, false),
    floor: askedOf(op, targets.floor, true),
    apollo: askedOf(op, targets.apollo, true),
  };
  const scaledAsked = scaled.map(({ target }) => askedOf(op, target, false));
  // Every question is checked before any is timed.
  const questions = asked.api.turns ?? [asked.api];
  let sqlStatements: number | null = null;
  let bytes = 0;
  for (const [i, question] of questions.entries()) {
    const apiText = await post(question.url, question.body);
    const cachedText = await post((asked.cached.turns ?? [asked.cached])[i].url, question.body);
    const floorText = await post((asked.floor.turns ?? [asked.floor])[i].url, question.body);
    const apolloText = await post((asked.apollo.turns ?? [asked.apollo])[i].url, question.body);
    const parsed = JSON.parse(apiText) as { errors?: unknown; extensions?: { sqlStatements?: number } };
    sqlStatements = Math.max(sqlStatements ?? 0, parsed.extensions?.sqlStatements ?? 0);
    bytes = Math.max(bytes, Buffer.byteLength(floorText));
    const disagree = [apiText, cachedText, apolloText].some((text) => canonical(text) !== canonical(floorText));
    if (parsed.errors || disagree) {
      console.error(
        `${op.name}: an answer differs from the floor's; not timed.\n  asked: ${question.body.slice(0, 300)}\n  api:   ${apiText.slice(0, 400)}\n` +
          `  floor: ${floorText.slice(0, 400)}\n  apollo with the floor's SQL: ${apolloText.slice(0, 400)}`,
      );
      return { name: op.name, description: op.description, sqlStatements, matches: false, byConcurrency: [] };
    }
  }
  const result: OperationResult = { name: op.name, description: op.description, sqlStatements, matches: true, byConcurrency: [] };
  console.error(`${op.name}: answers match (${questions.length} question${questions.length > 1 ? 's' : ''}, up to ${bytes} bytes); timing`);
  for (const connections of options.concurrency) {
    for (const name of ['api', 'cached', 'floor', 'apollo'] as const) await load(asked[name], connections, 1, targets[name].pid);
    for (const [i, { target }] of scaled.entries()) await load(scaledAsked[i], connections, 1, target.pid);
    const runs: Record<keyof typeof targets, Sample[]> = { api: [], cached: [], floor: [], apollo: [] };
    const scaledRuns = scaled.map(() => [] as Sample[]);
    for (let round = 0; round < options.rounds; round++) {
      for (const name of ['api', 'floor', 'apollo', 'cached'] as const) {
        runs[name].push(await load(asked[name], connections, options.seconds, targets[name].pid));
      }
      for (const [i, { target }] of scaled.entries()) scaledRuns[i].push(await load(scaledAsked[i], connections, options.seconds, target.pid));
    }
    result.byConcurrency.push({
      connections,
      api: summarize(runs.api),
      cached: summarize(runs.cached),
      floor: summarize(runs.floor),
      apollo: summarize(runs.apollo),
      p50Ratio: spread(runs.api.map((run, i) => run.p50 / runs.floor[i].p50)),
      throughputRatio: spread(runs.api.map((run, i) => runs.floor[i].rps / run.rps)),
      cachedP50Ratio: spread(runs.cached.map((run, i) => run.p50 / runs.floor[i].p50)),
      cachedThroughputRatio: spread(runs.cached.map((run, i) => runs.floor[i].rps / run.rps)),
      apolloP50Ratio: spread(runs.apollo.map((run, i) => run.p50 / runs.floor[i].p50)),
      apolloThroughputRatio: spread(runs.apollo.map((run, i) => runs.floor[i].rps / run.rps)),
      workers: scaled.map(({ workers }, i) => ({
        workers,
        api: summarize(scaledRuns[i]),
        // Throughput with this many workers over the first count's, round by round.
        throughputGain: spread(scaledRuns[i].map((run, round) => run.rps / runs.api[round].rps)),
      })),
    });
  }
  return result;
}

/**
 * The part of every request that no SQL can remove: HTTP, Apollo's pipeline, the limits, execution and
 * serialisation for { __typename }, against the floor's HTTP handling of a constant answer and against
 * Apollo Server alone behind that same front (how much of the difference is Apollo's own).
 */
async function fixedCost(api: Target, floor: Target, apollo: Target, options: Options): Promise<Report['fixedCost']> {
  const body = JSON.stringify({ query: '{ __typename }' });
  for (const target of [api, floor, apollo]) await load({ url: target.url, body }, 1, 1, target.pid);
  const runs = { api: [] as Sample[], floor: [] as Sample[], apollo: [] as Sample[] };
  for (let round = 0; round < options.rounds; round++) {
    runs.api.push(await load({ url: api.url, body }, 1, options.seconds, api.pid));
    runs.floor.push(await load({ url: floor.url, body }, 1, options.seconds, floor.pid));
    runs.apollo.push(await load({ url: apollo.url, body }, 1, options.seconds, apollo.pid));
  }
  return { api: summarize(runs.api), floor: summarize(runs.floor), apollo: summarize(runs.apollo) };
}

/** Distinct client addresses of the shared rate limit's many-clients case. */
const RATE_LIMIT_CLIENTS = 1_000;

/**
 * { __typename } and the first operation, at 8 connections, with the shared rate limit off, on for one client
 * address (every operation upserts the same budget row: the worst case for contention) and on for 1,000
 * addresses (X-Forwarded-For), budgets too large to refuse, in interleaved rounds.
 */
async function rateLimitCost(url: string, op: Operation | undefined, options: Options): Promise<Report['rateLimitCost']> {
  const proxied = { RESPONSE_CACHE_SECONDS: '0', TRUST_PROXY_HOPS: '1' };
  const off = await startApi(url, { ...proxied, RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0' });
  const on = await startApi(url, { ...proxied, RATE_LIMIT_ANONYMOUS_POINTS: '1000000000', RATE_LIMIT_KEY_POINTS: '1000000000' });
  const result: NonNullable<Report['rateLimitCost']> = [];
  try {
    const cases = [{ name: '{ __typename }', body: JSON.stringify({ query: '{ __typename }' }) }];
    if (op) cases.push({ name: op.name, body: JSON.stringify({ query: op.query, variables: op.variables }) });
    for (const { name, body } of cases) {
      const runs = { off: [] as Sample[], on: [] as Sample[], onMany: [] as Sample[] };
      const many = (api: { url: string }) => ({ url: api.url, body, clients: RATE_LIMIT_CLIENTS });
      for (const api of [off, on]) await load(many(api), 8, 1, api.child.pid!);
      for (let round = 0; round < options.rounds; round++) {
        runs.off.push(await load(many(off), 8, options.seconds, off.child.pid!));
        runs.on.push(await load({ url: on.url, body }, 8, options.seconds, on.child.pid!));
        runs.onMany.push(await load(many(on), 8, options.seconds, on.child.pid!));
      }
      result.push({ name, off: summarize(runs.off), on: summarize(runs.on), onManyClients: summarize(runs.onMany) });
    }
  } finally {
    await off.stop();
    await on.stop();
  }
  return result;
}

const program = new Command('bench')
  .description('Times the dashboard operations against a hand-written SQL floor on the DEMO network.')
  .addOption(new Option('--scale <scale>', 'DEMO network size').choices(DEMO_SCALE_NAMES).default('national'))
  .option('--seed <int>', 'DEMO generator seed', positiveInt, 1)
  .option('--seconds <n>', 'seconds per timed run', positiveInt, 3)
  .option('--rounds <n>', 'interleaved API/floor rounds per concurrency', positiveInt, 3)
  .option('--concurrency <list>', 'comma-separated connection counts', (v) => v.split(',').map(positiveInt), [1, 8, 32])
  .option('--workers <list>', 'comma-separated API process counts (WORKERS) to time the uncached API with', (v) => v.split(',').map(positiveInt), [1])
  .option('--only <names>', 'comma-separated operation names', (v) => v.split(','))
  .option('--json <file>', 'where to write the JSON results')
  .option('--no-events', 'skip the change events measurements (write-to-subscriber and write-to-cache latency, import throughput)')
  .option('--events-only', 'time only the change events, no dashboard operation')
  .option('--no-write-cost', 'skip measuring what the graph rollups cost an import of replications')
  .option('--vary', 'ask a different question with every request (graphs: year range and kinds; others: province, root, hub, page size), so no cache or joined statement helps (the default at x10)')
  .option('--no-vary', 'ask each operation one fixed question (the default below x10)')
  .action((options: Options) => main(options));

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
