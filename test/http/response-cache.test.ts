// The response cache serves repeated anonymous reads from memory, never an authenticated caller's, and
// drops exactly the answers a committed change (of any process: here a write on another connection, as the
// import command makes) touched; it answers nothing while it cannot hear of changes.
import type { ApolloServer } from '@apollo/server';
import { Client } from 'pg';
import { Role, type Viewer } from '../../src/auth/viewer';
import { ResponseCache } from '../../src/cache/response-cache';
import { ChangeListener, type ChangeSummary } from '../../src/changes/change-listener';
import type { Context } from '../../src/context';
import { textAnswer } from '../../src/graphql/sql/answer-text';
import { createApolloServer } from '../../src/server';
import { openTestApi, silentLogger, type TestApi } from '../support/harness';

const PROVINCE = '{ province(code: "35") { name hub { stage } regencyCount } }';
const UNIVERSITIES = '{ universities { acronym } }';
const INNOVATIONS = '{ innovations(filter: { provinceCode: "35" }) { totalCount } }';
/** An answer as the read engine gives one. */
const answer = (text: string) => ({ data: textAnswer(text, Object.keys(JSON.parse(text) as object)), text });
const MINISTRY: Viewer = { role: Role.MINISTRY_ADMIN, keyId: 1, keyLabel: 'ministry', provinceCode: null, universityId: null };

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('the response cache', () => {
  let api: TestApi;
  let cached: ApolloServer<Context>;
  let listener: ChangeListener;
  let cache: ResponseCache;
  const heard: ChangeSummary[] = [];

  async function run(query: string, viewer?: Viewer) {
    const contextValue = api.context({ viewer });
    const response = await cached.executeOperation({ query }, { contextValue });
    if (response.body.kind !== 'single') throw new Error('unexpected incremental response');
    return { data: response.body.singleResult.data, errors: response.body.singleResult.errors, statements: contextValue.sqlStatements, headers: response.http.headers };
  }

  /** Commits a write on a connection of its own (as another process would) and waits until this one heard it. */
  async function commitElsewhere(statement: string): Promise<void> {
    const before = heard.length;
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
    await eventually(() => heard.length > before, 'the change notification');
  }

  beforeAll(async () => {
    api = await openTestApi();
    listener = new ChangeListener(api.databaseUrl, silentLogger);
    await listener.start();
    listener.observe({ changed: (summary) => heard.push(summary) });
    cache = new ResponseCache(30, listener);
    cached = await createApolloServer(api.engine, silentLogger, { responseCache: cache, changes: listener });
  });
  afterAll(async () => {
    await cached.stop();
    await listener.close();
    await api.close();
  });

  it('answers a repeated anonymous query from memory, with the same data and a public Cache-Control', async () => {
    const first = await run(PROVINCE);
    const second = await run(PROVINCE);
    expect(first.statements).toBe(1);
    expect(second).toEqual({ ...first, statements: 0 });
    expect(second.headers.get('cache-control')).toBe('max-age=30, public');
  });

  it('reads without forking an EntityManager, from memory or not (Apollo copies the context of every operation)', async () => {
    await run(PROVINCE);
    const fork = jest.spyOn(api.orm.em, 'fork');
    try {
      expect((await run(PROVINCE)).statements).toBe(0);
      expect((await run('{ province(code: "51") { name } }')).statements).toBe(1);
      expect(fork).not.toHaveBeenCalled();
    } finally {
      fork.mockRestore();
    }
  });

  it("never serves or stores an authenticated caller's answer, and tells shared caches not to keep it", async () => {
    const first = await run(PROVINCE, MINISTRY);
    const second = await run(PROVINCE, MINISTRY);
    expect(first.statements).toBe(1);
    expect(second.statements).toBe(1);
    expect(second.headers.get('cache-control')).toBe('no-store');
  });

  it('drops exactly the answers that read what a change committed elsewhere wrote', async () => {
    for (const query of [PROVINCE, UNIVERSITIES, INNOVATIONS]) await run(query);
    expect((await run(PROVINCE)).statements).toBe(0);
    await commitElsewhere(`update hub set note = 'a changed note' where province_code = '35'`);
    expect(heard[heard.length - 1]).toEqual({ seq: expect.any(Number), types: ['Hub'], regions: ['35'] });
    expect((await run(PROVINCE)).statements).toBe(1);
    expect((await run(UNIVERSITIES)).statements).toBe(0);
    expect((await run(INNOVATIONS)).statements).toBe(0);

    // An innovation inserted by another process (an import from the command line) is seen at once.
    const before = (await run(INNOVATIONS)).data as { innovations: { totalCount: number } };
    await commitElsewhere(`insert into innovation (dataset, title, owner_id, province_code) select 'IMPORTED', 'Cached elsewhere', id, '35' from institution order by id limit 1`);
    const after = await run(INNOVATIONS);
    expect(after).toMatchObject({ statements: 1, data: { innovations: { totalCount: before.innovations.totalCount + 1 } } });
    expect((await run(UNIVERSITIES)).statements).toBe(0);
    expect((await run(PROVINCE)).statements).toBe(0);
  });

  it('has heard every commit acknowledged before heardCommitted() resolves: a caller reads its own writes', async () => {
    const client = new Client({ connectionString: api.databaseUrl });
    await client.connect();
    try {
      for (let i = 0; i < 20; i += 1) {
        const before = heard.length;
        await client.query(`update university set note = $1 where acronym = (select min(acronym) from university)`, [`note ${i}`]);
        expect(await listener.heardCommitted()).toBe(true);
        expect(heard.length).toBe(before + 1);
      }
    } finally {
      await client.end();
    }
  });

  it('keeps no answer computed before a change to what it read (its snapshot may predate the commit)', async () => {
    const token = cache.token();
    await commitElsewhere(`update university set note = 'changed while a read ran' where acronym = (select min(acronym) from university)`);
    expect(cache.store('a question', answer('{"universities":[]}'), ['university'], token)).toBe(false);
    expect(cache.store('another question', answer('{"provinces":[]}'), ['province'], token)).toBe(true);
    expect(cache.store('a question of the audit log', answer('{"auditEvents":null}'), ['audit_event'], cache.token())).toBe(false);
  });

  it('answers nothing from memory while it cannot hear of changes, and forgets what it had', async () => {
    await run(UNIVERSITIES);
    expect((await run(UNIVERSITIES)).statements).toBe(0);
    const admin = new Client({ connectionString: api.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'jipp-api-changes' and datname = current_database()`);
    } finally {
      await admin.end();
    }
    await eventually(() => !listener.connected, 'the listener to notice');
    expect(cache.entryCount).toBe(0);
    expect((await run(UNIVERSITIES)).statements).toBe(1);
    expect((await run(UNIVERSITIES)).statements).toBe(1);
    await eventually(() => listener.connected, 'the listener to reconnect');
    await run(UNIVERSITIES);
    expect((await run(UNIVERSITIES)).statements).toBe(0);
    await commitElsewhere(`update university set note = 'after the reconnect' where acronym = (select min(acronym) from university)`);
    expect((await run(UNIVERSITIES)).statements).toBe(1);
  });

  it('answers each mutation of an operation on its own, and forgets what the ones that committed changed', async () => {
    const operator: Viewer = { role: Role.HUB_OPERATOR, keyId: 3, keyLabel: 'jatim', provinceCode: '35', universityId: null };
    // The first mutation commits (an innovation in the operator's province); the second is refused
    // (designating a hub is the ministry's). Each has its own answer; the committed one is not lost in a
    // data: null.
    const both = await run(
      `mutation {
        created: createInnovation(input: { title: "Inovasi dua mutasi", owner: { name: "Pemerintah Kabupaten Gresik" }, regencyCode: "35.25", sources: ["test"] }) {
          innovation { title } userErrors { code } }
        refused: designateHub(input: { provinceCode: "92", cohortYear: 2026, stage: COMMITTED, sources: ["test"] }) { hub { stage } } }`,
      operator,
    );
    expect(both.data).toEqual({ created: { innovation: { title: 'Inovasi dua mutasi' }, userErrors: [] }, refused: null });
    expect(both.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['refused'], 'FORBIDDEN']]);
    // An anonymous reader sees the committed write at once, not a cached answer from before it.
    const count = '{ innovations(filter: { regencyCode: "35.25" }) { totalCount } }';
    const before = (await run(count)).data as { innovations: { totalCount: number } };
    await run(
      `mutation { a: createInnovation(input: { title: "Inovasi kedua", owner: { name: "Pemerintah Kabupaten Gresik" }, regencyCode: "35.25", sources: ["test"] }) { userErrors { code } }
        b: designateHub(input: { provinceCode: "92", cohortYear: 2026, stage: COMMITTED, sources: ["test"] }) { userErrors { code } } }`,
      operator,
    );
    expect((await run(count)).data).toEqual({ innovations: { totalCount: before.innovations.totalCount + 1 } });
  });
});
