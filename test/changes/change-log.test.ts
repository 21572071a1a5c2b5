// The change log: what a write records (row events for mutations, one event per province for bulk writes),
// the changes feed as each role sees it, cursors that resume exactly and expire with retention, and a
// property test of the order: concurrent writers (some holding their transaction open while others
// commit, some rolling back) and readers following cursors at the same time; every committed event is read
// once, in commit order, by every reader.
import fc from 'fast-check';
import { Client } from 'pg';
import { pruneChanges } from '../../src/changes/change-pruner';
import { changePageSql, type ChangePage, type ChangeRow } from '../../src/changes/change-log';
import type { Position } from '../../src/changes/change-cursor';
import { openTestApi, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import { Fixtures, UPDATE_INNOVATION } from '../support/writes';

const CHANGES = `query Changes($after: String, $filter: ChangeFilter, $first: Int) {
  changes(after: $after, filter: $filter, first: $first) {
    edges { cursor node { id recordType recordId operation bulk rowCount scopeProvinceCode version fields regions actor { role tool keyLabel requestId } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let api: TestApi;
let fixtures: Fixtures;

beforeAll(async () => {
  api = await openTestApi();
  fixtures = new Fixtures(api);
});
afterAll(() => api.close());

/** The feed's head, as a client starting to follow takes it. */
async function head(): Promise<string> {
  const result = await api.run(CHANGES, { first: 0 }, VIEWERS.integration);
  return (result.body.data as { changes: { pageInfo: { endCursor: string } } }).changes.pageInfo.endCursor;
}

async function client(): Promise<Client> {
  const c = new Client({ connectionString: api.databaseUrl });
  await c.connect();
  return c;
}

describe('Query.changes', () => {
  it('records a mutation as one row event with its new version, the fields it changed and who made it', async () => {
    const innovation = await fixtures.innovation({ regencyCode: '35.25' });
    const after = await head();
    const updated = await api.run(UPDATE_INNOVATION, { input: { id: innovation, version: 1, title: 'Judul baru', launchYear: 2021 } }, VIEWERS.jatimOperator);
    expect(updated.body.errors).toBeUndefined();
    const event = {
      recordType: 'INNOVATION',
      recordId: innovation,
      operation: 'UPDATE',
      bulk: false,
      rowCount: 1,
      scopeProvinceCode: null,
      version: 2,
      fields: ['launchYear', 'title'],
      regions: ['35', '35.25'],
    };
    expect((await api.run(CHANGES, { after }, VIEWERS.ministry)).body).toEqual({
      data: {
        changes: {
          edges: [{ cursor: expect.any(String), node: { id: expect.any(String), ...event, actor: { role: 'HUB_OPERATOR', tool: null, keyLabel: 'hub_operator-3', requestId: expect.any(String) } } }],
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      },
    });
    // Who made it (the key and the request) is the ministry's to read; the rest is public.
    expect((await api.run(CHANGES, { after }, VIEWERS.public)).body).toEqual({
      data: {
        changes: {
          edges: [{ cursor: expect.any(String), node: { id: expect.any(String), ...event, actor: { role: 'HUB_OPERATOR', tool: null, keyLabel: null, requestId: null } } }],
          pageInfo: { hasNextPage: false, endCursor: expect.any(String) },
        },
      },
    });
  });

  it('records a bulk import as one event per batch and province, not one per row', async () => {
    const after = await head();
    const rows = ['35', '35', '35', '33'].map((province, i) => ({
      registry: 'IGA',
      externalId: `bulk-${i}`,
      title: `Impor ${i}`,
      provinceCode: province,
      owner: `Pemda uji ${province}`,
      sources: ['https://example.org/iga'],
    }));
    const imported = await api.run(
      `mutation($rows: [InnovationImportRow!]!) { importInnovations(rows: $rows) { inserted failed } }`,
      { rows },
      VIEWERS.integration,
    );
    expect(imported.body).toEqual({ data: { importInnovations: { inserted: 4, failed: 0 } } });
    const page = await api.run(CHANGES, { after, filter: { recordTypes: ['INNOVATION'] } }, VIEWERS.public);
    const nodes = (page.body.data as { changes: { edges: { node: Record<string, unknown> }[] } }).changes.edges.map((e) => e.node);
    const bulk = (province: string, rowCount: number) => ({
      id: expect.any(String),
      recordType: 'INNOVATION',
      recordId: null,
      operation: 'CREATE',
      bulk: true,
      rowCount,
      scopeProvinceCode: province,
      version: null,
      fields: [],
      regions: [province],
      actor: { role: 'INTEGRATION', tool: null, keyLabel: null, requestId: null },
    });
    expect(nodes).toEqual(expect.arrayContaining([bulk('35', 3), bulk('33', 1)]));
    expect(nodes).toHaveLength(2);
  });

  it('resumes exactly after a cursor, filters by region, and moves a filtered cursor to the head', async () => {
    const start = await head();
    const a = await fixtures.innovation({ regencyCode: '51.01' });
    const b = await fixtures.innovation({ provinceCode: '33' });
    const c = await fixtures.innovation({ regencyCode: '51.02' });
    const page1 = await api.run(CHANGES, { after: start, first: 2, filter: { recordTypes: ['INNOVATION'] } }, VIEWERS.public);
    const first = (page1.body.data as any).changes;
    expect(first.edges.map((e: any) => e.node.recordId)).toEqual([a, b]);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[1].cursor });
    const page2 = (await api.run(CHANGES, { after: first.pageInfo.endCursor, first: 2, filter: { recordTypes: ['INNOVATION'] } }, VIEWERS.public)).body.data as any;
    expect(page2.changes.edges.map((e: any) => e.node.recordId)).toEqual([c]);
    expect(page2.changes.pageInfo.hasNextPage).toBe(false);

    const bali = (await api.run(CHANGES, { after: start, filter: { regionCode: '51' } }, VIEWERS.public)).body.data as any;
    expect(bali.changes.edges.map((e: any) => [e.node.recordType, e.node.recordId])).toEqual([
      ['INSTITUTION', expect.any(String)],
      ['INNOVATION', a],
      ['INSTITUTION', expect.any(String)],
      ['INNOVATION', c],
    ]);
    // Nothing more matched up to the head: the next call starts there, not after the last match.
    expect(bali.changes.pageInfo.endCursor).toBe(await head());
  });

  it('refuses a malformed cursor, and one older than retention or of another log as expired: resync', async () => {
    expect((await api.run(CHANGES, { after: 'not-a-cursor' }, VIEWERS.public)).body).toEqual({
      data: null,
      errors: [{ message: expect.any(String), locations: expect.any(Array), path: ['changes'], extensions: { code: 'BAD_USER_INPUT', argument: 'after' } }],
    });
    const old = await head();
    await fixtures.innovation({ provinceCode: '36' });
    await api.sql(`update change_commit set committed_at = now() - interval '8 days'`);
    expect(await pruneChanges(api.orm.em.fork(), 7)).toBeGreaterThan(0);
    const expired = { code: 'BAD_USER_INPUT', argument: 'after', reason: 'CHANGES_CURSOR_EXPIRED' };
    expect((await api.run(CHANGES, { after: old }, VIEWERS.public)).body).toEqual({
      data: null,
      errors: [{ message: expect.stringContaining('kept 7 days'), locations: expect.any(Array), path: ['changes'], extensions: expired }],
    });
    const [{ log_id }] = await api.sql<{ log_id: string }>('select log_id from change_log');
    const fresh = await head();
    const otherLog = Buffer.from(Buffer.from(fresh, 'base64url').toString('utf8').replace(log_id, '00000000-0000-4000-8000-000000000000')).toString('base64url');
    expect((await api.run(CHANGES, { after: otherLog }, VIEWERS.public)).body.errors?.[0].extensions).toEqual(expired);
    // After pruning, following from the head goes on as before.
    const next = await fixtures.innovation({ provinceCode: '36' });
    const followed = (await api.run(CHANGES, { after: fresh, filter: { recordTypes: ['INNOVATION'] } }, VIEWERS.public)).body.data as any;
    expect(followed.changes.edges.map((e: any) => e.node.recordId)).toEqual([next]);
  });
});

describe('the order of the change log', () => {
  const readPage = async (after: Position): Promise<ChangePage> => api.engine.execute<ChangePage>(changePageSql(after, {}, 50).text, false);

  /** Follows the log from `from` until `done()` and it has read everything; returns what it read. */
  async function follow(from: Position, done: () => boolean): Promise<ChangeRow[]> {
    const read: ChangeRow[] = [];
    let at = from;
    for (;;) {
      const finished = done();
      const page = await readPage(at);
      read.push(...page.rows);
      if (page.rows.length) at = { seq: page.rows[page.rows.length - 1].seq, id: page.rows[page.rows.length - 1].id };
      else if (finished) return read;
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  interface Writer {
    /** Statements before the pause: the transaction has its id and its events before others commit. */
    writes: number;
    /** Milliseconds the transaction stays open after writing (a long transaction). */
    holdMs: number;
    commit: boolean;
  }

  it('hands every committed event to every reader once, in commit order, whatever commits late', async () => {
    const [{ id: owner }] = await api.sql<{ id: number }>(`select id from institution order by id limit 1`);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ writes: fc.integer({ min: 1, max: 3 }), holdMs: fc.oneof(fc.constant(0), fc.integer({ min: 5, max: 120 })), commit: fc.boolean() }), { minLength: 2, maxLength: 6 }),
        fc.integer({ min: 1, max: 3 }),
        async (writers: Writer[], readers: number) => {
          const [{ v: start }] = await api.sql<{ v: Position }>(`select json_build_object('seq', coalesce(max(seq), 0), 'id', coalesce((select max(id) from change_event), 0)) as v from change_commit`);
          let writing = true;
          const following = Array.from({ length: readers }, () => follow(start, () => !writing));
          const committed: number[] = [];
          await Promise.all(
            writers.map(async (writer, w) => {
              const c = await client();
              try {
                await c.query('begin');
                for (let i = 0; i < writer.writes; i += 1) {
                  const { rows } = await c.query<{ id: number }>(
                    `insert into innovation (dataset, title, owner_id, province_code) values ('IMPORTED', $1, $2, '35') returning id`,
                    [`order ${w}.${i}`, owner],
                  );
                  if (writer.commit) committed.push(rows[0].id);
                }
                await new Promise((resolve) => setTimeout(resolve, writer.holdMs));
                await c.query(writer.commit ? 'commit' : 'rollback');
              } finally {
                await c.end();
              }
            }),
          );
          writing = false;
          const all = await follow(start, () => true);
          // Every committed write is there once, nothing rolled back is.
          const innovations = all.filter((row) => row.recordType === 'Innovation').map((row) => Number(row.recordId));
          expect([...innovations].sort((a, b) => a - b)).toEqual([...committed].sort((a, b) => a - b));
          // Positions only grow, and commits are numbered without a gap from the start.
          const seqs = [...new Set(all.map((row) => row.seq))];
          expect(seqs).toEqual(seqs.map((_, i) => start.seq + 1 + i));
          const ascending = all.every((row, i) => i === 0 || row.seq > all[i - 1].seq || (row.seq === all[i - 1].seq && row.id > all[i - 1].id));
          expect(ascending).toBe(true);
          // Each reader, following while the writers committed, read exactly that: nothing skipped, nothing twice.
          for (const read of await Promise.all(following)) expect(read.map((row) => row.id)).toEqual(all.map((row) => row.id));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('numbers a transaction at its commit: one that started first and commits last comes last', async () => {
    const long = await client();
    const short = await client();
    try {
      await long.query('begin');
      await long.query(`update hub set note = 'long' where province_code = '35'`);
      await short.query(`update hub set note = 'short' where province_code = '33'`);
      await long.query('commit');
      const rows = await api.sql<{ note: string }>(
        `select e.regions[1] as note from change_commit c join change_event e using (xid) where e.record_type = 'Hub' order by c.seq desc, e.id desc limit 2`,
      );
      expect(rows).toEqual([{ note: '35' }, { note: '33' }]);
    } finally {
      await long.end();
      await short.end();
    }
  });
});
