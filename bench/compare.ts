// npm run bench:compare -- --env NAME=VALUE ...: what a setting costs. Times the uncached API as configured
// by default against the same API with the settings given, on the bench's DEMO network, in interleaved
// rounds (e.g. --env DB_PREPARED_STATEMENTS=0 for the price of running behind an old PgBouncer).
import { Command, Option } from 'commander';
import { DEMO_SCALE_NAMES, type DemoScaleName } from '../seeds/demo/scale';
import { benchDatabase, operationParameters } from './database';
import { load, median, positiveInt, type Sample } from './measure';
import { dashboardOperations } from './operations';
import { startApi } from './processes';

interface Options {
  scale: DemoScaleName;
  env: string[];
  only?: string[];
  connections: number;
  seconds: number;
  rounds: number;
}

const f = (n: number, digits = 2) => n.toFixed(digits);

async function main(options: Options): Promise<void> {
  const changed = Object.fromEntries(
    options.env.map((pair) => {
      const at = pair.indexOf('=');
      if (at < 1) throw new Error(`--env takes NAME=VALUE, not "${pair}"`);
      return [pair.slice(0, at), pair.slice(at + 1)];
    }),
  );
  const db = await benchDatabase(options.scale);
  const base = { RESPONSE_CACHE_SECONDS: '0', RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0' };
  const plain = await startApi(db.url, base);
  const varied = await startApi(db.url, { ...base, ...changed });
  try {
    const operations = dashboardOperations(await operationParameters(db.url)).filter((op) => !options.only || options.only.includes(op.name));
    console.log(`default vs ${options.env.join(' ')}; ${options.connections} connections, ${options.rounds} interleaved rounds of ${options.seconds} s (medians)`);
    for (const op of operations) {
      const body = JSON.stringify({ query: op.query, variables: op.variables });
      const runs = { plain: [] as Sample[], varied: [] as Sample[] };
      for (const api of [plain, varied]) await load({ url: api.url, body }, options.connections, 1, api.child.pid!);
      for (let round = 0; round < options.rounds; round += 1) {
        runs.plain.push(await load({ url: plain.url, body }, options.connections, options.seconds, plain.child.pid!));
        runs.varied.push(await load({ url: varied.url, body }, options.connections, options.seconds, varied.child.pid!));
      }
      const m = (samples: Sample[], key: 'rps' | 'p50' | 'p99') => median(samples.map((s) => s[key]));
      const cpu = (samples: Sample[]) => median(samples.map((s) => s.cpuMsPerRequest ?? NaN));
      console.log(
        `${op.name}: default ${f(m(runs.plain, 'rps'), 0)} rps p50 ${f(m(runs.plain, 'p50'))} ms p99 ${f(m(runs.plain, 'p99'))} ms ${f(cpu(runs.plain))} CPU ms; ` +
          `changed ${f(m(runs.varied, 'rps'), 0)} rps p50 ${f(m(runs.varied, 'p50'))} ms p99 ${f(m(runs.varied, 'p99'))} ms ${f(cpu(runs.varied))} CPU ms; ` +
          `throughput x ${f(m(runs.varied, 'rps') / m(runs.plain, 'rps'))}`,
      );
    }
  } finally {
    await plain.stop();
    await varied.stop();
    await db.stop();
  }
}

const program = new Command('bench:compare')
  .description('Times the API with some settings changed against the default, on the DEMO network.')
  .addOption(new Option('--scale <scale>', 'DEMO network size (loaded by npm run bench)').choices(DEMO_SCALE_NAMES).default('national'))
  .requiredOption('--env <pairs...>', 'settings to change, NAME=VALUE')
  .option('--only <names>', 'comma-separated operation names', (v) => v.split(','))
  .option('--connections <n>', 'concurrent connections', positiveInt, 8)
  .option('--seconds <n>', 'seconds per timed run', positiveInt, 3)
  .option('--rounds <n>', 'interleaved rounds', positiveInt, 4)
  .action((options: Options) => main(options));

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
