// Lending a free pooled connection without the pool's queue (src/db/lend.ts), on a real knex/tarn pool and
// PostgreSQL: what is lent is counted as used, goes back with knex's release, and is never taken from
// those already waiting or past knex's checks.
import { MikroORM } from '@mikro-orm/postgresql';
import { ormOptions } from '../../mikro-orm.config';
import { lendFreeConnection, type LendingClient } from '../../src/db/lend';
import { openOrm } from '../../src/db/orm';
import { queryNamed } from '../../src/db/prepared';
import { runStatement } from '../../src/db/sql';
import { createTestDatabase } from '../support/harness';

interface Connection {
  __knex__disposed?: unknown;
  query(config: { text: string; values: unknown[] }, callback: (error: Error | null, result: { rows: unknown[] }) => void): void;
}
interface PoolClient extends LendingClient {
  acquireConnection(): Promise<Connection>;
  releaseConnection(connection: Connection): Promise<unknown>;
  pool: { numUsed(): number; numFree(): number; numPendingAcquires(): number };
}

let database: { url: string; drop: () => Promise<void> };
let orm: MikroORM;
const warnings: string[] = [];
const client = () => orm.em.getKnex().client as PoolClient;
/** [used, free] connections of the pool. */
const counts = () => [client().pool.numUsed(), client().pool.numFree()];

beforeAll(async () => {
  database = await createTestDatabase();
  orm = await openOrm({ clientUrl: database.url, poolMax: 2, acquireTimeoutMs: 2_000, onDriverWarning: (message) => warnings.push(message) });
});
afterAll(async () => {
  await orm.close();
  await database.drop();
});

/** Takes every connection of the pool (two), through its queue. */
async function takeBoth(): Promise<[Connection, Connection]> {
  return [await client().acquireConnection(), await client().acquireConnection()];
}

describe('lendFreeConnection', () => {
  it('lends the last connection freed, counted as used until knex releases it, and nothing while none is free', async () => {
    const [a, b] = await takeBoth();
    expect(counts()).toEqual([2, 0]);
    expect(lendFreeConnection(client())).toBeUndefined();

    await client().releaseConnection(b);
    expect(counts()).toEqual([1, 1]);
    const lent = lendFreeConnection<Connection>(client());
    expect(lent).toBe(b);
    expect(counts()).toEqual([2, 0]);
    // An ordinary pooled connection: it runs statements and goes back as any other.
    expect(await queryNamed(lent!, 'select 1 as one', [])).toEqual([{ one: 1 }]);
    await client().releaseConnection(lent!);
    await client().releaseConnection(a);
    expect(counts()).toEqual([0, 2]);
  });

  it('leaves a released connection to the caller already waiting for one', async () => {
    // tarn hands a released connection to a waiting caller at once (it is never free in between); this
    // checks the outcome. lend.ts's own check of the waiting queue guards states tarn does not reach here.
    const [a, b] = await takeBoth();
    const waiting = client().acquireConnection();
    expect(client().pool.numPendingAcquires()).toBe(1);

    await client().releaseConnection(a);
    expect(lendFreeConnection(client())).toBeUndefined();
    expect(await waiting).toBe(a);
    await client().releaseConnection(a);
    await client().releaseConnection(b);
    expect(counts()).toEqual([0, 2]);
  });

  it('leaves a connection knex marked disposed to the pool, which discards it', async () => {
    const [a, b] = await takeBoth();
    await client().releaseConnection(b);
    await client().releaseConnection(a);
    a.__knex__disposed = 'a test marked it';

    expect(lendFreeConnection(client())).toBeUndefined();
    expect(counts()).toEqual([0, 2]);
    const next = await client().acquireConnection();
    expect(next).toBe(b);
    expect(counts()).toEqual([1, 0]);
    expect(warnings).toEqual(['Connection Error: a test marked it']);
    await client().releaseConnection(next);
  });

  it('never lends from a pool whose validation does more than knex checks here (a validator of its own)', async () => {
    const options = ormOptions({ clientUrl: database.url, poolMax: 1 });
    // knex takes tarn's options and its own (validate) in one object; MikroORM's type names tarn's only.
    const pool = { ...options.pool, validate: () => true } as typeof options.pool;
    const validating = await MikroORM.init({ ...options, pool });
    try {
      const own = validating.em.getKnex().client as PoolClient;
      await own.releaseConnection(await own.acquireConnection());
      expect([own.pool.numUsed(), own.pool.numFree()]).toEqual([0, 1]);
      expect(lendFreeConnection(own)).toBeUndefined();
    } finally {
      await validating.close();
    }
  });
});

describe('runStatement', () => {
  it('takes a free connection without the pool queue, and gives it back', async () => {
    await client().releaseConnection(await client().acquireConnection());
    const acquire = jest.spyOn(client(), 'acquireConnection');
    try {
      const rows = await runStatement<{ code: string }>(orm.em.fork(), `select code from province where code = '51'`, []);
      expect(rows).toEqual([{ code: '51' }]);
      expect(acquire).not.toHaveBeenCalled();
      expect(client().pool.numUsed()).toBe(0);
      // With none free, it waits in the queue as before.
      const [a, b] = await takeBoth();
      acquire.mockClear();
      const queued = runStatement<{ one: number }>(orm.em.fork(), 'select 1 as one', []);
      expect(acquire).toHaveBeenCalledTimes(1);
      await client().releaseConnection(a);
      expect(await queued).toEqual([{ one: 1 }]);
      await client().releaseConnection(b);
      expect(counts()).toEqual([0, 2]);
    } finally {
      acquire.mockRestore();
    }
  });
});
