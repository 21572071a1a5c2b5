// Real HTTP against the in-process server, assembled the way src/app.ts does it, on a database of its own:
// status codes, headers, request limits, the local query page, health routes and error masking.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServer } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import pino from 'pino';
import type { Context } from '../../src/context';
import { openOrm } from '../../src/db/orm';
import { ReadEngine } from '../../src/graphql/sql/engine';
import { createHttpServer, MAX_BODY_BYTES } from '../../src/http/http-server';
import { createApolloServer } from '../../src/server';
import { createTestDatabase, readPoolSettings } from '../support/harness';

interface HttpResult {
  status: number;
  headers: Headers;
  body: any;
  /** The body as sent. */
  text: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let database: { url: string; drop: () => Promise<void> };
let orm: MikroORM;
let engine: ReadEngine;
let apollo: ApolloServer<Context>;
let server: http.Server;
let base: string;
/** What the server logged at level error or above; masked errors must keep their cause here. */
const logged: Record<string, any>[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  orm = await openOrm({ clientUrl: database.url, poolMax: 5 });
  const logger = pino({ level: 'error' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  engine = await ReadEngine.open(orm.getMetadata(), readPoolSettings(database.url));
  apollo = await createApolloServer(engine, logger);
  server = createHttpServer({ apollo, orm, engine, logger }).server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await apollo.stop();
  await engine.close();
  await orm.close();
  await database.drop();
});

async function request(path: string, init: RequestInit = {}): Promise<HttpResult> {
  const response = await fetch(`${base}${path}`, init);
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, headers: response.headers, body: isJson ? JSON.parse(text) : text, text };
}

function post(body: string, headers: Record<string, string> = JSON_TYPE): Promise<HttpResult> {
  return request('/graphql', { method: 'POST', headers, body });
}

function postQuery(query: string, variables?: Record<string, unknown>): Promise<HttpResult> {
  return post(JSON.stringify({ query, variables }));
}

/**
 * The extensions every GraphQL response carries: the request id (also in the header), the SQL count and the
 * operation's cost against the per-operation limit (0 when it was refused before it could be priced).
 */
function responseExtensions(result: HttpResult, sqlStatements: unknown, requested: unknown = expect.any(Number)) {
  return { requestId: result.headers.get('x-request-id'), sqlStatements, cost: { requested, limit: 50_000 } };
}

describe('POST /graphql', () => {
  it('answers a query with 200, the request id in a header and in extensions, and the SQL statement count', async () => {
    const result = await postQuery('{ province(code: "35") { code name regencyCount } }');

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(result.headers.get('x-request-id')).toMatch(UUID);
    expect(result.body).toEqual({
      data: { province: { code: '35', name: 'JAWA TIMUR', regencyCount: 38 } },
      extensions: responseExtensions(result, expect.any(Number), 1),
    });
    expect(result.body.extensions.sqlStatements).toBeGreaterThan(0);
    // Sent with its length in one piece, not in chunked encoding.
    expect(result.headers.get('content-length')).toBe(String(Buffer.byteLength(result.text)));
    expect(result.headers.get('transfer-encoding')).toBeNull();
  });

  it('sends a large answer (a regency graph) with its length, in one piece', async () => {
    const result = await postQuery('{ replicationGraph(level: REGENCY) { nodes { code incoming } edges { source target byKind { kind count } } totals { crossProvinceShare } } }');
    expect(result.status).toBe(200);
    expect(result.body.data.replicationGraph.nodes.length).toBeGreaterThan(10);
    expect(result.headers.get('content-length')).toBe(String(Buffer.byteLength(result.text)));
    expect(result.headers.get('transfer-encoding')).toBeNull();
  });

  it('gives every request its own id', async () => {
    const [a, b] = await Promise.all([postQuery('{ provinces { code } }'), postQuery('{ provinces { code } }')]);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });

  it('rejects a syntax error with 400 GRAPHQL_PARSE_FAILED before touching the database', async () => {
    const result = await postQuery('{ provinces { code ');

    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: [
        {
          message: 'Syntax Error: Expected Name, found <EOF>.',
          locations: [{ line: 1, column: 20 }],
          extensions: { code: 'GRAPHQL_PARSE_FAILED' },
        },
      ],
      extensions: responseExtensions(result, 0),
    });
  });

  it('rejects an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const result = await postQuery('{ provinces { population } }');

    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: [
        {
          message: expect.stringContaining('Cannot query field "population" on type "Province".'),
          locations: [{ line: 1, column: 15 }],
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        },
      ],
      extensions: responseExtensions(result, 0),
    });
  });

  it('rejects a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
    const result = await postQuery('query Province($code: String!) { province(code: $code) { name } }', { code: 35 });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: [
        {
          message: 'Variable "$code" got invalid value 35; String cannot represent a non string value: 35',
          locations: [{ line: 1, column: 16 }],
          extensions: { code: 'BAD_USER_INPUT' },
        },
      ],
      extensions: responseExtensions(result, 0),
    });
  });

  it('rejects a body that is not JSON with 400 and still names the request', async () => {
    const result = await post('{"query": "{ provinces { code } }"');

    expect(result.status).toBe(400);
    expect(result.headers.get('x-request-id')).toMatch(UUID);
    expect(result.body).toEqual({ errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  });

  it('rejects a body over 1,000,000 bytes with 413', async () => {
    const query = `{ provinces { code } } # ${'x'.repeat(MAX_BODY_BYTES)}`;
    const result = await postQuery(query);

    expect(MAX_BODY_BYTES).toBe(1_000_000);
    expect(result.status).toBe(413);
    expect(result.body).toEqual({
      errors: [{ message: 'The request body is larger than 1000000 bytes.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('rejects a streamed body (no content-length) over 1,000,000 bytes with 413 instead of dropping the connection', async () => {
    const result = await new Promise<{ status: number | undefined; body: string }>((resolve, reject) => {
      const req = http.request(`${base}/graphql`, { method: 'POST', headers: { ...JSON_TYPE, 'transfer-encoding': 'chunked' } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(100_000);
      let sent = 0;
      const write = (): void => {
        while (sent < 15) {
          sent += 1;
          if (!req.write(chunk)) {
            req.once('drain', write);
            return;
          }
        }
        req.end();
      };
      write();
    });

    expect(result.status).toBe(413);
    expect(JSON.parse(result.body)).toEqual({
      errors: [{ message: 'The request body is larger than 1000000 bytes.', extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('blocks a POST with a simple content type (text/plain) as a possible cross-site request forgery', async () => {
    const result = await post(JSON.stringify({ query: '{ provinces { code } }' }), { 'content-type': 'text/plain' });

    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: [{ message: expect.stringContaining('Cross-Site Request Forgery'), extensions: { code: 'BAD_REQUEST' } }],
    });
  });
});

describe('GET /graphql', () => {
  const provincesQuery = `/graphql?query=${encodeURIComponent('{ province(code: "73") { name } }')}`;

  it('answers a query given as ?query= when the request carries a preflight header', async () => {
    const result = await request(provincesQuery, { headers: { 'apollo-require-preflight': 'true' } });

    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      data: { province: { name: 'SULAWESI SELATAN' } },
      extensions: responseExtensions(result, expect.any(Number)),
    });
  });

  it('blocks a query without a preflight header with 400, as CSRF prevention requires', async () => {
    const result = await request(provincesQuery);

    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: [{ message: expect.stringContaining('Cross-Site Request Forgery'), extensions: { code: 'BAD_REQUEST' } }],
    });
  });

  it('refuses a mutation with 405', async () => {
    const mutation = 'mutation { updateReplicationStatus(input: { id: "x", version: 1, status: COMMITTED }) { replayed } }';
    const result = await request(`/graphql?query=${encodeURIComponent(mutation)}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });

    expect(result.status).toBe(405);
    expect(result.body).toEqual({
      errors: [{ message: 'GET requests only support query operations, not mutation operations', extensions: { code: 'BAD_REQUEST' } }],
      extensions: responseExtensions(result, 0),
    });
  });

  it('serves a browser the explorer, whose page loads its own bundle only and forbids anything else', async () => {
    const result = await request('/graphql', { headers: { accept: 'text/html,application/xhtml+xml' } });

    expect(result.status).toBe(200);
    expect(result.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(result.body).toContain('<div id="graphiql"></div>');
    expect([...result.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1])).toEqual(['data:,', '/assets/explorer.css', '/assets/explorer.js']);
    expect(result.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(result.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const root = await request('/', { headers: { accept: 'text/html' } });
    expect(root.text).toBe(result.text);
    const script = await fetch(`${base}/assets/explorer.js`, { headers: { 'accept-encoding': 'gzip' } });
    expect([script.status, script.headers.get('content-type'), script.headers.get('content-encoding')]).toEqual([200, 'text/javascript; charset=utf-8', 'gzip']);
    const again = await fetch(`${base}/assets/explorer.js`, { headers: { 'if-none-match': script.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});

describe('persisted queries (Apollo APQ)', () => {
  const QUERY = '{ province(code: "51") { name } }';
  const HASH = createHash('sha256').update(QUERY).digest('hex');
  const persisted = (sha256Hash: string, version = 1) => ({ persistedQuery: { version, sha256Hash } });

  it('asks for the text of an unknown hash, keeps it once sent, then answers the hash alone, by POST or GET', async () => {
    const unknown = await post(JSON.stringify({ extensions: persisted(HASH) }));
    expect([unknown.status, unknown.body.errors]).toEqual([200, [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }]]);

    const registered = await post(JSON.stringify({ query: QUERY, extensions: persisted(HASH) }));
    expect([registered.status, registered.body.data]).toEqual([200, { province: { name: 'BALI' } }]);

    const byHash = await post(JSON.stringify({ extensions: persisted(HASH) }));
    expect(byHash.status).toBe(200);
    expect(byHash.body).toEqual({ data: { province: { name: 'BALI' } }, extensions: responseExtensions(byHash, 1) });

    // A GET that names only the hash: short enough for any URL, and cacheable by a CDN in front.
    const get = await request(`/graphql?extensions=${encodeURIComponent(JSON.stringify(persisted(HASH)))}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect([get.status, get.body.data]).toEqual([200, { province: { name: 'BALI' } }]);
  });

  it('refuses a hash that does not match the text, and an unknown version, with 400 BAD_REQUEST', async () => {
    const mismatch = await post(JSON.stringify({ query: QUERY, extensions: persisted('0'.repeat(64)) }));
    expect([mismatch.status, mismatch.body.errors]).toEqual([400, [{ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } }]]);
    const version = await post(JSON.stringify({ query: QUERY, extensions: persisted(HASH, 2) }));
    expect([version.status, version.body.errors]).toEqual([400, [{ message: 'Unsupported persisted query version', extensions: { code: 'BAD_REQUEST' } }]]);
    // Not logged as a server fault.
    expect(JSON.stringify(logged)).not.toContain('provided sha');
  });
});

describe('health and other paths', () => {
  it('reports liveness on /livez', async () => {
    const result = await request('/livez');
    expect([result.status, result.body]).toEqual([200, { status: 'ok' }]);
  });

  it('reports readiness on /readyz while the database is reachable', async () => {
    const result = await request('/readyz');
    expect([result.status, result.body]).toEqual([200, { status: 'ready' }]);
  });

  it('answers an unknown path with 404 JSON pointing at /graphql', async () => {
    const result = await request('/graphq');

    expect(result.status).toBe(404);
    expect(result.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(result.body).toEqual({ errors: [{ message: 'Nothing at /graphq; GraphQL is at /graphql.', extensions: { code: 'NOT_FOUND' } }] });
  });
});

describe('bad arguments', () => {
  const cases: [string, string, Record<string, unknown> | null, string, string][] = [
    ['a page size over 100', '{ regencies(first: 101) { totalCount } }', null, 'first must be between 0 and 100; got 101.', 'first'],
    ['a malformed cursor', '{ innovations(after: "garbage") { totalCount } }', null, '"garbage" is not a valid cursor for this list.', 'after'],
    ['a malformed id', '{ innovation(id: "garbage") { title } }', { innovation: null }, '"garbage" is not a valid Innovation id.', 'id'],
    ['a malformed node id', '{ node(id: "garbage") { id } }', { node: null }, '"garbage" is not a valid id.', 'id'],
    ['both first and last', '{ innovations(first: 1, last: 1) { totalCount } }', null, 'Pass either first or last, not both.', 'first'],
    [
      'a malformed province code',
      '{ province(code: "x") { name } }',
      { province: null },
      'code must be a two-digit Kemendagri province code such as "35"; got "x".',
      'code',
    ],
  ];

  it.each(cases)('answer %s with BAD_USER_INPUT naming the argument, never a 500', async (_name, query, data, message, argument) => {
    const result = await postQuery(query);
    const field = Object.keys(data ?? {})[0] ?? query.match(/^\{ (\w+)/)![1];

    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      data,
      errors: [{ message, locations: [{ line: 1, column: 3 }], path: [field], extensions: { code: 'BAD_USER_INPUT', argument } }],
      extensions: responseExtensions(result, 0),
    });
  });
});

// Last on purpose: it breaks this file's database.
describe('unexpected failures', () => {
  it('are masked as INTERNAL_SERVER_ERROR with the request id, while the log keeps the cause', async () => {
    await orm.em.fork().getConnection().execute('drop table award cascade');
    logged.length = 0;

    const result = await postQuery('{ innovations(first: 1) { nodes { title awards { tier } } } }');
    const requestId = result.headers.get('x-request-id');

    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      data: null,
      errors: [
        {
          message: `Internal server error. Quote request id ${requestId} when reporting it.`,
          locations: [{ line: 1, column: 3 }],
          path: ['innovations'],
          extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
        },
      ],
      extensions: responseExtensions(result, 1, 1 + 3),
    });
    expect(JSON.stringify(result.body)).not.toContain('award" does not exist');
    // The log keeps the cause, the statement that met it and the stack.
    expect(logged).toEqual([
      expect.objectContaining({
        msg: 'unexpected error',
        requestId,
        err: expect.objectContaining({ message: expect.stringContaining('relation "award" does not exist'), statement: expect.stringContaining('from award') }),
      }),
    ]);
    expect(logged[0].err.stack).toEqual(expect.any(String));
  });
});
