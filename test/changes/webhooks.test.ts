// Webhooks: registered by the ministry's and integrations' keys, delivered signed, retried with backoff
// through a receiver on 127.0.0.1 that fails, then times out, then accepts; every event arrives once (as
// accepted), in order per record, with a valid signature, though two dispatchers (two API processes) run
// at once; repeated failures disable the endpoint with the reason, and enabling it resumes. The receiver is on
// loopback, so this file turns WEBHOOK_ALLOW_PRIVATE_ADDRESSES on (webhook-addresses.test.ts: what it refuses off).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeListener } from '../../src/changes/change-listener';
import { WebhookDispatcher } from '../../src/changes/webhooks/webhook-dispatcher';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from '../../src/changes/webhooks/webhook-signature';
import { Role, type Viewer } from '../../src/auth/viewer';
import { openTestApi, silentLogger, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import { Fixtures, UPDATE_REPLICATION_STATUS } from '../support/writes';

interface Received {
  eventId: string;
  body: { id: string; event: { recordId: string; version: number; recordType: string; operation: string } };
  valid: boolean;
  answered: number | 'timeout';
}

/** A receiver whose answers follow a script (500, a timeout, then 200 for the rest), keeping what it was sent. */
async function receiver(script: (n: number) => number | 'timeout', secret: () => string) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const answer = script(received.length);
      received.push({
        eventId: String(req.headers[EVENT_ID_HEADER]),
        body: JSON.parse(text),
        valid: verify(secret(), { timestamp: String(req.headers[TIMESTAMP_HEADER]), signature: String(req.headers[SIGNATURE_HEADER]) }, text),
        answered: answer,
      });
      if (answer === 'timeout') setTimeout(() => res.destroy(), 1_000);
      else res.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id url recordTypes regionCode active keyLabel } secret userErrors { field code } } }`;
const LOG = `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) { eventId status attempts responseStatus error } }`;

let api: TestApi;
let fixtures: Fixtures;
let listener: ChangeListener;
let integration: Viewer;
const dispatchers: WebhookDispatcher[] = [];

beforeAll(async () => {
  api = await openTestApi({ allowPrivateWebhookAddresses: true });
  fixtures = new Fixtures(api);
  listener = new ChangeListener(api.databaseUrl, silentLogger);
  await listener.start();
  const [{ id }] = await api.sql<{ id: number }>(`insert into api_key (label, role, prefix, hash) values ('KIPP sync', 'INTEGRATION', 'jipp_webhook1', 'x') returning id`);
  integration = { role: Role.INTEGRATION, keyId: id, keyLabel: 'KIPP sync', provinceCode: null, universityId: null };
  // Two dispatchers, as two API processes would run them, with short timeouts and retries.
  for (let i = 0; i < 2; i += 1) {
    const dispatcher = new WebhookDispatcher(api.orm, { timeoutMs: 300, retryBaseMs: 50, maxFailures: 4, pollMs: 50, allowPrivateAddresses: true }, silentLogger);
    dispatcher.start(listener);
    dispatchers.push(dispatcher);
  }
});

afterAll(async () => {
  for (const dispatcher of dispatchers) await dispatcher.close();
  await listener.close();
  await api.close();
});

describe('webhooks', () => {
  it('delivers every event once as accepted, in order per record, signed, through failures and timeouts', async () => {
    let secret = '';
    const target = await receiver((n) => (n === 0 ? 500 : n === 1 ? 'timeout' : 200), () => secret);
    try {
      const registered = await api.run(REGISTER, { input: { url: target.url, recordTypes: ['REPLICATION'] } }, integration);
      const payload = (registered.body.data as any).registerWebhook;
      secret = payload.secret;
      expect(payload).toEqual({
        webhook: { id: expect.any(String), url: target.url, recordTypes: ['REPLICATION'], regionCode: null, active: true, keyLabel: 'KIPP sync' },
        secret: expect.stringMatching(/^whsec_/),
        userErrors: [],
      });
      const source = await fixtures.innovation({ regencyCode: '33.01' });
      const a = await fixtures.replication(source, { regencyCode: '35.25' });
      const b = await fixtures.replication(source, { regencyCode: '35.26' });
      for (const [version, status] of [[1, 'COMMITTED'], [2, 'IMPLEMENTED'], [3, 'INSTITUTIONALIZED']] as const) {
        for (const id of [a, b]) {
          const result = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version, status } }, VIEWERS.ministry);
          expect(result.body.errors).toBeUndefined();
        }
      }
      // Two creations and six updates; an innovation's change is not this endpoint's kind.
      const expected = 8;
      await eventually(() => target.received.filter((r) => r.answered === 200).length >= expected, 'every delivery');
      await new Promise((resolve) => setTimeout(resolve, 300));
      const accepted = target.received.filter((r) => r.answered === 200);
      expect(target.received.every((r) => r.valid)).toBe(true);
      expect(new Set(accepted.map((r) => r.eventId)).size).toBe(accepted.length);
      expect(accepted).toHaveLength(expected);
      // The failed and the timed-out attempt were of the first event, tried again before anything after it.
      expect(target.received.slice(0, 3).map((r) => [r.eventId, r.answered])).toEqual([
        [accepted[0].eventId, 500],
        [accepted[0].eventId, 'timeout'],
        [accepted[0].eventId, 200],
      ]);
      for (const id of [a, b]) {
        const versions = accepted.filter((r) => r.body.event.recordId === id).map((r) => [r.body.event.operation, r.body.event.version]);
        expect(versions).toEqual([['CREATE', 1], ['UPDATE', 2], ['UPDATE', 3], ['UPDATE', 4]]);
      }
      const log = (await api.run(LOG, { id: payload.webhook.id }, integration)).body.data as any;
      expect(log.webhookDeliveries).toHaveLength(expected);
      expect(log.webhookDeliveries[expected - 1]).toEqual({ eventId: accepted[0].eventId, status: 'DELIVERED', attempts: 3, responseStatus: 200, error: null });
      expect(log.webhookDeliveries.slice(0, expected - 1).every((d: any) => d.status === 'DELIVERED' && d.attempts === 1)).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('disables an endpoint after repeated failures, with the reason, and resumes it when enabled', async () => {
    let failing = true;
    const target = await receiver(() => (failing ? 503 : 200), () => '');
    try {
      const registered = await api.run(REGISTER, { input: { url: target.url, recordTypes: ['HUB'], regionCode: '35' } }, integration);
      const id = (registered.body.data as any).registerWebhook.webhook.id;
      await api.sql(`update hub set note = 'a note for the webhook' where province_code = '35'`);
      await api.sql(`update hub set note = 'not this province' where province_code = '33'`);
      const webhooks = `{ webhooks { id active disabledReason consecutiveFailures } }`;
      await eventually(async () => ((await api.run(webhooks, {}, integration)).body.data as any).webhooks.some((w: any) => w.id === id && !w.active), 'the endpoint to be disabled');
      expect(((await api.run(webhooks, {}, integration)).body.data as any).webhooks.find((w: any) => w.id === id)).toEqual({
        id,
        active: false,
        disabledReason: 'Disabled after 4 failed deliveries in a row; the last: HTTP 503',
        consecutiveFailures: 4,
      });
      const tried = target.received.length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(target.received).toHaveLength(tried);
      failing = false;
      const enabled = await api.run(`mutation($id: ID!) { enableWebhook(id: $id) { webhook { active consecutiveFailures } userErrors { code } } }`, { id }, integration);
      expect(enabled.body).toEqual({ data: { enableWebhook: { webhook: { active: true, consecutiveFailures: 0 }, userErrors: [] } } });
      await eventually(() => target.received.some((r) => r.answered === 200), 'the delivery after enabling');
      expect(new Set(target.received.map((r) => r.eventId)).size).toBe(1);
    } finally {
      await target.close();
    }
  });

  it('takes https endpoints (http only on this machine), for the ministry and integrations only, each seeing its own', async () => {
    for (const [url, regionCode, field] of [
      ['http://example.org/hooks', null, 'input.url'],
      ['https://example.org/\u0000', null, 'input.url'],
      ['https://user:secret@example.org/hooks', null, 'input.url'],
      ['https://example.org/hooks', '35.2\u0000', 'input.regionCode'],
    ]) {
      const refused = await api.run(REGISTER, { input: { url, recordTypes: ['HUB'], regionCode } }, integration);
      expect(refused.body).toEqual({ data: { registerWebhook: { webhook: null, secret: null, userErrors: [{ field, code: 'BAD_USER_INPUT' }] } } });
    }
    const unknownKey = await api.run(REGISTER, { input: { url: 'https://example.org/hooks', recordTypes: ['HUB'] } }, { ...integration, keyId: 99_999 });
    expect(unknownKey.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    for (const viewer of [VIEWERS.jatimOperator, VIEWERS.untan]) {
      const refusedRole = await api.run(REGISTER, { input: { url: 'https://example.org/hooks', recordTypes: ['HUB'] } }, viewer);
      expect(refusedRole.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    const anonymous = await api.run(`{ webhooks { id } }`, {}, VIEWERS.public);
    expect(anonymous.body.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    const other = await api.run(`{ webhooks { id } }`, {}, VIEWERS.integration);
    expect(other.body).toEqual({ data: { webhooks: [] } });
    const ministry = await api.run(`{ webhooks { keyLabel } }`, {}, VIEWERS.ministry);
    expect(ministry.body).toEqual({ data: { webhooks: [{ keyLabel: 'KIPP sync' }, { keyLabel: 'KIPP sync' }] } });
  });
});
