// CORS at the HTTP front: preflights answered before Apollo's CSRF prevention, the default (any origin,
// no credentials), a list of origins echoed with Vary: Origin, and Vary: Authorization on every answer.
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../../src/config';
import { ResponseCache } from '../../src/cache/response-cache';
import { ChangeListener } from '../../src/changes/change-listener';
import type { Context } from '../../src/context';
import { openOrm } from '../../src/db/orm';
import { ReadEngine } from '../../src/graphql/sql/engine';
import { parseCorsOrigins, type CorsPolicy } from '../../src/http/cors';
import { createHttpServer } from '../../src/http/http-server';
import { createApolloServer } from '../../src/server';
import { createTestDatabase, readPoolSettings, silentLogger } from '../support/harness';

let database: { url: string; drop: () => Promise<void> };
let orm: MikroORM;
let engine: ReadEngine;
let apollo: ApolloServer<Context>;
let changes: ChangeListener;
const servers: http.Server[] = [];

async function serve(cors?: CorsPolicy): Promise<string> {
  const { server } = createHttpServer({ apollo, orm, engine, logger: silentLogger, ...(cors ? { cors } : {}) });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let anyOrigin: string;
let listed: string;

beforeAll(async () => {
  database = await createTestDatabase();
  orm = await openOrm({ clientUrl: database.url, poolMax: 3 });
  engine = await ReadEngine.open(orm.getMetadata(), readPoolSettings(database.url));
  changes = new ChangeListener(database.url, silentLogger);
  await changes.start();
  apollo = await createApolloServer(engine, silentLogger, { responseCache: new ResponseCache(30, changes) });
  anyOrigin = await serve();
  listed = await serve(parseCorsOrigins('https://dashboard.example.go.id, http://localhost:5173'));
});

afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await apollo.stop();
  await changes.close();
  await engine.close();
  await orm.close();
  await database.drop();
});

const PREFLIGHT = { 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' };
const cors = (response: Response) => Object.fromEntries([...response.headers].filter(([name]) => name.startsWith('access-control-') || name === 'vary'));

describe('CORS preflight (OPTIONS /graphql)', () => {
  it('is answered 204 with what a page may send, for any origin by default (Apollo alone answered 400)', async () => {
    const response = await fetch(`${anyOrigin}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://anywhere.example', ...PREFLIGHT } });
    expect(response.status).toBe(204);
    expect(cors(response)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name',
      'access-control-max-age': '600',
      vary: 'Access-Control-Request-Headers',
    });
    expect(await response.text()).toBe('');
  });

  it('echoes a listed origin with Vary: Origin, and refuses another with 403 FORBIDDEN', async () => {
    const allowed = await fetch(`${listed}/graphql`, { method: 'OPTIONS', headers: { origin: 'http://localhost:5173', ...PREFLIGHT } });
    expect([allowed.status, allowed.headers.get('access-control-allow-origin'), allowed.headers.get('vary')]).toEqual([
      204,
      'http://localhost:5173',
      'Origin, Access-Control-Request-Headers',
    ]);
    const refused = await fetch(`${listed}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', ...PREFLIGHT } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toEqual({
      errors: [{ message: 'Cross-origin requests from https://evil.example are not allowed here (CORS_ORIGINS).', extensions: { code: 'FORBIDDEN' } }],
    });
  });

  it('refuses a method the API does not have', async () => {
    const response = await fetch(`${anyOrigin}/graphql`, { method: 'OPTIONS', headers: { origin: 'https://a.example', 'access-control-request-method': 'DELETE' } });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('FORBIDDEN');
  });
});

describe('CORS on GraphQL answers', () => {
  const body = JSON.stringify({ query: '{ province(code: "35") { name } }' });

  it('lets any origin read a public answer, which stays cacheable but varies by Authorization', async () => {
    const response = await fetch(`${anyOrigin}/graphql`, { method: 'POST', headers: { origin: 'https://a.example', 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(cors(response)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-used, x-ratelimit-reset',
      vary: 'Authorization',
    });
    expect(response.headers.get('cache-control')).toBe('max-age=30, public');
  });

  it('sends a keyed answer no-store, and an error a page on another origin can read', async () => {
    const response = await fetch(`${anyOrigin}/graphql`, {
      method: 'POST',
      headers: { origin: 'https://a.example', 'content-type': 'application/json', authorization: 'Bearer jipp_notakey0_' + 'x'.repeat(43) },
      body,
    });
    expect([response.status, response.headers.get('access-control-allow-origin'), response.headers.get('vary')]).toEqual([401, '*', 'Authorization']);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('echoes a listed origin with Vary: Authorization, Origin, and gives another no CORS headers', async () => {
    const allowed = await fetch(`${listed}/graphql`, { method: 'POST', headers: { origin: 'https://dashboard.example.go.id', 'content-type': 'application/json' }, body });
    expect([allowed.headers.get('access-control-allow-origin'), allowed.headers.get('vary')]).toEqual(['https://dashboard.example.go.id', 'Authorization, Origin']);
    const other = await fetch(`${listed}/graphql`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/json' }, body });
    expect([other.status, other.headers.get('access-control-allow-origin'), other.headers.get('vary')]).toEqual([200, null, 'Authorization, Origin']);
  });

  it('still applies CSRF prevention to a simple GET without a preflight header', async () => {
    const response = await fetch(`${anyOrigin}/graphql?query=${encodeURIComponent('{ province(code: "35") { name } }')}`, { headers: { origin: 'https://a.example' } });
    expect(response.status).toBe(400);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('CORS_ORIGINS', () => {
  it('defaults to any origin and reads none and lists', () => {
    expect(loadConfig({}).CORS_ORIGINS).toEqual({ kind: 'any' });
    expect(loadConfig({ CORS_ORIGINS: 'none' }).CORS_ORIGINS).toEqual({ kind: 'none' });
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example,http://localhost:5173' }).CORS_ORIGINS).toEqual({
      kind: 'list',
      origins: new Set(['https://a.example', 'http://localhost:5173']),
    });
  });

  it.each(['https://a.example/', 'https://a.example/path', 'a.example', 'ftp://a.example'])('refuses %s, which no browser sends as an origin', (value) => {
    expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/CORS_ORIGINS: .* is not an origin/);
  });
});
