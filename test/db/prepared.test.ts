// Reads run as prepared statements (src/db/prepared.ts): named by their text, prepared once per connection,
// with a bound on how many one connection holds, and not at all when switched off.
import { Client } from 'pg';
import { MAX_PER_CONNECTION, queryNamed, statementName, usePreparedStatements } from '../../src/db/prepared';
import { createTestDatabase } from '../support/harness';

describe('prepared statements', () => {
  it('names single-statement reads by their text, and nothing else', () => {
    const connection = {};
    const read = 'select code from province where code = $1';
    const name = statementName(connection, read);
    expect(name).toMatch(/^jipp_[\w-]{27}$/);
    expect(statementName(connection, read)).toBe(name);
    expect(statementName(connection, `  WITH x as (select 1) select * from x`)).toMatch(/^jipp_/);
    expect(statementName(connection, 'select code from province where code = $2')).not.toBe(name);
    for (const text of ['insert into audit_event (action) values ($1)', 'update hub set stage = $1', 'begin', 'select 1; select 2', 'selective nonsense']) {
      expect(statementName(connection, text)).toBeUndefined();
    }
  });

  it(`holds at most ${MAX_PER_CONNECTION} statements per connection; past that, new texts run unnamed`, () => {
    const connection = {};
    const first = statementName(connection, 'select 0');
    for (let i = 1; i < MAX_PER_CONNECTION; i++) expect(statementName(connection, `select ${i}`)).toMatch(/^jipp_/);
    expect(statementName(connection, `select ${MAX_PER_CONNECTION}`)).toBeUndefined();
    // Those already prepared keep their names; another connection has room of its own.
    expect(statementName(connection, 'select 0')).toBe(first);
    expect(statementName({}, `select ${MAX_PER_CONNECTION}`)).toMatch(/^jipp_/);
  });

  describe('on a real connection', () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(() => database.drop());

    async function preparedOn(client: Client): Promise<string[]> {
      // A text that starts with a comment is never named, so the listing does not list itself.
      const result = await client.query({ text: `/* list */ select name from pg_prepared_statements order by name`, values: [] });
      return result.rows.map((r: { name: string }) => r.name).filter((n: string) => n.startsWith('jipp_'));
    }

    it('prepares a read once and then only executes it', async () => {
      usePreparedStatements(true);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const text = 'select n from generate_series(1, $1::int) as n';
        for (const n of [1, 2, 3]) expect((await client.query(text, [n])).rows).toHaveLength(n);
        // One statement, however often it ran (and the string form of query() is named like knex's configs).
        expect(await preparedOn(client)).toEqual([statementName({}, text)]);
      } finally {
        await client.end();
      }
    });

    it('runs a read unnamed from then on when a schema change altered its result columns', async () => {
      usePreparedStatements(true);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const text = 'select * from prepared_probe order by id';
      try {
        await client.query('create table prepared_probe (id int primary key)');
        await client.query(`insert into prepared_probe values (1)`);
        expect((await client.query(text)).rows).toEqual([{ id: 1 }]);
        // What a migration run by another process does while this connection holds the statement.
        await client.query('alter table prepared_probe add column note text');
        await expect(client.query(text)).rejects.toMatchObject({ code: '0A000' });
        // Once, on this connection; then the text runs unnamed and sees the new column. The callback form
        // (the one knex uses) works the same.
        expect((await client.query(text)).rows).toEqual([{ id: 1, note: null }]);
        const viaCallback = await new Promise((resolve, reject) =>
          client.query({ text, values: [] }, (error: Error | null, result: { rows: unknown[] }) => (error ? reject(error) : resolve(result.rows))),
        );
        expect(viaCallback).toEqual([{ id: 1, note: null }]);
        expect(statementName(client, text)).toBeUndefined();
      } finally {
        await client.query('drop table if exists prepared_probe');
        await client.end();
      }
    });

    it('queryNamed (the compiled reads\' path) prepares the same way, and recovers from a stale statement the same way', async () => {
      usePreparedStatements(true);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      const text = 'select * from prepared_probe_named order by id';
      try {
        await client.query('create table prepared_probe_named (id int primary key)');
        await client.query(`insert into prepared_probe_named values (1)`);
        expect(await queryNamed(client, text, [])).toEqual([{ id: 1 }]);
        expect(await queryNamed(client, text, [])).toEqual([{ id: 1 }]);
        expect(await preparedOn(client)).toEqual([statementName({}, text)]);
        await client.query('alter table prepared_probe_named add column note text');
        await expect(queryNamed(client, text, [])).rejects.toMatchObject({ code: '0A000' });
        expect(await queryNamed(client, text, [])).toEqual([{ id: 1, note: null }]);
        expect(statementName(client, text)).toBeUndefined();
      } finally {
        await client.query('drop table if exists prepared_probe_named');
        await client.end();
      }
    });

    it('prepares nothing when switched off (a pooler in transaction mode)', async () => {
      usePreparedStatements(false);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        expect((await client.query('select n from generate_series(1, $1::int) as n', [2])).rows).toHaveLength(2);
        expect(await preparedOn(client)).toEqual([]);
      } finally {
        usePreparedStatements(true);
        await client.end();
      }
    });
  });
});
