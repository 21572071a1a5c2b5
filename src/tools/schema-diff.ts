// Prints the SQL that would bring a database up to the entities (npm run build first). For writing a
// new migration: apply the existing migrations to a scratch database, run this, review, copy.
import { loadConfig } from '../config';
import { openOrm } from '../db/orm';

async function main(): Promise<void> {
  const url = loadConfig().DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a scratch database migrated to the latest migration.');
  const orm = await openOrm({ clientUrl: url });
  try {
    console.log(await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false }));
  } finally {
    await orm.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
