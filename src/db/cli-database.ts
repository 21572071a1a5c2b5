// For command-line tools: the same database the server uses (embedded unless DATABASE_URL), migrated and
// with the reference seed in place, closed when the work is done. Beside a running API the tool uses the
// API's embedded PostgreSQL and leaves it running; only one the tool started itself is stopped.
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../config';
import { openDatabase } from './database';
import { migrate, openOrm } from './orm';
import { seedReference } from '../../seeds/reference/reference.seeder';

export async function withDatabase<T>(work: (orm: MikroORM) => Promise<T>, log: (line: string) => void = () => {}): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase(config, log);
  try {
    const orm = await openOrm({ clientUrl: database.url, poolMax: config.DB_POOL_MAX, statementTimeoutMs: 0 });
    try {
      await migrate(orm);
      await seedReference(orm);
      return await work(orm);
    } finally {
      await orm.close();
    }
  } finally {
    await database.stop();
  }
}
