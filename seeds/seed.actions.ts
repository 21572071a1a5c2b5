// What `jipp seed` does: brings the database up to date (migrations, reference seed), then adds or removes
// the synthetic DEMO network. Messages and progress go to stderr.
import { Client } from 'pg';
import { say } from '../src/cli/output';
import { CliFailure } from '../src/cli/usage-error';
import { loadConfig } from '../src/config';
import { openDatabase, type DatabaseHandle } from '../src/db/database';
import { migrate, openOrm } from '../src/db/orm';
import { DemoAlreadyLoadedError, seedDemo } from './demo/demo.seeder';
import { consoleProgress } from './demo/progress';
import { DemoStillReferencedError, removeDemo } from './demo/remove';
import type { DemoScaleName } from './demo/scale';
import { printDemoSummary, printRemoval } from './demo/report';
import { seedReference } from './reference/reference.seeder';
import { EXIT_CONFLICT } from './cli';

export interface SeedOptions {
  demo?: boolean;
  removeDemo?: boolean;
  scale: DemoScaleName;
  seed: number;
}

async function bringUpToDate(url: string): Promise<void> {
  const orm = await openOrm({ clientUrl: url, poolMax: 2 });
  try {
    const applied = await migrate(orm);
    say(applied.length ? `migrations applied: ${applied.join(', ')}` : 'migrations: up to date');
    const seeded = await seedReference(orm);
    const changed = Object.entries(seeded.tables).filter(([, n]) => n > 0);
    say(
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

export async function runSeedCommand(options: SeedOptions): Promise<void> {
  const config = loadConfig();
  const database: DatabaseHandle = await openDatabase(config, say);
  // Ctrl-C mid-load: stopping PostgreSQL aborts the open transaction, so nothing half-loaded stays behind.
  process.once('SIGINT', () => {
    say('interrupted: stopping the database (the open transaction is rolled back)');
    void database.stop().finally(() => process.exit(130));
  });
  try {
    say(`database: ${database.description}`);
    await bringUpToDate(database.url);
    if (options.demo) {
      const result = await withClient(database.url, (client) =>
        seedDemo(client, { scale: options.scale, seed: options.seed, progress: consoleProgress(), log: say }),
      );
      printDemoSummary(result, say);
    }
    if (options.removeDemo) printRemoval(await withClient(database.url, removeDemo), say);
  } catch (error) {
    if (error instanceof DemoAlreadyLoadedError || error instanceof DemoStillReferencedError) throw new CliFailure(error.message, EXIT_CONFLICT, { cause: error });
    throw error;
  } finally {
    await database.stop();
  }
}
