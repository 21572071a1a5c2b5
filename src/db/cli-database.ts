// For command-line tools: the same database the server uses (embedded unless DATABASE_URL), migrated,
// closed when the work is done. Beside a running API the tool uses the API's embedded PostgreSQL and
// leaves it running; only one the tool started itself is stopped.
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { openDatabase } from './database';
import { migrate, openOrm } from './orm';
import { seedReference } from '../../seeds/reference/reference.seeder';

export interface ToolDatabaseOptions {
  /**
   * When to apply the reference seed: `always` for tools that check rows against it (imports), or only
   * when this run created the schema (`when-new`): comparing the whole reference data set takes longer
   * than a `keys list` itself, and the API applies it on every start anyway.
   */
  reference: 'always' | 'when-new';
  log?: (line: string) => void;
}

export async function withDatabase<T>(work: (orm: MikroORM) => Promise<T>, options: ToolDatabaseOptions = { reference: 'always' }): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config, options.log ?? (() => {}));
  try {
    const orm = await openOrm({ clientUrl: database.url, poolMax: config.DB_POOL_MAX, statementTimeoutMs: 0 });
    try {
      const applied = await migrate(orm);
      if (options.reference === 'always' || applied.length > 0) await seedReference(orm);
      return await work(orm);
    } finally {
      await orm.close();
    }
  } finally {
    await database.stop();
  }
}
