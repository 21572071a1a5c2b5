import type { MikroORM } from '@mikro-orm/postgresql';
import { migrate, openOrm } from '../../src/db/orm';
import { createTestDatabase } from '../support/harness';

describe('migrations', () => {
  let orm: MikroORM;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await createTestDatabase();
    drop = db.drop;
    orm = await openOrm({ clientUrl: db.url });
  });

  afterAll(async () => {
    await orm.close();
    await drop();
  });

  it('describe the same database as the entities (no schema drift)', async () => {
    expect(await migrate(orm)).toEqual([]);
    const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });
});
