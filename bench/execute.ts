// npm run bench:exec: runs each dashboard operation in-process (graphql execute, one released context per
// run, no HTTP, no Apollo, no load generator) against the bench database `npm run bench` loaded, and
// prints wall, CPU and garbage-collection time per operation. Without the two cores shared by three
// processes, changes to resolvers, loaders and row reading show up at a few per cent; profile with
// `node --cpu-prof dist/bench/execute.js ...` after `npm run build`.
import { PerformanceObserver } from 'node:perf_hooks';
import { Client } from 'pg';
import { Command, Option } from 'commander';
import { execute, parse, validate, type GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createContext } from '../src/context';
import { openOrm } from '../src/db/orm';
import { countStatements } from '../src/db/statement-counter';
import { getSchema } from '../src/schema';
import { loadedDemo } from '../seeds/demo/demo.seeder';
import { DEMO_SCALE_NAMES, type DemoScaleName } from '../seeds/demo/scale';
import { benchDatabase, operationParameters } from './database';
import { median, positiveInt } from './measure';
import { dashboardOperations, type Operation } from './operations';

interface Options {
  scale: DemoScaleName;
  seconds: number;
  warmup: number;
  rounds: number;
  only?: string[];
}

interface Timing {
  wallMs: number;
  cpuMs: number;
  gcMs: number;
}

let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ['gc'] });

async function runOnce(orm: MikroORM, schema: GraphQLSchema, op: Operation, document: ReturnType<typeof parse>): Promise<number> {
  const tally = { count: 0 };
  const ctx = createContext(orm, { tally });
  try {
    const result = await countStatements(tally, () => execute({ schema, document, variableValues: op.variables, contextValue: ctx }));
    if (result.errors?.length) throw new Error(`${op.name}: ${result.errors[0].message}`);
  } finally {
    ctx.release();
  }
  return tally.count;
}

async function time(orm: MikroORM, schema: GraphQLSchema, op: Operation, document: ReturnType<typeof parse>, runs: number): Promise<Timing> {
  const gcBefore = gcMs;
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) await runOnce(orm, schema, op, document);
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  // GC entries arrive after the collection ends: let the observer catch up before reading the sum.
  await new Promise((resolve) => setImmediate(resolve));
  return { wallMs: wall / runs, cpuMs: (used.user + used.system) / 1000 / runs, gcMs: (gcMs - gcBefore) / runs };
}

async function main(options: Options): Promise<void> {
  const db = await benchDatabase(options.scale);
  const client = new Client({ connectionString: db.url });
  await client.connect();
  const loaded = await loadedDemo(client).finally(() => client.end());
  if (loaded?.scale !== options.scale) {
    await db.stop();
    throw new Error(`The bench database holds no ${options.scale} DEMO network: run \`npm run bench -- --scale ${options.scale}\` once first.`);
  }
  const orm = await openOrm({ clientUrl: db.url });
  try {
    const schema = await getSchema();
    const operations = dashboardOperations(await operationParameters(db.url)).filter((op) => !options.only || options.only.includes(op.name));
    console.log(`in-process, ${options.scale}: per operation ${options.warmup} s of warm-up, then ${options.rounds} rounds of ${options.seconds} s; medians per run\n`);
    console.log('operation             | sql | wall ms | cpu ms | gc ms');
    console.log('----------------------|-----|---------|--------|------');
    for (const op of operations) {
      const document = parse(op.query);
      const invalid = validate(schema, document);
      if (invalid.length) throw new Error(`${op.name}: ${invalid[0].message}`);
      const statements = await runOnce(orm, schema, op, document);
      // Runs sized to the rounds' length. The warm-up matters: CPU per run kept falling for thousands of
      // runs (the JIT, the old generation settling), by a fifth between 300 and 1,500 runs.
      const probe = await time(orm, schema, op, document, 3);
      const runsFor = (seconds: number) => Math.max(3, Math.round((seconds * 1000) / probe.wallMs));
      await time(orm, schema, op, document, runsFor(options.warmup));
      const runs = runsFor(options.seconds);
      const rounds: Timing[] = [];
      for (let r = 0; r < options.rounds; r++) rounds.push(await time(orm, schema, op, document, runs));
      const m = (pick: (t: Timing) => number, width: number) => median(rounds.map(pick)).toFixed(3).padStart(width);
      console.log(`${op.name.padEnd(21)} | ${String(statements).padEnd(3)} | ${m((t) => t.wallMs, 7)} | ${m((t) => t.cpuMs, 6)} | ${m((t) => t.gcMs, 5)}`);
    }
  } finally {
    await orm.close();
    await db.stop();
  }
}

const program = new Command('bench:exec')
  .description('Time the dashboard operations in-process against the bench database (no HTTP, no load generator).')
  .addOption(new Option('--scale <name>', 'which DEMO network').choices(DEMO_SCALE_NAMES).default('national'))
  .option('--seconds <n>', 'length of a round', positiveInt, 3)
  .option('--warmup <n>', 'seconds of runs before the rounds, not counted', positiveInt, 5)
  .option('--rounds <n>', 'rounds per operation', positiveInt, 3)
  .option('--only <names>', 'comma-separated operation names', (v) => v.split(','))
  .action((options: Options) => main(options));

program
  .parseAsync(process.argv)
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
