// Opens the ORM on a database URL and brings the schema up to date.
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions, type OrmSettings } from '../../mikro-orm.config';

export async function openOrm(settings: OrmSettings): Promise<MikroORM> {
  return MikroORM.init(ormOptions(settings));
}

/**
 * Applies pending migrations; returns the names of those applied. They run on a connection of their own
 * without the statement timeout of `orm`: a backfill reads whole tables (a minute or more at x10).
 */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const migrator = await openOrm({ clientUrl: orm.config.getClientUrl(), poolMax: 1, statementTimeoutMs: 0 });
  try {
    const applied = await migrator.getMigrator().up();
    return applied.map((m) => m.name);
  } finally {
    await migrator.close();
  }
}
