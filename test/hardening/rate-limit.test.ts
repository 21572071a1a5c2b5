// Rate limits by cost: each API key and each anonymous address has a budget of cost points per window.
// Over real HTTP, with clients on different loopback addresses: the budget shows in headers and
// extensions, a refused operation gets 429 + Retry-After and spends nothing, and one noisy client is
// refused before it touches the database while the others go on.
import type http from 'node:http';
import { Client } from 'pg';
import { createKey } from '../../src/auth/keys.cli';
import { Role } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config';
import { clientAddress } from '../../src/http/client-address';
import type { RateLimits } from '../../src/limits/limits';
import { BudgetStore, RATE_LIMIT_TABLE } from '../../src/limits/budget-store';
import { CostRateLimiter } from '../../src/limits/rate-limiter';
import { createTestDatabase } from '../support/harness';
import { codes, postGraphQL, sleep, startTestServer, type Reply, type TestServer } from './support';

/** The budgets on a test database, with the defaults' timeouts. */
const store = (url: string) => new BudgetStore({ url, acquireTimeoutMs: 5_000, statementTimeoutMs: 15_000 });

const pageOf = (n: number) => `{ regencies(first: ${n}) { totalCount } }`;

const budget = (reply: Reply) => ({
  limit: Number(reply.headers['x-ratelimit-limit']),
  remaining: Number(reply.headers['x-ratelimit-remaining']),
  used: Number(reply.headers['x-ratelimit-used']),
});

describe('rate limits over HTTP', () => {
  let database: { url: string; drop: () => Promise<void> };
  let api: TestServer;
  let budgets: BudgetStore;
  let key: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    budgets = store(database.url);
    const limiter = new CostRateLimiter({ windowSeconds: 60, anonymousPoints: 100, keyPoints: 200 }, budgets);
    api = await startTestServer({ databaseUrl: database.url, server: { rateLimiter: limiter } });
    ({ key } = await createKey(api.orm, { role: Role.INTEGRATION, label: 'rate limit test' }));
  });
  afterAll(async () => {
    await api.close();
    await budgets.close();
    await database.drop();
  });

  it('spends each operation its cost and reports the budget in X-RateLimit-* headers and extensions.cost', async () => {
    const first = await postGraphQL(api.url, pageOf(30), undefined, { localAddress: '127.0.0.2' });
    const second = await postGraphQL(api.url, pageOf(30), undefined, { localAddress: '127.0.0.2' });

    expect([first.status, budget(first), first.body.extensions.cost]).toEqual([200, { limit: 100, remaining: 70, used: 30 }, { requested: 30, limit: 50_000, remaining: 70 }]);
    expect([second.status, budget(second)]).toEqual([200, { limit: 100, remaining: 40, used: 60 }]);
    const reset = Number(second.headers['x-ratelimit-reset']);
    const now = Date.now() / 1000;
    expect(reset).toBeGreaterThan(now);
    expect(reset).toBeLessThanOrEqual(Math.ceil(now) + 60);
  });

  it('refuses an operation that does not fit with 429, Retry-After and RATE_LIMITED, running no SQL and spending nothing', async () => {
    await postGraphQL(api.url, pageOf(30), undefined, { localAddress: '127.0.0.2' }); // 10 points left

    const refused = await postGraphQL(api.url, pageOf(30), undefined, { localAddress: '127.0.0.2' });
    const retryAfter = Number(refused.headers['retry-after']);

    expect(refused.status).toBe(429);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.body).toEqual({
      errors: [
        {
          message: `Rate limit exceeded: this operation costs 30 and 10 of your 100 points are left in this window; retry after ${retryAfter} s.`,
          extensions: { code: 'RATE_LIMITED', cost: 30, retryAfter },
        },
      ],
      extensions: { requestId: refused.headers['x-request-id'], sqlStatements: 0, cost: { requested: 30, limit: 50_000, remaining: 10 } },
    });
    expect(budget(refused)).toEqual({ limit: 100, remaining: 10, used: 90 });

    // The refused operation spent nothing: the last 10 points still buy an operation of cost 10.
    const fits = await postGraphQL(api.url, pageOf(10), undefined, { localAddress: '127.0.0.2' });
    expect([fits.status, budget(fits)]).toEqual([200, { limit: 100, remaining: 0, used: 100 }]);
  });

  it('limits a noisy client without touching the budget or the answers of the others', async () => {
    const noisy = Array.from({ length: 40 }, () => postGraphQL(api.url, pageOf(20), undefined, { localAddress: '127.0.0.3' }));
    const quiet: Reply[] = [];
    for (let i = 0; i < 5; i += 1) quiet.push(await postGraphQL(api.url, pageOf(10), undefined, { localAddress: '127.0.0.4' }));
    const noisyReplies = await Promise.all(noisy);

    const statuses = noisyReplies.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
    // Refused before execution: the noisy client's extra requests cost the database nothing.
    expect(noisyReplies.filter((r) => r.status === 429).every((r) => r.body.extensions.sqlStatements === 0 && codes(r).join() === 'RATE_LIMITED')).toBe(true);
    expect(quiet.map((r) => [r.status, codes(r), budget(r).remaining])).toEqual([
      [200, [], 90],
      [200, [], 80],
      [200, [], 70],
      [200, [], 60],
      [200, [], 50],
    ]);
  });

  it('gives each API key a budget of its own, whatever address it calls from', async () => {
    const exhausted = await postGraphQL(api.url, pageOf(20), undefined, { localAddress: '127.0.0.3' });
    const withKey = await postGraphQL(api.url, pageOf(20), undefined, { localAddress: '127.0.0.3', headers: { authorization: `Bearer ${key}` } });

    expect(exhausted.status).toBe(429);
    expect([withKey.status, codes(withKey), budget(withKey)]).toEqual([200, [], { limit: 200, remaining: 180, used: 20 }]);
  });

  it('reports the budget on answers refused before they were priced (a syntax error spends nothing)', async () => {
    const syntax = await postGraphQL(api.url, '{ regencies(', undefined, { localAddress: '127.0.0.5' });
    expect([syntax.status, codes(syntax), budget(syntax)]).toEqual([400, ['GRAPHQL_PARSE_FAILED'], { limit: 100, remaining: 100, used: 0 }]);
  });
});

describe('CostRateLimiter', () => {
  let database: { url: string; drop: () => Promise<void> };
  const stores: BudgetStore[] = [];
  const open = (limits: RateLimits, url = database.url) => {
    const budgets = store(url);
    stores.push(budgets);
    return new CostRateLimiter(limits, budgets);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    for (const budgets of stores) await budgets.close();
    await database.drop();
  });

  it('refills a budget when its window ends', async () => {
    const limiter = open({ windowSeconds: 1, anonymousPoints: 10, keyPoints: 0 });
    const client = { kind: 'address', address: '192.0.2.1' } as const;

    expect((await limiter.consume(client, 10))?.allowed).toBe(true);
    expect((await limiter.consume(client, 1))?.allowed).toBe(false);
    await sleep(1_100);
    expect(await limiter.consume(client, 1)).toMatchObject({ allowed: true, remaining: 9 });
  });

  it('does not limit a kind of client whose budget is 0', async () => {
    const limiter = open({ windowSeconds: 60, anonymousPoints: 10, keyPoints: 0 });
    expect(await limiter.consume({ kind: 'key', id: 1 }, 1_000_000)).toBeNull();
  });

  it('shares one budget between processes: what one spends, the other sees, and refuses past it', async () => {
    const limits = { windowSeconds: 60, anonymousPoints: 100, keyPoints: 100 };
    const [one, other] = [open(limits), open(limits)];
    const client = { kind: 'key', id: 4242 } as const;

    expect(await one.consume(client, 60)).toMatchObject({ allowed: true, remaining: 40, used: 60 });
    expect(await other.peek(client)).toMatchObject({ allowed: true, remaining: 40, used: 60 });
    expect(await other.consume(client, 50)).toMatchObject({ allowed: false, remaining: 40, used: 60 });
    expect(await other.consume(client, 40)).toMatchObject({ allowed: true, remaining: 0, used: 100 });
    expect(await one.consume(client, 1)).toMatchObject({ allowed: false, remaining: 0 });
    // In the table every process reads, under the key's prefix.
    const reader = new Client({ connectionString: database.url });
    await reader.connect();
    const rows = (await reader.query(`select key, points from ${RATE_LIMIT_TABLE} where key = 'key:4242'`)).rows;
    await reader.end();
    expect(rows).toEqual([{ key: 'key:4242', points: 100 }]);
  });

  it('keeps limiting, per process in memory, while PostgreSQL cannot be reached', async () => {
    // Nothing listens on port 1: every upsert fails at once and the insurance budget answers.
    const limiter = open({ windowSeconds: 60, anonymousPoints: 10, keyPoints: 0 }, 'postgresql://postgres:postgres@127.0.0.1:1/none');
    const client = { kind: 'address', address: '192.0.2.9' } as const;

    expect(await limiter.consume(client, 6)).toMatchObject({ allowed: true, remaining: 4, used: 6 });
    expect(await limiter.consume(client, 5)).toMatchObject({ allowed: false, remaining: 4, used: 6 });
    expect(await limiter.peek(client)).toMatchObject({ allowed: true, remaining: 4 });
  });
});

describe('configuration', () => {
  it('defaults to 100,000 points a minute per address and 500,000 per key', () => {
    const config = loadConfig({});
    expect([config.RATE_LIMIT_WINDOW_SECONDS, config.RATE_LIMIT_ANONYMOUS_POINTS, config.RATE_LIMIT_KEY_POINTS, config.MAX_QUERY_COST]).toEqual([
      60, 100_000, 500_000, 50_000,
    ]);
  });

  it('refuses a budget smaller than the cost limit (Retry-After would never help), and accepts 0 (off)', () => {
    expect(() => loadConfig({ RATE_LIMIT_ANONYMOUS_POINTS: '1000' })).toThrow(
      'Invalid configuration: RATE_LIMIT_ANONYMOUS_POINTS: must be 0 (off) or at least MAX_QUERY_COST (50000)',
    );
    expect(loadConfig({ RATE_LIMIT_ANONYMOUS_POINTS: '0', RATE_LIMIT_KEY_POINTS: '0' }).RATE_LIMIT_KEY_POINTS).toBe(0);
  });
});

describe('clientAddress', () => {
  const request = (remoteAddress: string, forwardedFor?: string) =>
    ({ socket: { remoteAddress }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as http.IncomingMessage;

  it('uses the socket address, and ignores X-Forwarded-For unless proxies are trusted', () => {
    expect(clientAddress(request('::ffff:10.0.0.7', '198.51.100.9'), 0)).toBe('10.0.0.7');
  });

  it('takes the address the trusted proxy saw, not one the client wrote itself', () => {
    expect(clientAddress(request('10.0.0.1', '6.6.6.6, 198.51.100.9'), 1)).toBe('198.51.100.9');
    expect(clientAddress(request('10.0.0.1', 'not an address'), 1)).toBe('10.0.0.1');
  });
});
