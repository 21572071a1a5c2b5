// `npm run seed [-- options]`: brings the database up to date (migrations, reference seed), then adds or
// removes the synthetic DEMO network. Opens the database the way the app does (embedded unless DATABASE_URL).
import { Client } from 'pg';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { loadConfig } from '../src/config';
import { openDatabase, type DatabaseHandle } from '../src/db/database';
import { migrate, openOrm } from '../src/db/orm';
import { DemoAlreadyLoadedError, MAX_SEED, seedDemo } from './demo/demo.seeder';
import { consoleProgress } from './demo/progress';
import { DemoStillReferencedError, removeDemo } from './demo/remove';
import { DEMO_SCALES, DEMO_SCALE_NAMES, type DemoScaleName } from './demo/scale';
import { printDemoSummary, printRemoval } from './demo/report';
import { seedReference } from './reference/reference.seeder';

const EXIT_USAGE = 2;
const EXIT_CONFLICT = 3;

interface Options {
  demo?: boolean;
  removeDemo?: boolean;
  scale: DemoScaleName;
  seed: number;
}

function parseSeed(value: string): number {
  const seed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(seed) || seed > MAX_SEED) throw new InvalidArgumentError(`expected an integer from 0 to ${MAX_SEED}.`);
  return seed;
}

function scaleHelp(): string {
  return DEMO_SCALE_NAMES.map((name) => {
    const s = DEMO_SCALES[name];
    return `${name} (${s.innovations.toLocaleString('en-US')} innovations / ${s.replications.toLocaleString('en-US')} replications)`;
  }).join(', ');
}

export function buildProgram(): Command {
  return new Command()
    .name('npm run seed --')
    .description(
      'Applies pending migrations and the reference seed (idempotent; prints what changed).\n' +
        'With --demo, then adds a synthetic DEMO network; with --remove-demo, deletes it.',
    )
    .option('--demo', 'add the synthetic DEMO network (every row tagged dataset DEMO, confidence UNCONFIRMED)')
    .addOption(new Option('--scale <scale>', `size of the DEMO network: ${scaleHelp()}`).choices(DEMO_SCALE_NAMES).default('national'))
    .option('--seed <int>', 'seed of the DEMO generator; the same seed always gives the same network', parseSeed, 1)
    .addOption(new Option('--remove-demo', 'delete every DEMO row, and nothing else').conflicts('demo'))
    .addHelpText(
      'after',
      `
Re-running --demo with the scale and seed already loaded changes nothing. Loading a different scale or
seed over an existing DEMO network is refused: remove it first with --remove-demo.

The database: DATABASE_URL when set, else the embedded PostgreSQL in DATA_DIR (default .data) on
EMBEDDED_PG_PORT (default 54329).

Exit codes: 0 done (or nothing to do); 1 failure; ${EXIT_USAGE} bad arguments; ${EXIT_CONFLICT} refused (another DEMO
network is loaded, or non-DEMO rows point at DEMO rows).

Examples:
  npm run seed
  npm run seed -- --demo --scale national --seed 7
  npm run seed -- --remove-demo`,
    )
    .exitOverride();
}

function checkCombination(program: Command, options: Options): void {
  const given = (name: string) => program.getOptionValueSource(name) === 'cli';
  if (!options.demo && (given('scale') || given('seed'))) program.error('error: --scale and --seed only apply with --demo', { exitCode: EXIT_USAGE });
}

async function bringUpToDate(url: string): Promise<void> {
  const orm = await openOrm({ clientUrl: url, poolMax: 2 });
  try {
    const applied = await migrate(orm);
    console.log(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');
    const seeded = await seedReference(orm);
    const changed = Object.entries(seeded.tables).filter(([, n]) => n > 0);
    console.log(
      seeded.changed
        ? `reference data: ${seeded.changed} rows inserted or changed (${changed.map(([t, n]) => `${t} ${n}`).join(', ')})`
        : 'reference data: up to date',
    );
  } finally {
    await orm.close();
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url, application_name: 'jipp-seed' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function run(options: Options): Promise<void> {
  const config = loadConfig();
  const database: DatabaseHandle = await openDatabase(config, (line) => console.log(line));
  // Ctrl-C mid-load: stopping PostgreSQL aborts the open transaction, so nothing half-loaded stays behind.
  process.once('SIGINT', () => {
    console.error('interrupted: stopping the database (the open transaction is rolled back)');
    void database.stop().finally(() => process.exit(130));
  });
  try {
    console.log(`database: ${database.description}`);
    await bringUpToDate(database.url);
    if (options.demo) {
      const result = await withClient(database.url, (client) =>
        seedDemo(client, { scale: options.scale, seed: options.seed, progress: consoleProgress(), log: (line) => console.log(line) }),
      );
      printDemoSummary(result);
    }
    if (options.removeDemo) printRemoval(await withClient(database.url, removeDemo));
  } finally {
    await database.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    program.parse(argv);
    const options = program.opts<Options>();
    checkCombination(program, options);
    await run(options);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_USAGE;
    if (error instanceof DemoAlreadyLoadedError || error instanceof DemoStillReferencedError) {
      console.error(`error: ${error.message}`);
      return EXIT_CONFLICT;
    }
    console.error('error:', error instanceof Error ? (error.stack ?? error.message) : error);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv).then((code) => process.exit(code));
}
