// The prepared lane (src/http/prepared-answers.ts) over real HTTP: a compiled query Apollo answered once is
// answered again without Apollo, and nothing a client can see tells the two apart: the same status, headers
// and body byte for byte (but the request id), the same rate-limit charge, the same errors when the
// database fails. Which path answered is in the log line of each request (`prepared`).
import type http from 'node:http';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import { dashboardOperations } from '../../bench/operations';
import { createKey } from '../../src/auth/keys.cli';
import { Role } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config';
import { PreparedAnswers } from '../../src/http/prepared-answers';
import type { RequestRecord } from '../../src/http/request-scope';
import { CostRateLimiter } from '../../src/limits/rate-limiter';
import { COMPILED_STATEMENT_FAILED } from '../../src/server';
import { createTestDatabase } from '../support/harness';
import { lockProvinces, postGraphQL, send, startTestServer, type Reply, type TestServer } from '../hardening/support';

const STATEMENT_TIMEOUT_MS = 2_000;

let database: { url: string; drop: () => Promise<void> };
let api: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  api = await startTestServer({
    databaseUrl: database.url,
    orm: { statementTimeoutMs: STATEMENT_TIMEOUT_MS },
    server: { rateLimiter: new CostRateLimiter({ windowSeconds: 60, anonymousPoints: 1_000_000, keyPoints: 1_000_000 }) },
  });
});
afterAll(async () => {
  await api.close();
  await database.drop();
});

/** Which path answered each request since `from` (the log lines of GraphQL requests, in order). */
function paths(from: number): ('apollo' | 'prepared')[] {
  return api.logs
    .slice(from)
    .filter((line) => line.msg === 'graphql operation')
    .map((line) => (line.prepared ? 'prepared' : 'apollo'));
}

/** What a client sees of an answer, with the request id (fresh per request) and the Date header taken out. */
function seen(reply: Reply) {
  const requestId = String(reply.headers['x-request-id']);
  const headers: Record<string, unknown> = { ...reply.headers };
  delete headers.date;
  delete headers['x-request-id'];
  return { status: reply.status, headers, text: reply.text.split(requestId).join('<request id>') };
}

/** The budget headers and extensions.cost.remaining, which change with every charge. */
function withoutBudget(view: ReturnType<typeof seen>) {
  const headers = { ...view.headers };
  for (const name of ['x-ratelimit-remaining', 'x-ratelimit-used', 'x-ratelimit-reset']) delete headers[name];
  return { ...view, headers, text: view.text.replace(/"remaining":\d+/, '"remaining":<n>') };
}

const CLIENT = { localAddress: '127.0.0.2' };

describe('the prepared lane', () => {
  it('answers each dashboard operation the second time without Apollo, as Apollo answered it, byte for byte', async () => {
    const [{ id: root }] = await api.orm.em
      .fork()
      .getConnection()
      .execute<{ id: number }[]>('select source_id as id from replication group by source_id order by count(*) desc, source_id limit 1');
    const operations = dashboardOperations({ diffusionRoot: root, province: '51', sourceProvince: '51', hubProvince: '35' });
    expect(operations).toHaveLength(9);
    for (const operation of operations) {
      const from = api.logs.length;
      const replies: Reply[] = [];
      for (let i = 0; i < 3; i += 1) replies.push(await postGraphQL(api.url, operation.query, operation.variables, { localAddress: '127.0.0.9' }));

      expect({ operation: operation.name, paths: paths(from) }).toEqual({ operation: operation.name, paths: ['apollo', 'prepared', 'prepared'] });
      const [apollo, ...prepared] = replies.map(seen);
      expect(apollo.status).toBe(200);
      expect(apollo.text).toMatch(/^\{"data":\{/);
      for (const view of prepared) expect(withoutBudget(view)).toEqual(withoutBudget(apollo));
      // Each answer spent the operation's cost once.
      const remaining = replies.map((reply) => Number(reply.headers['x-ratelimit-remaining']));
      const cost = replies[0].body.extensions.cost.requested as number;
      expect(remaining).toEqual([remaining[0], remaining[0] - cost, remaining[0] - 2 * cost]);
      expect(replies.map((reply) => reply.body.extensions.cost.remaining)).toEqual(remaining);
    }
  });

  it('writes the same bytes as Apollo for a caller without a rate limit (only the request id differs)', async () => {
    const unlimited = await startTestServer({
      databaseUrl: database.url,
      server: { rateLimiter: new CostRateLimiter({ windowSeconds: 60, anonymousPoints: 0, keyPoints: 0 }) },
    });
    try {
      const operations = dashboardOperations({ diffusionRoot: 1, province: '51', sourceProvince: '51', hubProvince: '35' });
      for (const operation of operations) {
        const replies: Reply[] = [];
        for (let i = 0; i < 3; i += 1) replies.push(await postGraphQL(unlimited.url, operation.query, operation.variables, CLIENT));
        const [apollo, ...prepared] = replies.map(seen);
        expect({ operation: operation.name, status: apollo.status, budget: apollo.headers['x-ratelimit-limit'] }).toEqual({
          operation: operation.name,
          status: 200,
          budget: undefined,
        });
        for (const view of prepared) expect(view).toEqual(apollo);
        expect(new Set(replies.map((reply) => reply.headers['x-request-id'])).size).toBe(3);
      }
      const lines = unlimited.logs.filter((line) => line.msg === 'graphql operation');
      expect(lines.map((line) => line.prepared)).toEqual(operations.flatMap(() => [false, true, true]));
    } finally {
      await unlimited.close();
    }
  });

  it('keeps an answer per operation, variables and Accept header, never one for another', async () => {
    const query = 'query($code: String!) { province(code: $code) { code name } }';
    const from = api.logs.length;
    const bali = [await postGraphQL(api.url, query, { code: '51' }, CLIENT), await postGraphQL(api.url, query, { code: '51' }, CLIENT)];
    const jatim = [await postGraphQL(api.url, query, { code: '35' }, CLIENT), await postGraphQL(api.url, query, { code: '35' }, CLIENT)];
    const accept = { ...CLIENT, headers: { accept: 'application/graphql-response+json' } };
    const strict = [await postGraphQL(api.url, query, { code: '51' }, accept), await postGraphQL(api.url, query, { code: '51' }, accept)];

    expect(paths(from)).toEqual(['apollo', 'prepared', 'apollo', 'prepared', 'apollo', 'prepared']);
    expect([...bali, ...jatim, ...strict].map((reply) => reply.body.data.province)).toEqual([
      { code: '51', name: 'BALI' },
      { code: '51', name: 'BALI' },
      { code: '35', name: 'JAWA TIMUR' },
      { code: '35', name: 'JAWA TIMUR' },
      { code: '51', name: 'BALI' },
      { code: '51', name: 'BALI' },
    ]);
    expect(strict.map((reply) => reply.headers['content-type'])).toEqual([
      'application/graphql-response+json; charset=utf-8',
      'application/graphql-response+json; charset=utf-8',
    ]);
    expect(withoutBudget(seen(strict[1]))).toEqual(withoutBudget(seen(strict[0])));
  });

  it('takes only anonymous JSON POSTs of a query, operation name and variables', async () => {
    const { key } = await createKey(api.orm, { role: Role.INTEGRATION, label: 'prepared lane test' });
    const query = '{ provinces { code } }';
    const body = (extra: object) => JSON.stringify({ query, ...extra });
    const post = (text: string, headers: Record<string, string> = {}) =>
      send(api.url, { ...CLIENT, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: text });
    await post(body({}));
    await post(body({}));
    const from = api.logs.length;

    const replies = [
      await post(body({}), { authorization: `Bearer ${key}` }),
      await post(body({ extensions: {} })),
      await post(body({}), { 'content-type': 'application/json; charset=utf-8' }),
      await send(`${api.url}?query=${encodeURIComponent(query)}`, { ...CLIENT, headers: { 'apollo-require-preflight': '1' } }),
      await post(body({ operationName: null, variables: null })),
    ];

    expect(replies.map((reply) => [reply.status, reply.body.data?.provinces.length])).toEqual([
      [200, 38],
      [200, 38],
      [200, 38],
      [200, 38],
      [200, 38],
    ]);
    // Null variables and operation name are absent ones: the same question.
    expect(paths(from)).toEqual(['apollo', 'apollo', 'prepared', 'apollo', 'prepared']);
  });

  it('refuses a request over its budget as Apollo does, spending nothing and sending no SQL', async () => {
    const small = await startTestServer({
      databaseUrl: database.url,
      server: { rateLimiter: new CostRateLimiter({ windowSeconds: 60, anonymousPoints: 100, keyPoints: 100 }) },
    });
    try {
      const query = '{ regencies(first: 40) { totalCount } }';
      const replies: Reply[] = [];
      for (let i = 0; i < 4; i += 1) replies.push(await postGraphQL(small.url, query, undefined, CLIENT));
      const fits = await postGraphQL(small.url, '{ regencies(first: 20) { totalCount } }', undefined, CLIENT);

      expect(small.logs.filter((line) => line.msg === 'graphql operation').map((line) => [line.status, line.prepared, line.codes])).toEqual([
        [200, false, []],
        [200, true, []],
        [429, false, ['RATE_LIMITED']],
        [429, false, ['RATE_LIMITED']],
        [200, false, []],
      ]);
      const refused = replies[2];
      const retryAfter = Number(refused.headers['retry-after']);
      expect(refused.body).toEqual({
        errors: [
          {
            message: `Rate limit exceeded: this operation costs 40 and 20 of your 100 points are left in this window; retry after ${retryAfter} s.`,
            extensions: { code: 'RATE_LIMITED', cost: 40, retryAfter },
          },
        ],
        extensions: { requestId: refused.headers['x-request-id'], sqlStatements: 0, cost: { requested: 40, limit: 50_000, remaining: 20 } },
      });
      expect(replies.map((reply) => reply.headers['x-ratelimit-remaining'])).toEqual(['60', '20', '20', '20']);
      expect([fits.status, fits.headers['x-ratelimit-remaining']]).toEqual([200, '0']);
    } finally {
      await small.close();
    }
  });

  it('hands a statement that met a database fault to Apollo, which answers as it would have, after one wait', async () => {
    // The same question twice: once kept by the lane, once (other spacing, another text) only Apollo's.
    const kept = '{ provinces { name } }';
    const apolloOnly = '{ provinces {  name } }';
    // Learned, then answered by the lane once: the third time its body is known and not parsed first.
    await postGraphQL(api.url, kept, undefined, CLIENT);
    await postGraphQL(api.url, kept, undefined, CLIENT);
    const lock = await lockProvinces(database.url);
    const from = api.logs.length;
    const replies: Reply[] = [];
    try {
      replies.push(await postGraphQL(api.url, kept, undefined, CLIENT));
      replies.push(await postGraphQL(api.url, apolloOnly, undefined, CLIENT));
    } finally {
      await lock.release();
    }

    expect(paths(from)).toEqual(['apollo', 'apollo']);
    const [handed, apollo] = replies.map((reply) => withoutBudget(seen(reply)));
    expect(handed).toEqual(apollo);
    expect([replies[0].body.errors[0].extensions.reason, replies[0].body.extensions.sqlStatements]).toEqual(['STATEMENT_TIMEOUT', 1]);
    for (const reply of replies) {
      expect(reply.ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 100);
      expect(reply.ms).toBeLessThan(2 * STATEMENT_TIMEOUT_MS - 300);
    }
    // The answer is kept: once the database answers again, so does the lane.
    const after = await postGraphQL(api.url, kept, undefined, CLIENT);
    expect([after.status, after.body.data.provinces.length, paths(from)]).toEqual([200, 38, ['apollo', 'apollo', 'prepared']]);
  });
});

/** Apollo's answer with this data and extensions text. */
function apolloAnswer(dataText: string, extensions: string): HTTPGraphQLResponse {
  return {
    status: undefined,
    headers: new HeaderMap([['content-type', 'application/json; charset=utf-8']]),
    body: { kind: 'complete', string: `{"data":${dataText},"extensions":${extensions}}\n` },
  };
}

/** The record of a request Apollo answered from one statement (request id r1, cost 3 of 50, no budget). */
function learnable(): RequestRecord {
  return { requestId: 'r1', clientAddress: '127.0.0.1', startedAt: 0n, codes: [], cost: 3, limits: { maxCost: 50 }, budget: null, operationType: 'query' };
}

describe('PreparedAnswers.learn', () => {
  const answer = (text: string) => apolloAnswer(DATA, text);
  const record = learnable;
  const DATA = '{"a" : 1}';

  it('keeps an answer only when it would have written the same bytes', () => {
    const lane = new PreparedAnswers(api.orm.em.fork());
    lane.learn('same', record(), 'select 1', DATA, answer('{"sqlStatements":1,"requestId":"r1","cost":{"requested":3,"limit":50}}'));
    lane.learn('more', record(), 'select 1', DATA, answer('{"requestId":"r1","sqlStatements":1,"cost":{"requested":3,"limit":50},"trace":1}'));
    lane.learn('count', record(), 'select 1', DATA, answer('{"requestId":"r1","sqlStatements":2,"cost":{"requested":3,"limit":50}}'));
    lane.learn('spacing', record(), 'select 1', DATA, answer('{"requestId": "r1","sqlStatements":1,"cost":{"requested":3,"limit":50}}'));
    lane.learn('error', { ...record(), codes: ['NOT_FOUND'] }, 'select 1', DATA, answer('{"requestId":"r1","sqlStatements":1,"cost":{"requested":3,"limit":50}}'));

    expect(lane.size).toBe(1);
  });
});

describe('PreparedAnswers.knownKey', () => {
  const request = (headers: Record<string, string>) =>
    ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers } }) as unknown as http.IncomingMessage;
  const TEXT = '{"query":"{ provinces { code } }"}';

  it('knows a body as sent once the lane answers its question, with the same Accept header and no credentials', () => {
    const lane = new PreparedAnswers(api.orm.em.fork());
    const req = request({});
    const key = lane.keyOf(req, JSON.parse(TEXT), TEXT)!;
    // Not before the question has an answer kept.
    expect(lane.knownKey(req, TEXT)).toBeUndefined();
    lane.learn(key, learnable(), 'select 1', '{}', apolloAnswer('{}', '{"requestId":"r1","sqlStatements":1,"cost":{"requested":3,"limit":50}}'));
    expect(lane.size).toBe(1);
    expect(lane.keyOf(req, JSON.parse(TEXT), TEXT)).toBe(key);

    expect(lane.knownKey(req, TEXT)).toBe(key);
    // A body padded past the key's limit is answered by its key but not kept by its bytes.
    const padded = `${TEXT}${' '.repeat(20_000)}`;
    expect(lane.keyOf(req, JSON.parse(padded), padded)).toBe(key);
    expect(lane.knownKey(req, padded)).toBeUndefined();
    expect(lane.knownKey(request({ 'content-type': 'application/json; charset=utf-8' }), TEXT)).toBe(key);
    expect(lane.knownKey(req, TEXT.replace('{ provinces', '{  provinces'))).toBeUndefined();
    expect(lane.knownKey(request({ accept: 'application/graphql-response+json' }), TEXT)).toBeUndefined();
    expect(lane.knownKey(request({ authorization: 'Bearer x' }), TEXT)).toBeUndefined();
    expect(lane.knownKey(request({ 'content-type': 'text/plain' }), TEXT)).toBeUndefined();
    expect(lane.knownKey({ ...req, method: 'GET' } as http.IncomingMessage, TEXT)).toBeUndefined();
  });
});

describe('PREPARED_ANSWERS', () => {
  it('is on unless PREPARED_ANSWERS=0, and refuses other values', () => {
    expect(loadConfig({}).PREPARED_ANSWERS).toBe(true);
    expect(loadConfig({ PREPARED_ANSWERS: '0' }).PREPARED_ANSWERS).toBe(false);
    expect(() => loadConfig({ PREPARED_ANSWERS: 'off' })).toThrow('Invalid configuration: PREPARED_ANSWERS');
  });
});

// Last on purpose: it breaks this file's database.
describe('a kept statement the database refuses', () => {
  it('is dropped: Apollo answers, reports the compiler bug once, and the resolvers answer from then on', async () => {
    const query = '{ mentoringProgrammes(first: 5) { totalCount nodes { year university { acronym } } } }';
    const learned = await postGraphQL(api.url, query, undefined, CLIENT);
    await api.orm.em.fork().getConnection().execute('alter table university rename column acronym to short_name');
    const from = api.logs.length;

    const replies = [await postGraphQL(api.url, query, undefined, CLIENT), await postGraphQL(api.url, query, undefined, CLIENT)];

    expect(learned.status).toBe(200);
    const lines = api.logs.slice(from);
    expect(lines.filter((line) => line.msg === COMPILED_STATEMENT_FAILED)).toHaveLength(1);
    expect(paths(from)).toEqual(['apollo', 'apollo']);
    // The lane's attempt and Apollo's are both counted; the resolvers fail on the renamed column too.
    expect(replies.map((reply) => [reply.status, reply.body.errors?.[0].extensions.code])).toEqual([
      [200, 'INTERNAL_SERVER_ERROR'],
      [200, 'INTERNAL_SERVER_ERROR'],
    ]);
    expect(replies[0].body.extensions.sqlStatements - replies[1].body.extensions.sqlStatements).toBe(2);
  });
});
