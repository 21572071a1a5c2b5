// Adds the DEMO network to a database that holds the reference data: reads the reference world,
// generates the network from the seed, and loads it in one transaction (all of it or none).
import type { ClientBase } from 'pg';
import { changeSettings, systemActor } from '../../src/changes/change-actor';
import { compactAfterBulkLoad, withSpreadRebuiltAfter } from '../../src/db/rollups';
import { loadDemoNetwork, type TableLoad } from './loader';
import { generateDemoNetwork } from './network';
import { silentProgress, type LoadProgress } from './progress';
import { DEMO_DATASET, parseDemoInstitutionNote } from './provenance';
import { DEMO_LOCK } from './remove';
import { MAX_SEED, type DemoScaleName } from './scale';
import { readDemoWorld } from './world';

export interface DemoSeedOptions {
  scale: DemoScaleName;
  seed: number;
  progress?: LoadProgress;
  log?: (line: string) => void;
}

export interface DemoSeedResult {
  /** `unchanged` when the same scale and seed were already loaded: re-running is a no-op. */
  outcome: 'loaded' | 'unchanged';
  scale: DemoScaleName;
  seed: number;
  generateMs: number;
  tables: TableLoad[];
}

export interface LoadedDemo {
  scale: DemoScaleName;
  seed: number;
}

/** DEMO rows of another scale or seed are loaded already (or DEMO rows this generator did not make). */
export class DemoAlreadyLoadedError extends Error {
  constructor(readonly loaded: LoadedDemo | null) {
    super(
      loaded
        ? `A DEMO network is already loaded (scale ${loaded.scale}, seed ${loaded.seed}). Remove it first: npm run seed -- --remove-demo`
        : 'DEMO rows are already in the database. Remove them first: npm run seed -- --remove-demo',
    );
    this.name = 'DemoAlreadyLoadedError';
  }
}

export { MAX_SEED };

export async function seedDemo(client: ClientBase, options: DemoSeedOptions): Promise<DemoSeedResult> {
  const { scale, seed, progress = silentProgress, log = () => {} } = options;
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) throw new RangeError(`The seed must be an integer from 0 to ${MAX_SEED}`);
  await client.query('begin');
  try {
    await client.query(DEMO_LOCK);
    const loaded = await loadedDemo(client);
    if (loaded !== undefined) {
      if (loaded?.scale !== scale || loaded.seed !== seed) throw new DemoAlreadyLoadedError(loaded);
      await client.query('rollback');
      return { outcome: 'unchanged', scale, seed, generateMs: 0, tables: [] };
    }
    log(`DEMO network: generating scale ${scale} with seed ${seed}`);
    const startedAt = Date.now();
    const network = generateDemoNetwork(await readDemoWorld(client), scale, seed);
    const generateMs = Date.now() - startedAt;
    log(`generated the DEMO network in memory in ${(generateMs / 1000).toFixed(1)} s; loading it`);
    const describe = changeSettings(systemActor('DEMO generator'), 'scope');
    await client.query(describe.text, describe.values);
    const tables = await withSpreadRebuiltAfter((sql) => client.query(sql), () => loadDemoNetwork(client, network, progress));
    await client.query('commit');
    await compactAfterBulkLoad((sql) => client.query(sql));
    return { outcome: 'loaded', scale, seed, generateMs, tables };
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** undefined: no DEMO rows; null: DEMO rows of unknown origin; else the scale and seed loaded. */
export async function loadedDemo(client: ClientBase): Promise<LoadedDemo | null | undefined> {
  const result = await client.query<{ present: boolean; note: string | null }>(
    `select (exists (select 1 from institution where dataset = $1) or exists (select 1 from innovation where dataset = $1)
             or exists (select 1 from replication where dataset = $1) or exists (select 1 from award where dataset = $1)) as present,
            (select note from institution where dataset = $1 order by id limit 1) as note`,
    [DEMO_DATASET],
  );
  const { present, note } = result.rows[0];
  if (!present) return undefined;
  return parseDemoInstitutionNote(note);
}
