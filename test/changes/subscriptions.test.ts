// Subscriptions over WebSocket (graphql-ws) on the HTTP server's /graphql: what a dashboard receives when
// a write commits, scoped by its filter and read for its selection; the limits per connection and per
// caller; keys in connectionParams; heartbeats; and the close on shutdown.
import type { AddressInfo } from 'node:net';
import { createClient, type Client as WsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ChangeListener } from '../../src/changes/change-listener';
import { ChangeStream } from '../../src/changes/change-stream';
import { createHttpServer, type HttpFront } from '../../src/http/http-server';
import { attachSubscriptions, type SubscriptionServer } from '../../src/http/subscriptions';
import { DEFAULT_QUERY_LIMITS } from '../../src/limits/limits';
import { generateKey, hashKey } from '../../src/auth/api-keys';
import { openTestApi, silentLogger, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import { Fixtures, UPDATE_REPLICATION_STATUS } from '../support/writes';

let api: TestApi;
let fixtures: Fixtures;
let listener: ChangeListener;
let stream: ChangeStream;
let front: HttpFront;
let subscriptions: SubscriptionServer;
let wsUrl: string;
const clients: WsClient[] = [];

const PER_CONNECTION = 3;
const PER_CALLER = 4;

beforeAll(async () => {
  api = await openTestApi();
  fixtures = new Fixtures(api);
  listener = new ChangeListener(api.databaseUrl, silentLogger);
  await listener.start();
  stream = new ChangeStream(api.engine, listener, silentLogger);
  await stream.start();
  front = createHttpServer({ apollo: api.apollo, orm: api.orm, engine: api.engine, logger: silentLogger });
  subscriptions = attachSubscriptions({
    server: front.server,
    orm: api.orm,
    engine: api.engine,
    changes: stream,
    logger: silentLogger,
    limits: { ...DEFAULT_QUERY_LIMITS, maxCost: 500 },
    perConnection: PER_CONNECTION,
    perCaller: PER_CALLER,
    keepAliveMs: 300,
  });
  await new Promise<void>((resolve) => front.server.listen(0, '127.0.0.1', resolve));
  wsUrl = `ws://127.0.0.1:${(front.server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  for (const client of clients) await client.dispose();
  await subscriptions.close();
  front.server.closeAllConnections();
  await new Promise<void>((resolve) => front.server.close(() => resolve()));
  stream.close();
  await listener.close();
  await api.close();
});

function connect(connectionParams?: Record<string, unknown>): WsClient {
  const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: true });
  clients.push(client);
  return client;
}

/** A subscription whose messages (and final error, if any) are collected as they come. */
function subscribe(client: WsClient, query: string, variables?: Record<string, unknown>) {
  const messages: Record<string, any>[] = [];
  let failure: unknown = null;
  let complete = false;
  const stop = client.subscribe(
    { query, variables },
    { next: (message) => void messages.push(message as Record<string, any>), error: (error) => void (failure = error), complete: () => void (complete = true) },
  );
  return {
    messages,
    stop,
    get failure() {
      return failure;
    },
    get complete() {
      return complete;
    },
  };
}

async function eventually(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A subscription is live once the server counts it (its first page of the stream comes after). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

const REPLICATION_CHANGED = `subscription($filter: ReplicationFilter) {
  replicationChanged(filter: $filter) {
    event { recordType recordId operation bulk fields version regions actor { role keyLabel } }
    replication { id status version adopter { province { code } } }
  }
}`;

describe('Subscription.replicationChanged', () => {
  it('delivers a replication changed within the filter, read for the selection, and nothing outside it', async () => {
    const source = await fixtures.innovation({ regencyCode: '33.01' });
    const outside = await fixtures.replication(source, { regencyCode: '33.02' });
    const inside = await fixtures.replication(source, { regencyCode: '35.25' });
    const client = connect();
    const sub = subscribe(client, REPLICATION_CHANGED, { filter: { adopterProvinceCode: '35' } });
    await settle();
    for (const [id, viewer] of [[outside, VIEWERS.jatengOperator], [inside, VIEWERS.jatimOperator]] as const) {
      const result = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'COMMITTED' } }, viewer);
      expect(result.body.errors).toBeUndefined();
    }
    await eventually(() => sub.messages.length >= 1, 'the message');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sub.messages).toEqual([
      {
        data: {
          replicationChanged: {
            event: { recordType: 'REPLICATION', recordId: inside, operation: 'UPDATE', bulk: false, fields: ['status'], version: 2, regions: ['33', '33.01', '35', '35.25'], actor: { role: 'HUB_OPERATOR', keyLabel: null } },
            replication: { id: inside, status: 'COMMITTED', version: 2, adopter: { province: { code: '35' } } },
          },
        },
      },
    ]);
    sub.stop();
  });

  it('delivers a bulk import as one event per province, without a replication: the scope to read again', async () => {
    const source = await fixtures.innovation({ regencyCode: '33.01' });
    const [{ external_id: sourceId }] = await api.sql<{ external_id: string }>(`update innovation set registry = 'IGA', external_id = 'bulk-source' where id = ? returning external_id`, [Number(Buffer.from(source, 'base64url').toString().split(':')[1])]);
    const sub = subscribe(connect(), REPLICATION_CHANGED, { filter: { adopterProvinceCode: '35' } });
    await settle();
    const rows = ['35.25', '35.26', '33.02'].map((regency, i) => ({
      registry: 'IGA',
      externalId: `bulk-replication-${i}`,
      sourceRegistry: 'IGA',
      sourceExternalId: sourceId,
      adopterScope: 'REGENCY',
      adopterRegencyCode: regency,
      kind: 'REPLICATION',
      status: 'PROPOSED',
      year: 2025,
      sources: ['https://example.org/iga'],
    }));
    const imported = await api.run(`mutation($rows: [ReplicationImportRow!]!) { importReplications(rows: $rows) { inserted failed errors { line field code } } }`, { rows }, VIEWERS.integration);
    expect(imported.body).toEqual({ data: { importReplications: { inserted: 3, failed: 0, errors: [] } } });
    await eventually(() => sub.messages.length >= 1, 'the message');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sub.messages).toEqual([
      {
        data: {
          replicationChanged: {
            event: { recordType: 'REPLICATION', recordId: null, operation: 'CREATE', bulk: true, fields: [], version: null, regions: ['33', '35'], actor: { role: 'INTEGRATION', keyLabel: null } },
            replication: null,
          },
        },
      },
    ]);
    sub.stop();
  });
});

describe('Subscription.replicationGraphChanged', () => {
  it('signals when the graph answer moved, and not for a change that leaves it as it was', async () => {
    const sub = subscribe(connect(), `subscription { replicationGraphChanged(level: PROVINCE, filter: { sourceProvinceCode: "61" }) { level digest cursor committedAt } }`);
    await settle();
    await api.sql(`update legal_instrument set note = 'does not move the graph' where id = (select min(id) from legal_instrument)`);
    await api.sql(`update university set note = 'nor does this' where id = (select min(id) from university)`);
    await stream.read();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sub.messages).toEqual([]);
    const source = await fixtures.innovation({ regencyCode: '61.01' });
    await fixtures.replication(source, { regencyCode: '61.02' });
    await eventually(() => sub.messages.length >= 1, 'the signal');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sub.messages).toEqual([
      { data: { replicationGraphChanged: { level: 'PROVINCE', digest: expect.any(String), cursor: expect.any(String), committedAt: expect.any(String) } } },
    ]);
    sub.stop();
  });
});

describe('subscriptions over WebSocket', () => {
  const TICK = `subscription { replicationChanged { event { id } } }`;

  it('refuses a subscription past the limit per connection, and per caller across connections, with a code', async () => {
    const client = connect();
    const subs = Array.from({ length: PER_CONNECTION + 1 }, () => subscribe(client, TICK));
    await eventually(() => subs.some((s) => s.failure !== null), 'the refusal');
    expect(subs.filter((s) => s.failure === null)).toHaveLength(PER_CONNECTION);
    expect(subs[PER_CONNECTION].failure).toEqual([
      { message: expect.stringContaining(`${PER_CONNECTION} subscriptions`), extensions: { code: 'RATE_LIMITED', reason: 'TOO_MANY_SUBSCRIPTIONS', limit: PER_CONNECTION } },
    ]);
    const other = subscribe(connect(), TICK);
    const third = subscribe(clients[clients.length - 1], TICK);
    await eventually(() => third.failure !== null, 'the refusal per caller');
    expect(other.failure).toBeNull();
    expect(third.failure).toEqual([{ message: expect.stringContaining(`${PER_CALLER} subscriptions`), extensions: { code: 'RATE_LIMITED', reason: 'TOO_MANY_SUBSCRIPTIONS', limit: PER_CALLER } }]);
    for (const s of [...subs, other]) s.stop();
    // Ended subscriptions free their places.
    await eventually(() => {
      const again = subscribe(client, TICK);
      const ok = again.failure === null;
      again.stop();
      return ok;
    }, 'a free place');
  });

  it('prices a subscription like a query, and sends queries back to HTTP', async () => {
    const client = connect();
    const tooBig = subscribe(client, `subscription { replicationChanged { replication { source { replications(first: 100) { nodes { source { replications(first: 100) { totalCount } } } } } } } }`);
    const query = subscribe(client, `{ provinces { code } }`);
    await eventually(() => tooBig.failure !== null && query.failure !== null, 'both refusals');
    expect(tooBig.failure).toEqual([{ message: expect.stringContaining('over the limit of 500'), extensions: { code: 'QUERY_TOO_COMPLEX', cost: expect.any(Number), maxCost: 500 } }]);
    expect(query.failure).toEqual([{ message: expect.stringContaining('over HTTP'), extensions: { code: 'BAD_USER_INPUT' } }]);
  });

  it('takes the API key from connectionParams, and closes a connection with a bad one (4403)', async () => {
    const { key, prefix } = generateKey();
    await api.sql(`insert into api_key (label, role, prefix, hash) values ('Dashboard of the ministry', 'MINISTRY_ADMIN', ?, ?)`, [prefix, hashKey(key)]);
    const ministry = subscribe(connect({ authorization: `Bearer ${key}` }), REPLICATION_CHANGED, { filter: { adopterProvinceCode: '36' } });
    await settle();
    const source = await fixtures.innovation({ regencyCode: '33.01' });
    const replication = await fixtures.replication(source, { regencyCode: '36.01' });
    await api.run(UPDATE_REPLICATION_STATUS, { input: { id: replication, version: 1, status: 'COMMITTED' } }, VIEWERS.ministry);
    const byMinistry = () => ministry.messages.find((m) => m.data.replicationChanged.event.actor.role === 'MINISTRY_ADMIN');
    await eventually(() => byMinistry() !== undefined, 'the message');
    // The ministry sees who wrote.
    expect(byMinistry()!.data.replicationChanged.event.actor).toEqual({ role: 'MINISTRY_ADMIN', keyLabel: 'ministry_admin-1' });
    ministry.stop();

    const closed = new Promise<number>((resolve) => {
      const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: 'Bearer jipp_nothing_wrong' } })));
      socket.on('close', (code) => resolve(code));
    });
    expect(await closed).toBe(4403);
  });

  it('pings, and closes a connection that stops answering', async () => {
    const pings = await new Promise<{ pings: number; closedWithin: number }>((resolve) => {
      let count = 0;
      const opened = Date.now();
      const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { autoPong: false });
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
      socket.on('ping', () => void (count += 1));
      socket.on('close', () => resolve({ pings: count, closedWithin: Date.now() - opened }));
    });
    expect(pings.pings).toBeGreaterThanOrEqual(1);
    expect(pings.closedWithin).toBeLessThan(3_000);
  });

  it('closes every socket with 1001 (going away) on shutdown, and refuses new ones', async () => {
    const codes: number[] = [];
    const socket = new WebSocket(wsUrl, 'graphql-transport-ws');
    await new Promise<void>((resolve) => socket.on('open', () => resolve()));
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const closed = new Promise<void>((resolve) => socket.on('close', (code) => (codes.push(code), resolve())));
    await settle();
    await subscriptions.close();
    await closed;
    expect(codes).toEqual([1001]);
    const refused = await new Promise<string>((resolve) => {
      const late = new WebSocket(wsUrl, 'graphql-transport-ws');
      late.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      late.on('error', (error) => resolve(error.message));
    });
    expect(refused).toBe('503');
  });
});
