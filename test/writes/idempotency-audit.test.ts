// No lost or doubled writes: idempotency keys (also under concurrency), optimistic versions, and an
// append-only audit record for every write, in the same transaction.
import { openTestApi, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';

const CREATE = `mutation($i: CreateInnovationInput!, $key: String) {
  createInnovation(input: $i, idempotencyKey: $key) { innovation { id title } userErrors { field code } replayed } }`;
const input = (title: string) => ({ title, owner: { name: 'Pemerintah Kabupaten Gresik' }, regencyCode: '35.25', sources: ['https://example.org/berita'] });

describe('idempotency keys', () => {
  let api: TestApi;
  const count = async (title: string) => Number((await api.sql<{ n: string }>('select count(*) as n from innovation where title = ?', [title]))[0].n);

  beforeAll(async () => {
    api = await openTestApi();
  });
  afterAll(() => api.close());

  it('replays the first result for the same key and input, without a second effect', async () => {
    const first = await api.run(CREATE, { i: input('Satu Kali'), key: 'op-1' }, VIEWERS.jatimOperator);
    const second = await api.run(CREATE, { i: input('Satu Kali'), key: 'op-1' }, VIEWERS.jatimOperator);
    const created = (first.body.data as { createInnovation: { innovation: { id: string }; replayed: boolean } }).createInnovation;
    expect(created.replayed).toBe(false);
    expect(second.body).toEqual({ data: { createInnovation: { innovation: { id: created.innovation.id, title: 'Satu Kali' }, userErrors: [], replayed: true } } });
    expect(await count('Satu Kali')).toBe(1);
  });

  it('refuses the same key with another input as a CONFLICT', async () => {
    await api.run(CREATE, { i: input('Dua'), key: 'op-2' }, VIEWERS.jatimOperator);
    const other = await api.run(CREATE, { i: input('Dua Berbeda'), key: 'op-2' }, VIEWERS.jatimOperator);
    expect(other.body.errors?.map((e) => [e.extensions?.code, e.extensions?.argument])).toEqual([['CONFLICT', 'idempotencyKey']]);
    expect(await count('Dua Berbeda')).toBe(0);
  });

  it('keeps the keys of different callers apart', async () => {
    await api.run(CREATE, { i: input('Tiga'), key: 'shared-key' }, VIEWERS.jatimOperator);
    const ministry = await api.run(CREATE, { i: input('Tiga'), key: 'shared-key' }, VIEWERS.ministry);
    expect((ministry.body.data as { createInnovation: { replayed: boolean } }).createInnovation.replayed).toBe(false);
    expect(await count('Tiga')).toBe(2);
  });

  it('gives ten concurrent duplicates one effect, one audit event and one id', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => api.run(CREATE, { i: input('Serentak'), key: 'burst' }, VIEWERS.jatimOperator)),
    );
    const ids = new Set(results.map((r) => (r.body.data as { createInnovation: { innovation: { id: string } } }).createInnovation.innovation.id));
    expect(ids.size).toBe(1);
    expect(results.filter((r) => !(r.body.data as { createInnovation: { replayed: boolean } }).createInnovation.replayed)).toHaveLength(1);
    expect(await count('Serentak')).toBe(1);
    const audits = await api.sql<{ n: string }>(`select count(*) as n from audit_event where idempotency_key = 'burst'`);
    expect(Number(audits[0].n)).toBe(1);
  });
});

describe('optimistic concurrency and the audit log', () => {
  let api: TestApi;
  let id: string;

  beforeAll(async () => {
    api = await openTestApi();
    const created = await api.run(CREATE, { i: input('Versi'), key: null }, VIEWERS.jatimOperator);
    id = (created.body.data as { createInnovation: { innovation: { id: string } } }).createInnovation.innovation.id;
  });
  afterAll(() => api.close());

  const UPDATE = `mutation($i: UpdateInnovationInput!) { updateInnovation(input: $i) { innovation { title version } userErrors { field code } } }`;

  it('writes with the version read, and refuses a stale version without overwriting', async () => {
    const ok = await api.run(UPDATE, { i: { id, version: 1, title: 'Versi Dua' } }, VIEWERS.jatimOperator);
    expect(ok.body).toEqual({ data: { updateInnovation: { innovation: { title: 'Versi Dua', version: 2 }, userErrors: [] } } });
    const stale = await api.run(UPDATE, { i: { id, version: 1, title: 'Versi Basi' } }, VIEWERS.jatimOperator);
    expect(stale.body).toEqual({ data: { updateInnovation: { innovation: null, userErrors: [{ field: 'input.version', code: 'CONFLICT' }] } } });
    const [row] = await api.sql<{ title: string; version: number }>('select title, version from innovation where title like ?', ['Versi%']);
    expect(row).toEqual({ title: 'Versi Dua', version: 2 });
  });

  it('records who changed what, before and after, and nothing for a refused write', async () => {
    const before = Number((await api.sql<{ n: string }>('select count(*) as n from audit_event'))[0].n);
    await api.run(UPDATE, { i: { id, version: 99, title: 'Tidak' } }, VIEWERS.jatimOperator);
    expect(Number((await api.sql<{ n: string }>('select count(*) as n from audit_event'))[0].n)).toBe(before);
    const log = await api.run(
      `query($id: String) { auditEvents(filter: { entityId: $id }) { nodes { action role actor entityType entityId before after } } }`,
      { id },
      VIEWERS.ministry,
    );
    const nodes = (log.body.data as { auditEvents: { nodes: { action: string; role: string; actor: string; before: { title?: string } | null; after: { title: string } }[] } }).auditEvents.nodes;
    expect(nodes.map((n) => [n.action, n.role, n.actor, n.before?.title ?? null, n.after.title])).toEqual([
      ['innovation.update', 'HUB_OPERATOR', 'hub_operator-3', 'Versi', 'Versi Dua'],
      ['innovation.create', 'HUB_OPERATOR', 'hub_operator-3', null, 'Versi'],
    ]);
  });

  it.each(['update audit_event set action = $$x$$', 'delete from audit_event', 'truncate audit_event'])('refuses to rewrite history: %s', async (sql) => {
    await expect(api.sql(sql)).rejects.toThrow(/append-only/);
  });
});
