// Every field of the API is answered by SQL declared on it (or its entity's column), except the root fields
// listed here, which resolvers answer on purpose. A field added without SQL fails the engine's start-up
// check, which this file proves on a schema made to lack one.
import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { getNamedType, isObjectType } from 'graphql';
import { buildSchema, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { openOrm } from '../../src/db/orm';
import { ReadPool } from '../../src/db/read-pool';
import { ReadServers } from '../../src/db/read-servers';
import { byKey } from '../../src/graphql/sql/compilers';
import { ReadEngine } from '../../src/graphql/sql/engine';
import { fieldSql, Sql, SqlTable } from '../../src/graphql/sql/field-sql';
import { Province } from '../../src/modules/region/province.entity';
import { getSchema } from '../../src/schema';
import { createTestDatabase, readPoolSettings } from '../support/harness';

/**
 * Root fields answered by a resolver, not SQL: the caller (from the request); the changes feed, whose
 * cursors expire with what the database pruned (a fact a plan compiled once cannot know); and the webhooks,
 * which are no records of the network.
 */
const RESOLVER_ROOTS = ['viewer', 'changes', 'webhooks', 'webhookDeliveries'];

@ObjectType('BrokenProvince', { simpleResolvers: true })
@SqlTable('province', 'code', () => Province)
class BrokenProvince {
  @Field()
  code!: string;

  /** Neither @Sql nor a column of the entity. */
  @Field()
  nickname!: string;
}

@Resolver()
class BrokenResolver {
  @Query(() => BrokenProvince, { nullable: true })
  @Sql((call, _row, q) => byKey(call, q, '35'))
  brokenProvince(): null {
    return null;
  }
}

let orm: MikroORM;
let pool: ReadPool;
let drop: () => Promise<void>;

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  orm = await openOrm({ clientUrl: database.url, poolMax: 1 });
  pool = new ReadPool(readPoolSettings(database.url));
});
afterAll(async () => {
  await pool.close();
  await orm.close();
  await drop();
});

describe('the SQL declared on the schema', () => {
  it('answers every root query field but the listed ones, and every field of every type they reach', async () => {
    const schema = await getSchema();
    // The engine's start-up check: it throws, naming each field no SQL answers.
    const engine = new ReadEngine(schema, orm.getMetadata(), new ReadServers(pool));
    const query = schema.getQueryType()!;
    const withoutSql = Object.values(query.getFields())
      .filter((field) => !fieldSql(field))
      .map((field) => field.name);
    expect(withoutSql).toEqual(RESOLVER_ROOTS);
    // Every object type a root field returns is answered in SQL (its fields read by response name).
    for (const field of Object.values(query.getFields())) {
      const type = getNamedType(field.type);
      if (RESOLVER_ROOTS.includes(field.name) || !isObjectType(type)) continue;
      expect([field.name, engine.isAnswered(type)]).toEqual([field.name, true]);
    }
  });

  it('refuses to start when a field has neither SQL nor a column, naming it', async () => {
    const schema = await buildSchema({ resolvers: [BrokenResolver], validate: false });
    let refusal = '';
    try {
      new ReadEngine(schema, orm.getMetadata(), new ReadServers(pool));
    } catch (error) {
      refusal = (error as Error).message;
    }
    expect(refusal).toContain('BrokenProvince.nickname has neither @Sql nor a column');
    // The field it has as a column of the entity is answered from the entity's metadata.
    expect(refusal).not.toContain('BrokenProvince.code');
  });
});
