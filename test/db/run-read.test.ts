// runRead and runStatement: reads with their values bound, so one text serves every value (and is prepared
// once per connection), counted and logged like the ORM's statements; runRead in the EntityManager's
// transaction, runStatement (the compiled reads') outside any.
import { MikroORM, type EntityManager } from '@mikro-orm/postgresql';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { ormOptions } from '../../mikro-orm.config';
import { createContext } from '../../src/context';
import { readWhereIn } from '../../src/db/read-rows';
import { runRead, runStatement } from '../../src/db/sql';
import { countStatements } from '../../src/db/statement-counter';
import { Province } from '../../src/modules/region/province.entity';
import { createTestDatabase } from '../support/harness';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let orm: MikroORM;
const logged: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  // One connection, so the prepared statements listed are those of the connection the reads ran on, and a
  // connection not given back would block the next statement.
  orm = await MikroORM.init({ ...ormOptions({ clientUrl: database.url, poolMax: 1, logSql: true }), logger: (line) => logged.push(line) });
});
afterAll(async () => {
  await orm.close();
  await database.drop();
});

describe('runRead', () => {
  // A text that starts with a comment is never named, so the listing does not list itself.
  const preparedTexts = (em: EntityManager) =>
    runRead<{ statement: string }>(em, `/* list */ select statement from pg_prepared_statements where name like 'jipp\\_%' order by statement`);

  it('binds the values: lookups of different keys share one text, prepared once on the connection', async () => {
    const em = orm.em.fork();
    const ctx = createContext(orm);
    try {
      for (const codes of [['35'], ['33', '32'], ['11', '12', '13']]) {
        const found = await readWhereIn(ctx, Province, 'code', codes);
        expect(found.map((p) => p.code).sort()).toEqual([...codes].sort());
      }
    } finally {
      ctx.release();
    }
    const lookups = (await preparedTexts(em)).map((r) => r.statement).filter((s) => s.includes('from "province"'));
    expect(lookups).toHaveLength(1);
    expect(lookups[0]).toContain('"t"."code" = any($1)');
  });

  it('counts each statement for the request and logs it when SQL logging is on', async () => {
    const em = orm.em.fork();
    logged.length = 0;
    const tally = { count: 0 };
    const rows = await countStatements(tally, async () => {
      await runRead(em, 'select ?::int + 1 as n', [41]);
      return runRead(em, em.getKnex()('province').select('code').where('code', '35'));
    });
    expect(rows).toEqual([{ code: '35' }]);
    expect(tally.count).toBe(2);
    expect(logged.filter((line) => line.includes('select 41::int + 1 as n') || line.includes(`where "code" = '35'`))).toHaveLength(2);
  });

  it("converts PostgreSQL's errors like the ORM does", async () => {
    const em = orm.em.fork();
    await expect(runRead(em, 'select * from no_such_table')).rejects.toBeInstanceOf(DriverException);
    await expect(runRead(em, `insert into province (code, name, dataset, confidence) values ('35', 'x', 'DEMO', 'REPORTED') returning code`)).rejects.toBeInstanceOf(
      UniqueConstraintViolationException,
    );
  });

  it("reads inside the EntityManager's transaction, seeing its uncommitted writes", async () => {
    const em = orm.em.fork();
    const before = await runRead(em, 'select name from province where code = ?', ['35']);
    await em.begin();
    try {
      await em.getConnection().execute(`update province set name = 'Inside' where code = '35'`, [], 'run', em.getTransactionContext());
      expect(await runRead(em, 'select name from province where code = ?', ['35'])).toEqual([{ name: 'Inside' }]);
    } finally {
      await em.rollback();
    }
    expect(await runRead(orm.em.fork(), 'select name from province where code = ?', ['35'])).toEqual(before);
    expect(before).not.toEqual([{ name: 'Inside' }]);
  });
});

describe('runStatement', () => {
  it('runs $n placeholders in any order, counted and logged, and returns its connection to the pool', async () => {
    const em = orm.em.fork();
    logged.length = 0;
    const tally = { count: 0 };
    const rows = await countStatements(tally, async () => {
      for (let i = 0; i < 3; i++) await runStatement(em, 'select $2::text || $1::text as s', ['b', 'a']);
      return runStatement<{ s: string }>(em, 'select $2::text || $1::text as s', ['b', 'a']);
    });
    expect(rows).toEqual([{ s: 'ab' }]);
    expect(tally.count).toBe(4);
    expect(logged.filter((line) => line.includes('select $2::text || $1::text as s -- ["b","a"]'))).toHaveLength(4);
  });

  it("converts PostgreSQL's errors like the ORM does, and refuses to run inside a transaction", async () => {
    const em = orm.em.fork();
    await expect(runStatement(em, 'select * from no_such_table', [])).rejects.toBeInstanceOf(DriverException);
    expect(await runStatement(em, 'select 1 as n', [])).toEqual([{ n: 1 }]);
    await em.begin();
    try {
      await expect(runStatement(em, 'select 1 as n', [])).rejects.toThrow('runStatement does not run in a transaction');
    } finally {
      await em.rollback();
    }
  });
});
