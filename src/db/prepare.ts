// A database made ready for the API: the migrations applied and the reference data seeded, on a
// connection of its own that is closed after. Used by whoever prepares a database before any API process
// runs on it: the cluster's primary, the test template, the benchmarks, the fault tests' PostgreSQL.
import { migrate, openOrm } from './orm';
import { seedReference, type SeedResult } from '../../seeds/reference/reference.seeder';

export async function prepareDatabase(url: string): Promise<{ migrations: string[]; seeded: SeedResult }> {
  const orm = await openOrm({ clientUrl: url, poolMax: 2 });
  try {
    const migrations = await migrate(orm);
    const seeded = await seedReference(orm);
    return { migrations, seeded };
  } finally {
    await orm.close();
  }
}
