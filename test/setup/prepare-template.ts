// Child process of the jest global setup: migrates and seeds the template database given as argument.
import { migrate, openOrm } from '../../src/db/orm';
import { seedReference } from '../../seeds/reference/reference.seeder';

async function main(url: string): Promise<void> {
  const orm = await openOrm({ clientUrl: url });
  try {
    await migrate(orm);
    await seedReference(orm);
  } finally {
    await orm.close();
  }
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
