// GET /export/<kind>.<csv|jsonl>: key holders only, filtered like the GraphQL lists (checked against the
// lists' own answers), mentor names only where the GraphQL field shows them, coded errors with the right
// status, and a quota of rows per key with 429 and Retry-After, one quota whichever process serves the key.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parse } from 'csv-parse/sync';
import { createApiKey } from '../../src/auth/api-key.service';
import { Role } from '../../src/auth/viewer';
import { createHttpServer } from '../../src/http/http-server';
import { BudgetStore } from '../../src/limits/budget-store';
import { ExportQuota } from '../../src/modules/exports/export-quota';
import { ExportRoute, type ExportSettings } from '../../src/modules/exports/export.http';
import { dataOf, openTestApi, silentLogger, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';

type Row = Record<string, string>;

describe('GET /export/...', () => {
  let api: TestApi;
  const servers: { server: Server; exportRoute: ExportRoute }[] = [];
  /** Each a process's own connections to the budgets. */
  const stores: BudgetStore[] = [];
  const quota = (rowsPerWindow: number, windowSeconds: number) => {
    const budgets = new BudgetStore({ url: api.databaseUrl, acquireTimeoutMs: 5_000, statementTimeoutMs: 15_000 });
    stores.push(budgets);
    return new ExportQuota(budgets, rowsPerWindow, windowSeconds);
  };
  let base: string;
  const keys: Record<string, string> = {};

  const listen = async (settings: Partial<ExportSettings> = {}) => {
    const exportRoute = new ExportRoute(
      { url: api.databaseUrl, connections: 2, acquireTimeoutMs: 5_000, ...settings },
      api.orm,
      silentLogger,
    );
    const { server } = createHttpServer({ apollo: api.apollo, orm: api.orm, engine: api.engine, logger: silentLogger, exportRoute });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push({ server, exportRoute });
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  const get = (path: string, key?: string, at = base) => fetch(`${at}${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const errorOf = async (response: Response) => ({ status: response.status, body: await response.json() });
  const key = async (name: string, role: Role, scope: { provinceCode?: string; university?: { acronym: string } } = {}) => {
    const actor = { viewer: VIEWERS.ministry, requestId: null };
    const created = await createApiKey(api.orm.em.fork(), actor, { role, label: name, ...scope });
    keys[name] = created.key!;
  };

  beforeAll(async () => {
    api = await openTestApi();
    base = await listen();
    await key('ministry', Role.MINISTRY_ADMIN);
    await key('integration', Role.INTEGRATION);
    await key('untan', Role.UNIVERSITY, { university: { acronym: 'UNTAN' } });
    // Sessions with mentor names in a programme of UNTAN and one of UBB.
    const programmes = dataOf(await api.run(`{ mentoringProgrammes(first: 50) { nodes { id university { acronym } province { code } } } }`)).mentoringProgrammes.nodes;
    for (const acronym of ['UNTAN', 'UBB']) {
      const programme = programmes.find((p: { university: { acronym: string } | null }) => p.university?.acronym === acronym);
      const recorded = await api.run(
        `mutation($i: RecordMentoringSessionInput!) { recordMentoringSession(input: $i) { userErrors { message } } }`,
        { i: { programmeId: programme.id, heldOn: '2021-09-14', mode: 'ONLINE', topic: `Sesi ${acronym}`, mentorNames: [`Mentor ${acronym} 1`, `Mentor ${acronym} 2`], regencyCodes: [] } },
        VIEWERS.ministry,
      );
      expect(dataOf(recorded).recordMentoringSession.userErrors).toEqual([]);
    }
  });
  afterAll(async () => {
    for (const { server, exportRoute } of servers) {
      await new Promise((resolve) => server.close(resolve));
      await exportRoute.close();
    }
    for (const budgets of stores) await budgets.close();
    await api.close();
  });

  it('streams innovations of a province as CSV, the same records the GraphQL list filters', async () => {
    const response = await get('/export/innovations.csv?provinceCode=35', keys.integration);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="innovations-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parse(await response.text(), { columns: true }) as Row[];
    const list = dataOf(await api.run(`{ innovations(filter: { provinceCode: "35" }, first: 100) { totalCount nodes { id title regency { code } provenance { sources { label } } } } }`)).innovations;
    expect(list.totalCount).toBeGreaterThan(0);
    expect(rows.map((r) => [r.id, r.title, r.regencyCode, r.provinceCode])).toEqual(
      list.nodes.map((n: { id: string; title: string; regency: { code: string } | null }) => [n.id, n.title, n.regency?.code ?? '', '35']),
    );
    expect(rows[0].sources).toBe(list.nodes[0].provenance.sources.map((s: { label: string }) => s.label).join('|'));
  });

  it('streams replications as JSON Lines with list filters, the same records the GraphQL list filters', async () => {
    const response = await get('/export/replications.jsonl?kind=REPLICATION,SCALING_UP&yearFrom=2019', keys.integration);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, 'application/x-ndjson; charset=utf-8']);
    const lines = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const list = dataOf(await api.run(`{ replications(filter: { kind: [REPLICATION, SCALING_UP], yearFrom: 2019 }, first: 100) { totalCount nodes { id kind year status } } }`)).replications;
    expect(list.totalCount).toBeGreaterThan(0);
    expect(lines.map((l) => ({ id: l.id, kind: l.kind, year: l.year, status: l.status }))).toEqual(list.nodes);
  });

  it('gives mentor names in programmes and sessions exactly where the GraphQL field gives them', async () => {
    const exported = async (who: string) => {
      const text = await (await get('/export/mentoring-programmes.jsonl', keys[who])).text();
      return text.trim().split('\n').map((l) => JSON.parse(l) as { university: string | null; sessions: { topic: string; mentorNames: string[] | null }[] });
    };
    const names = (programmes: Awaited<ReturnType<typeof exported>>) =>
      programmes.flatMap((p) => p.sessions.filter((s) => s.topic.startsWith('Sesi ')).map((s) => [s.topic, s.mentorNames]));
    expect(names(await exported('ministry'))).toEqual([
      ['Sesi UNTAN', ['Mentor UNTAN 1', 'Mentor UNTAN 2']],
      ['Sesi UBB', ['Mentor UBB 1', 'Mentor UBB 2']],
    ]);
    expect(names(await exported('untan'))).toEqual([
      ['Sesi UNTAN', ['Mentor UNTAN 1', 'Mentor UNTAN 2']],
      ['Sesi UBB', null],
    ]);
    expect(names(await exported('integration'))).toEqual([
      ['Sesi UNTAN', null],
      ['Sesi UBB', null],
    ]);
    // The GraphQL field, for the university's key, agrees.
    const viewerUntan = { ...VIEWERS.untan, universityId: (await api.sql<{ id: number }>(`select id from university where acronym = 'UNTAN'`))[0].id };
    const graph = dataOf(await api.run(`{ mentoringProgrammes(first: 50) { nodes { sessions { nodes { topic mentorNames } } } } }`, {}, viewerUntan)).mentoringProgrammes.nodes
      .flatMap((p: { sessions: { nodes: { topic: string; mentorNames: string[] | null }[] } }) => p.sessions.nodes)
      .filter((s: { topic: string }) => s.topic.startsWith('Sesi '))
      .map((s: { topic: string; mentorNames: string[] | null }) => [s.topic, s.mentorNames]);
    const byTopic = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(graph.sort(byTopic)).toEqual(names(await exported('untan')).sort(byTopic));
  });

  it('flattens programmes to one CSV row per session, names joined by |', async () => {
    const rows = parse(await (await get('/export/mentoring-programmes.csv?provinceCode=61', keys.untan)).text(), { columns: true }) as Row[];
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.provinceCode === '61')).toBe(true);
    expect(rows.find((r) => r.topic === 'Sesi UNTAN')).toMatchObject({ university: 'UNTAN', mode: 'ONLINE', heldOn: '2021-09-14', mentorNames: 'Mentor UNTAN 1|Mentor UNTAN 2' });
  });

  it.each([
    ['/export/innovations.csv', undefined, 401, 'UNAUTHENTICATED', 'Exports need an API key: send Authorization: Bearer <key>.'],
    ['/export/innovations.csv', 'jipp_AAAAAAAA_' + 'A'.repeat(43), 401, 'UNAUTHENTICATED', 'The API key is malformed or unknown.'],
    ['/export/awards.csv', 'integration', 404, 'NOT_FOUND', expect.stringContaining('Nothing at /export/awards.csv')],
    ['/export/innovations.xml', 'integration', 404, 'NOT_FOUND', expect.stringContaining('/export/innovations.csv')],
    ['/export/innovations.csv?province=35', 'integration', 400, 'BAD_USER_INPUT', expect.stringContaining('Unknown parameter "province" for innovations')],
    ['/export/innovations.csv?provinceCode=3x', 'integration', 400, 'BAD_USER_INPUT', 'provinceCode must be a two-digit Kemendagri province code such as "35"; got "3x".'],
    ['/export/innovations.csv?yearFrom=20x5', 'integration', 400, 'BAD_USER_INPUT', 'yearFrom must be a whole number; got "20x5".'],
    ['/export/replications.csv?status=DONE', 'integration', 400, 'BAD_USER_INPUT', expect.stringContaining('status takes PROPOSED')],
  ])('answers %s (key %s) with %i %s as coded JSON', async (path, who, status, code, message) => {
    const response = await get(path, who === undefined ? undefined : (keys[who] ?? who));
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const { body } = await errorOf(response);
    expect([response.status, body]).toEqual([status, { errors: [{ message, extensions: expect.objectContaining({ code }) }] }]);
    if (status === 401) expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('refuses other methods than GET', async () => {
    const response = await fetch(`${base}/export/innovations.csv`, { method: 'POST', headers: { authorization: `Bearer ${keys.integration}` } });
    expect([response.status, response.headers.get('allow'), ((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code]).toEqual([405, 'GET, HEAD', 'BAD_REQUEST']);
  });

  it('keeps a quota of rows per key: 429 with Retry-After once it is used up, in every process, other keys unaffected', async () => {
    const total = (await api.sql<{ n: number }>(`select count(*)::int as n from innovation`))[0].n;
    const limited = await listen({ quota: quota(total + 1, 600) });
    const first = await get('/export/innovations.csv', keys.integration, limited);
    expect([first.status, first.headers.get('x-export-quota-limit'), first.headers.get('x-export-quota-remaining')]).toEqual([200, String(total + 1), String(total + 1)]);
    expect((parse(await first.text(), { columns: true }) as Row[]).length).toBe(total);
    // One row left: the next export may start, and finishes whole past the quota.
    const second = await get('/export/innovations.csv', keys.integration, limited);
    expect([second.status, second.headers.get('x-export-quota-remaining')]).toEqual([200, '1']);
    expect((parse(await second.text(), { columns: true }) as Row[]).length).toBe(total);
    const third = await get('/export/innovations.csv', keys.integration, limited);
    const retryAfter = Number(third.headers.get('retry-after'));
    expect([third.status, third.headers.get('x-export-quota-remaining')]).toEqual([429, '0']);
    expect(retryAfter).toBeGreaterThan(500);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(((await third.json()) as { errors: unknown }).errors).toEqual([
      {
        message: `This key has used its export quota of ${total + 1} rows per 600 s; retry in ${retryAfter} s.`,
        extensions: { code: 'RATE_LIMITED', retryAfter },
      },
    ]);
    // Another process (a server with its own connections to the budgets) has the same quota for the key.
    const other = await listen({ quota: quota(total + 1, 600) });
    expect([(await get('/export/innovations.csv', keys.integration, other)).status, (await get('/export/innovations.csv', keys.ministry, other)).status]).toEqual([429, 200]);
    expect((await get('/export/innovations.csv', keys.ministry, limited)).status).toBe(200);
    // The GraphQL budget is another one.
    const graphql = await fetch(`${limited}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${keys.integration}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(graphql.status).toBe(200);
  });
});
