// The browser pages in a real Chromium, checked against the API's own answers: /explore's hub markers,
// its edges after a filter and its diffusion tree; the explorer running a query with a key in its headers
// box; and a dashboard page on another origin that calls the API (CORS preflight included).
import http from 'node:http';
import type { Page } from 'playwright-core';
import { generateKey, hashKey } from '../../src/auth/api-keys';
import { listen, openBrowser, screenshotPath, serveApi, type Browser, type ServedApi } from '../support/browser';

let api: ServedApi;
let browser: Browser;

beforeAll(async () => {
  [api, browser] = await Promise.all([serveApi(), openBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
});

interface Edge {
  source: string;
  target: string;
}

/** The edges a map can draw, by the page's rule: between two different provinces, both placed. */
async function mapEdges(filter: Record<string, unknown>): Promise<number> {
  const { replicationGraph, provinces } = await api.query<{ replicationGraph: { edges: Edge[] }; provinces: { code: string; centroid: unknown }[] }>(
    `query($filter: ReplicationFilter) { provinces { code centroid { lat } } replicationGraph(level: PROVINCE, filter: $filter) { edges { source target } } }`,
    { filter },
  );
  const placed = new Set(provinces.filter((p) => p.centroid).map((p) => p.code));
  return replicationGraph.edges.filter((e) => e.source !== e.target && placed.has(e.source) && placed.has(e.target)).length;
}

async function openExplore(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${api.base}/explore`);
  await page.waitForSelector('#explore[aria-busy="false"]', { timeout: 30_000 });
  return page;
}

/** Waits until the page says it draws n edges (the page's CSP forbids evaluating script in it). */
const showsEdges = (page: Page, n: number) => page.locator('[data-testid="edge-count"]', { hasText: new RegExp(`^${n}$`) }).waitFor();

/** The drawn elements of a mark (its arrowhead markers left out). */
const count = (page: Page, label: string) => page.locator(`g[aria-description="${label}"] > :not(marker):not(defs)`).count();

describe('/explore', () => {
  let page: Page;

  beforeAll(async () => {
    page = await openExplore();
  });

  afterAll(async () => {
    await page.screenshot({ path: screenshotPath('explore.png') });
    await page.close();
  });

  it('marks every hub province that has a centroid, as the API lists them', async () => {
    const { provinces } = await api.query<{ provinces: { hub: unknown; centroid: unknown }[] }>(`{ provinces { hub { id } centroid { lat } } }`);
    const hubs = provinces.filter((p) => p.hub && p.centroid).length;
    expect(hubs).toBe(26);
    expect(await count(page, 'hub markers')).toBe(hubs);
    expect(await count(page, 'province markers')).toBe(38 - hubs);
    expect(await page.textContent('[data-testid="hub-count"]')).toBe(String(hubs));
  });

  it('draws the edges of the API graph, and after a filter the edges of the filtered graph', async () => {
    const all = await mapEdges({});
    const committed = await mapEdges({ status: ['COMMITTED'] });
    // A filter that changes nothing could not tell a page that ignores it from one that applies it.
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(all);
    expect(await count(page, 'replication edges')).toBe(all);

    await page.selectOption('#status', 'COMMITTED');
    await showsEdges(page, committed);
    expect(await count(page, 'replication edges')).toBe(committed);

    await page.selectOption('#status', '');
    await showsEdges(page, all);
  });

  it("shows the diffusion tree of the province's most adopted innovation with one node per adoption, plus its root", async () => {
    const id = await page.getAttribute('[data-testid="diffusion-title"]', 'data-innovation');
    const { innovation } = await api.query<{ innovation: { diffusion: { nodes: unknown[]; adoptions: number } } }>(
      `query($id: ID!) { innovation(id: $id) { diffusion(maxDepth: 10) { adoptions nodes { generation } } } }`,
      { id },
    );
    expect(innovation.diffusion.nodes.length).toBeGreaterThan(0);
    expect(await count(page, 'diffusion nodes')).toBe(innovation.diffusion.nodes.length + 1);
    expect(await count(page, 'diffusion links')).toBe(innovation.diffusion.nodes.length);
  });

  it("opens a hub province's panel with its hub impact, as hubImpact answers it", async () => {
    await page.selectOption('#province', '51');
    await page.locator('[data-testid="province-name"]', { hasText: 'BALI (51)' }).waitFor();
    const { hubImpact } = await api.query<{ hubImpact: { hubBefore: number; hubAfter: number } }>(`{ hubImpact(provinceCode: "51", window: 4) { hubBefore hubAfter } }`);
    const caption = await page.locator('#province-panel figcaption', { hasText: 'Hub impact' }).textContent();
    expect(caption).toContain(`${hubImpact.hubBefore.toFixed(1)} → ${hubImpact.hubAfter.toFixed(1)}`);
    expect(await count(page, 'before and after means')).toBeGreaterThanOrEqual(2);
  });

  it('shows the published headline numbers the API serves', async () => {
    expect(await page.textContent('[data-testid="jippnas-records"]')).toBe('2,928');
    expect(await count(page, 'registration bars')).toBe(9);
  });

  it('loads nothing from anywhere but the API', () => {
    const foreign = browser.requested.filter((url) => !url.startsWith(api.base) && !url.startsWith('data:'));
    expect(foreign).toEqual([]);
  });
});

describe('the explorer', () => {
  it('runs a query with an API key typed into its headers box', async () => {
    const { key, prefix } = generateKey();
    await api.orm.em.fork().getConnection().execute(`insert into api_key (label, role, prefix, hash) values ('Explorer test', 'MINISTRY_ADMIN', ?, ?)`, [prefix, hashKey(key)]);
    const page = await browser.newPage();
    await page.goto(`${api.base}/`);
    await page.waitForSelector('.graphiql-container .graphiql-query-editor .monaco-editor', { timeout: 30_000 });
    // A new tab starts empty; the example tabs stay as they are.
    await page.getByRole('button', { name: 'New tab' }).click();
    await page.locator('.graphiql-query-editor .monaco-editor').click();
    await page.keyboard.insertText('{ viewer { role keyLabel } }');
    await page.getByRole('button', { name: 'Headers', exact: true }).click();
    await page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${key}` }));
    await page.getByRole('button', { name: /Execute query/ }).click();
    const response = page.locator('.graphiql-response');
    await response.getByText('MINISTRY_ADMIN').waitFor({ timeout: 15_000 });
    const text = (await response.innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('"role": "MINISTRY_ADMIN"');
    expect(text).toContain('"keyLabel": "Explorer test"');
    await page.screenshot({ path: screenshotPath('explorer.png') });
    await page.close();
  });
});

describe('a dashboard on another origin', () => {
  let dashboard: http.Server;
  let origin: string;

  beforeAll(async () => {
    // The page a dashboard team serves from its own host: it calls the API with its key, by POST and by GET.
    dashboard = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<!doctype html><meta charset="utf-8"><pre id="post">…</pre><pre id="get">…</pre><script>
        const api = ${JSON.stringify(api.base)};
        const query = '{ province(code: "35") { name centroid { lat lon } } viewer { role } }';
        fetch(api + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-key' }, body: JSON.stringify({ query }) })
          .then(async (r) => { document.getElementById('post').textContent = r.status + ' ' + r.headers.get('x-request-id') + ' ' + await r.text(); })
          .catch((e) => { document.getElementById('post').textContent = 'failed ' + e; });
        fetch(api + '/graphql?query=' + encodeURIComponent('{ province(code: "35") { name } }'), { headers: { 'apollo-require-preflight': 'true' } })
          .then(async (r) => { document.getElementById('get').textContent = r.status + ' ' + await r.text(); })
          .catch((e) => { document.getElementById('get').textContent = 'failed ' + e; });
      </script>`);
    });
    origin = await listen(dashboard);
  });

  afterAll(async () => {
    dashboard.closeAllConnections();
    await new Promise<void>((resolve) => dashboard.close(() => resolve()));
  });

  it('reads the API by POST with an Authorization header and by GET, through CORS preflights', async () => {
    expect(new URL(origin).port).not.toBe(new URL(api.base).port);
    const page = await browser.newPage();
    await page.goto(origin);
    await page.locator('#post', { hasText: /^(\d{3}|failed) / }).waitFor();
    await page.locator('#get', { hasText: /^(\d{3}|failed) / }).waitFor();
    const post = (await page.textContent('#post'))!;
    const get = (await page.textContent('#get'))!;
    // An unknown key is refused, and the page can read why (and the request id to quote).
    const [status, requestId, ...body] = post.split(' ');
    expect(status).toBe('401');
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.parse(body.join(' ')).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const expected = await api.query(`{ province(code: "35") { name } }`);
    expect(get.startsWith('200 ')).toBe(true);
    expect(JSON.parse(get.slice(4)).data).toEqual(expected);
    await page.close();
  });
});
