// Which statements the read pool prepares: a text from its second run, never a one-off, and a connection
// full of names is retired so that its successor prepares what is asked now.
import { MAX_NAMED_PER_CONNECTION, ReadPool } from '../../src/db/read-pool';
import { createTestDatabase, readPoolSettings } from '../support/harness';

let database: { url: string; drop: () => Promise<void> };
let pool: ReadPool;

/** The connection's backend and the statements it has prepared (asked unnamed, so it adds none). */
async function connection(): Promise<{ pid: number; prepared: string[] }> {
  const [row] = await pool.rows<{ pid: number; prepared: string[] }>(
    `select pg_backend_pid() as pid, coalesce((select array_agg(statement order by statement) from pg_prepared_statements), '{}') as prepared`,
    false,
  );
  return row;
}

const question = (n: number) => `select ${n} as n`;

beforeEach(async () => {
  database = await createTestDatabase();
  // One connection, so every statement runs on the one observed.
  pool = new ReadPool({ ...readPoolSettings(database.url), max: 1 });
});

afterEach(async () => {
  await pool.close();
  await database.drop();
});

describe('the read pool', () => {
  it('runs a text unnamed the first time, prepared from the second, and never a one-off', async () => {
    await pool.rows(question(1), true);
    await pool.rows(question(2), false);
    await pool.rows(question(2), false);
    expect((await connection()).prepared).toEqual([]);
    await pool.rows(question(1), true);
    await pool.rows(question(1), true);
    expect((await connection()).prepared).toEqual([question(1)]);
  });

  it('retires a connection full of names, and prepares what is asked now on the next one', async () => {
    const first = await connection();
    for (let n = 0; n < MAX_NAMED_PER_CONNECTION; n += 1) {
      await pool.rows(question(n), true);
      await pool.rows(question(n), true);
    }
    expect((await connection()).prepared).toHaveLength(MAX_NAMED_PER_CONNECTION);
    // One more text asked again: no room for it, so it runs unnamed and the connection is retired.
    const hot = question(MAX_NAMED_PER_CONNECTION);
    await pool.rows(hot, true);
    expect(await pool.rows<{ n: number }>(hot, true)).toEqual([{ n: MAX_NAMED_PER_CONNECTION }]);
    const next = await connection();
    expect(next.pid).not.toBe(first.pid);
    expect(next.prepared).toEqual([]);
    await pool.rows(hot, true);
    expect((await connection()).prepared).toEqual([hot]);
  });
});
