// Reads on a real streaming standby: a primary and a standby built from the shipped binaries
// (bench/replication-pair.ts), the API started on them as npm start starts it, over HTTP. The standby
// applies each commit 1 s late (recovery_min_apply_delay), so a read that ran there too early would miss
// a write: what the tests see is the API's routing, not a fast loopback.
import os from 'node:os';
import pino from 'pino';
import { Client } from 'pg';
import { startApp, type App } from '../../src/app';
import { createKey } from '../../src/auth/keys.cli';
import { Role } from '../../src/auth/viewer';
import { loadConfig } from '../../src/config';
import { ReadServers } from '../../src/db/read-servers';
import { prepareDatabase } from '../../src/db/prepare';
import { readPoolSettings } from '../support/harness';
import { replicatedPair, type Binaries, type ReplicatedPair } from '../../bench/replication-pair';

const APPLY_DELAY_MS = 1_000;
const RECOVERY = `select json_build_object('recovery', pg_is_in_recovery())::text as data`;

let pair: ReplicatedPair;
let app: App;
let base: string;
let key: string;
let replica: string;
const logs: { msg: string; replica?: string }[] = [];


async function post(query: string, variables?: Record<string, unknown>, auth?: string) {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
  return { status: response.status, data: body.data, errors: body.errors };
}

/** The value of one sample in /metrics, or undefined when it is absent. */
async function metric(name: string, labels = ''): Promise<number | undefined> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

const reads = async () => ({ primary: (await metric('jipp_db_reads_total', '{server="primary"}')) ?? 0, replica: (await metric('jipp_db_reads_total', '{server="replica"}')) ?? 0 });

/** Polls until `check` holds, at most `ms`. */
async function until(check: () => Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

async function onServer<T>(url: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  const binaries = JSON.parse(process.env.JIPP_TEST_PG_BINARIES ?? 'null') as Binaries | null;
  if (!binaries) throw new Error('JIPP_TEST_PG_BINARIES is not set: run the tests with npm test (jest global setup).');
  pair = await replicatedPair(binaries, 'jipp', prepareDatabase, ['-c', `recovery_min_apply_delay=${APPLY_DELAY_MS}ms`]);
  replica = `127.0.0.1:${pair.standby.port}/jipp`;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pair.primary.url('jipp'),
    DATABASE_REPLICA_URLS: pair.standby.url('jipp'),
    HOST: '127.0.0.1',
    PORT: '0',
    RESPONSE_CACHE_SECONDS: '0',
    REPLICA_CHECK_MS: '200',
    REPLICA_WAIT_MS: '10000',
    DB_POOL_MAX: '3',
  });
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line)) });
  app = await startApp(config, logger);
  base = app.url.replace(/\/graphql$/, '');
  ({ key } = await createKey(app.orm, { role: Role.MINISTRY_ADMIN, label: 'replica test' }));
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await pair?.close();
});

describe('reads on a streaming standby', () => {
  it('sends queries to the standby (in recovery) and a read marked for the primary to the primary', async () => {
    const servers = await ReadServers.open(readPoolSettings(pair.primary.url('jipp')), { urls: [pair.standby.url('jipp')], waitMs: 5_000, checkMs: 200 });
    try {
      expect(JSON.parse(await servers.json(RECOVERY, false))).toEqual({ recovery: true });
      expect(JSON.parse(await servers.json(RECOVERY, false, true))).toEqual({ recovery: false });
      expect(servers.replicaStates()).toEqual([{ name: replica, up: true, lagBytes: expect.any(Number), lagSeconds: expect.any(Number) }]);
    } finally {
      await servers.close();
    }

    const before = await reads();
    // Three different questions: the same one asked at once would be joined into one statement.
    const answers = await Promise.all(['11', '33', '35'].map((code) => post(`{ province(code: "${code}") { name } }`)));
    expect(answers.map((a) => [a.status, a.data, a.errors])).toEqual([
      [200, { province: { name: 'ACEH' } }, undefined],
      [200, { province: { name: 'JAWA TENGAH' } }, undefined],
      [200, { province: { name: 'JAWA TIMUR' } }, undefined],
    ]);
    expect(await reads()).toEqual({ primary: before.primary, replica: before.replica + 3 });
    // The standby is the read pool's server: its sessions are there.
    const sessions = await onServer<{ n: string }>(pair.standby.url('postgres'), `select count(*) as n from pg_stat_activity where application_name = 'jipp-api-reads-replica-1'`);
    expect(Number(sessions[0].n)).toBeGreaterThan(0);
  });

  it('writes on the primary and answers a mutation once the standby has replayed it: the next read, on the standby, sees it', async () => {
    const title = `Layanan Replika ${Date.now()}`;
    const created = await post(
      `mutation($input: CreateInnovationInput!) { createInnovation(input: $input) { innovation { id title } userErrors { code } } }`,
      { input: { title, owner: { name: 'Kementerian Kesehatan' }, sources: ['https://example.go.id/replika'] } },
      key,
    );
    expect(created.errors).toBeUndefined();
    const { id } = created.data.createInnovation.innovation;
    expect(created.data.createInnovation).toEqual({ innovation: { id, title }, userErrors: [] });

    // Already on the standby when the answer came, although it applies commits a second late.
    expect(await onServer(pair.standby.url('jipp'), `select title from innovation where title = '${title}'`)).toEqual([{ title }]);
    const before = await reads();
    const read = await post(`query($id: ID!) { node(id: $id) { ... on Innovation { title } } }`, { id });
    expect(read).toEqual({ status: 200, data: { node: { title } }, errors: undefined });
    expect((await reads()).replica).toBe(before.replica + 1);
  });

  it('reports the standby up and its lag in /metrics: bytes and seconds behind while it holds a commit back', async () => {
    expect(await metric('jipp_db_replica_up', `{replica="${replica}"}`)).toBe(1);
    // A commit the standby holds back for a second (the webhook dispatcher's commits, one a second, are held
    // back too: with this delay the standby is never quite caught up).
    await onServer(pair.primary.url('postgres'), 'create table if not exists lag_probe (n int); insert into lag_probe values (1)');
    let bytes = 0;
    let seconds = 0;
    await until(async () => {
      bytes = Math.max(bytes, (await metric('jipp_db_replica_lag_bytes', `{replica="${replica}"}`)) ?? 0);
      seconds = Math.max(seconds, (await metric('jipp_db_replica_lag_seconds', `{replica="${replica}"}`)) ?? 0);
      return bytes > 0 && seconds >= 0.5;
    }, 5_000);
    expect([bytes > 0, seconds >= 0.5]).toEqual([true, true]);
    // Replayed a second later; the lag reported stays within the delay and the checks' interval.
    const replayed = async () => (await onServer<{ n: string }>(pair.standby.url('postgres'), `select count(*) as n from pg_class where relname = 'lag_probe'`))[0].n === '1';
    expect(await until(replayed)).toBe(true);
    expect(await until(async () => ((await metric('jipp_db_replica_lag_seconds', `{replica="${replica}"}`)) ?? 99) < APPLY_DELAY_MS / 1000 + 1)).toBe(true);
  });

  it('sends reads to the primary after a commit it hears (any writer), until the standby has replayed it', async () => {
    // A writer beside the API (a tool, another process): the API hears the commit's notification.
    await onServer(pair.primary.url('jipp'), `update province set name = 'ACEH (UJI)' where code = '11'`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = await reads();
    expect(await post('{ province(code: "11") { name } }')).toEqual({ status: 200, data: { province: { name: 'ACEH (UJI)' } }, errors: undefined });
    expect((await reads()).primary).toBe(before.primary + 1);
    // Replayed, the standby serves again.
    const servedByStandby = async () => {
      const at = await reads();
      await post('{ province(code: "33") { name } }');
      return (await reads()).replica > at.replica;
    };
    expect(await until(servedByStandby)).toBe(true);
    await onServer(pair.primary.url('jipp'), `update province set name = 'ACEH' where code = '11'`);
    expect(await until(servedByStandby)).toBe(true);
  });

  it('sets a standby that has not replayed a write within the wait aside until it has', async () => {
    const servers = await ReadServers.open(readPoolSettings(pair.primary.url('jipp')), { urls: [pair.standby.url('jipp')], waitMs: 100, checkMs: 200 });
    try {
      await onServer(pair.primary.url('postgres'), 'insert into lag_probe values (2)');
      await servers.awaitReplay();
      expect(servers.counts.waitTimeouts).toBe(1);
      expect(JSON.parse(await servers.json(RECOVERY, false))).toEqual({ recovery: false });
      expect(await until(async () => JSON.parse(await servers.json(RECOVERY, false)).recovery === true, 10_000)).toBe(true);
    } finally {
      await servers.close();
    }
  });

  it('goes on when the standby stops (reads on the primary, logged, up 0) and returns to it when it is back', async () => {
    await pair.standby.postmaster.stop();
    const before = await reads();
    const answers = await Promise.all(['11', '33', '35'].map((code) => post(`{ province(code: "${code}") { name } }`)));
    expect(answers.map((a) => [a.status, a.errors])).toEqual(Array(3).fill([200, undefined]));
    expect((await reads()).primary).toBe(before.primary + 3);
    expect(await until(async () => (await metric('jipp_db_replica_up', `{replica="${replica}"}`)) === 0, 5_000)).toBe(true);
    expect(logs.filter((line) => line.replica === replica && /reads go to the primary/.test(line.msg))).not.toHaveLength(0);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    await pair.standby.restart();
    expect(await until(async () => (await metric('jipp_db_replica_up', `{replica="${replica}"}`)) === 1)).toBe(true);
    const back = await reads();
    expect(await post('{ province(code: "33") { name } }')).toEqual({ status: 200, data: { province: { name: 'JAWA TENGAH' } }, errors: undefined });
    expect(await reads()).toEqual({ primary: back.primary, replica: back.replica + 1 });
    expect(logs.filter((line) => line.replica === replica && /reads go to it/.test(line.msg)).length).toBeGreaterThanOrEqual(2);
  });
});

describe('configuration of standbys and workers', () => {
  it('reads a comma-separated list of standby URLs, and none by default', () => {
    expect(loadConfig({}).DATABASE_REPLICA_URLS).toEqual([]);
    expect(loadConfig({ DATABASE_REPLICA_URLS: ' postgresql://a:b@s1:5432/jipp , postgres://s2/jipp ' }).DATABASE_REPLICA_URLS).toEqual([
      'postgresql://a:b@s1:5432/jipp',
      'postgres://s2/jipp',
    ]);
  });

  it('refuses a standby URL that is not PostgreSQL\'s, without printing its password', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgresql://ok@s1/jipp,mysql://root:secret@s2/jipp' })).toThrow(
      'Invalid configuration: DATABASE_REPLICA_URLS: not a PostgreSQL URL (postgresql://user:password@host:port/database): mysql://root:***@s2/jipp',
    );
  });

  it('takes WORKERS as a count or auto (the available cores), 1 by default, and refuses anything else', () => {
    expect(loadConfig({}).WORKERS).toBe(1);
    expect(loadConfig({ WORKERS: '3' }).WORKERS).toBe(3);
    expect(loadConfig({ WORKERS: 'auto' }).WORKERS).toBe(os.availableParallelism());
    for (const bad of ['0', '2.5', 'many', '65']) {
      expect(() => loadConfig({ WORKERS: bad })).toThrow(`Invalid configuration: WORKERS: must be auto or a whole number from 1 to 64, not "${bad}"`);
    }
  });
});
