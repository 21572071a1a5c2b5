// Webhooks go to the public internet only (WEBHOOK_ALLOW_PRIVATE_ADDRESSES off, as this file leaves it):
// registration and enabling refuse loopback, private, link-local and other non-public hosts however the
// address is spelt, and each delivery resolves the endpoint's name, refuses a name that points inward (a
// failed delivery, recorded, that disables the endpoint like any other), and connects to the address it
// vetted, keeping the name in the Host header.
import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeListener } from '../../src/changes/change-listener';
import { WebhookDispatcher } from '../../src/changes/webhooks/webhook-dispatcher';
import { loadConfig } from '../../src/config';
import { Role, type Viewer } from '../../src/auth/viewer';
import { openTestApi, silentLogger, type TestApi } from '../support/harness';

const REGISTER = `mutation($input: RegisterWebhookInput!) { registerWebhook(input: $input) { webhook { id url active } secret userErrors { field message code } } }`;
const LOG = `query($id: ID!) { webhookDeliveries(webhookId: $id, first: 100) { status attempts responseStatus error } }`;
const WEBHOOKS = `{ webhooks { id url active disabledReason consecutiveFailures } }`;

let api: TestApi;
let listener: ChangeListener;
let integration: Viewer;

beforeAll(async () => {
  api = await openTestApi();
  listener = new ChangeListener(api.databaseUrl, silentLogger);
  await listener.start();
  const [{ id }] = await api.sql<{ id: number }>(`insert into api_key (label, role, prefix, hash) values ('KIPP sync', 'INTEGRATION', 'jipp_webhook2', 'x') returning id`);
  integration = { role: Role.INTEGRATION, keyId: id, keyLabel: 'KIPP sync', provinceCode: null, universityId: null };
});

afterAll(async () => {
  await listener.close();
  await api.close();
});

/** A receiver on 127.0.0.1 that accepts everything, keeping the connections made to it and each request's Host header. */
async function receiver() {
  const hosts: string[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    hosts.push(String(req.headers.host));
    req.resume().on('end', () => res.writeHead(200).end());
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    hosts,
    connections: () => connections,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** A resolver that knows only the names given, and keeps what it was asked. */
function fakeDns(names: Record<string, string[]>) {
  const asked: string[] = [];
  const lookup = async (hostname: string): Promise<LookupAddress[]> => {
    asked.push(hostname);
    const addresses = names[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  return { lookup, asked };
}

/** An endpoint written as one registered before addresses were checked would be. */
async function storedWebhook(url: string, active = true): Promise<string> {
  const [{ id }] = await api.sql<{ id: number }>(
    `insert into webhook (api_key_id, url, record_types, secret, active, start_seq)
     values (?, ?, '{Hub}', 'whsec_test', ?, (select coalesce(max(seq), 0) from change_commit)) returning id`,
    [integration.keyId, url, active],
  );
  return String(id);
}

async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const webhookById = async (id: string) => ((await api.run(WEBHOOKS, {}, integration)).body.data as any).webhooks.find((w: any) => w.id === id);

describe('WEBHOOK_ALLOW_PRIVATE_ADDRESSES', () => {
  it('is off unless set, whatever NODE_ENV is, and takes only a flag', () => {
    for (const NODE_ENV of ['development', 'test', 'production']) expect(loadConfig({ NODE_ENV }).WEBHOOK_ALLOW_PRIVATE_ADDRESSES).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: '1' }).WEBHOOK_ALLOW_PRIVATE_ADDRESSES).toBe(true);
    expect(() => loadConfig({ WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'yes' })).toThrow(/WEBHOOK_ALLOW_PRIVATE_ADDRESSES/);
  });

  it('travels with each request, not the process: one server allowing it leaves another in the same process refusing', async () => {
    const url = 'http://127.0.0.1:8080/allowed-here';
    const register = async (allowPrivateWebhookAddresses: boolean) => {
      const response = await api.apollo.executeOperation(
        { query: REGISTER, variables: { input: { url, recordTypes: ['HUB'] } } },
        { contextValue: api.context({ viewer: integration, allowPrivateWebhookAddresses }) },
      );
      return response.body.kind === 'single' ? (response.body.singleResult.data as any).registerWebhook : response.body;
    };
    expect(await register(true)).toEqual({ webhook: { id: expect.any(String), url, active: true }, secret: expect.stringMatching(/^whsec_/), userErrors: [] });
    expect(await register(false)).toEqual({
      webhook: null,
      secret: null,
      userErrors: [{ field: 'input.url', code: 'BAD_USER_INPUT', message: 'input.url must be on the public internet: 127.0.0.1 is not a public address (loopback, 127.0.0.0/8). Webhooks are not sent into private networks.' }],
    });
    expect(await api.sql('select count(*)::int as n from webhook where url = ?', [url])).toEqual([{ n: 1 }]);
    await api.sql('delete from webhook where url = ?', [url]);
  });
});

describe('Mutation.registerWebhook', () => {
  // The address as new URL() normalises it, and the range it falls in.
  it.each([
    ['https://127.0.0.1/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['http://127.0.0.1:8080/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://127.254.0.9/hooks', '127.254.0.9 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://[::1]/hooks', '::1 is not a public address (loopback, ::1/128)'],
    ['https://2130706433/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://0x7f.1/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://0177.0.0.1/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://127.1/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://%31%32%37.0.0.1/hooks', '127.0.0.1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://0x0a000005/hooks', '10.0.0.5 is not a public address (private, 10.0.0.0/8)'],
    ['https://10.0.0.5/hooks', '10.0.0.5 is not a public address (private, 10.0.0.0/8)'],
    ['https://10.0.0.5./hooks', '10.0.0.5 is not a public address (private, 10.0.0.0/8)'],
    ['https://172.31.255.255/hooks', '172.31.255.255 is not a public address (private, 172.16.0.0/12)'],
    ['https://192.168.1.1/hooks', '192.168.1.1 is not a public address (private, 192.168.0.0/16)'],
    ['https://[fd00::1]/hooks', 'fd00::1 is not a public address (private (unique local), fc00::/7)'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254 is not a public address (link-local (cloud metadata), 169.254.0.0/16)'],
    ['https://[fe80::1]/hooks', 'fe80::1 is not a public address (link-local, fe80::/10)'],
    ['https://100.64.0.1/hooks', '100.64.0.1 is not a public address (shared (carrier-grade NAT), 100.64.0.0/10)'],
    ['https://0.0.0.0/hooks', '0.0.0.0 is not a public address (unspecified, 0.0.0.0/8)'],
    ['https://0/hooks', '0.0.0.0 is not a public address (unspecified, 0.0.0.0/8)'],
    ['https://[::]/hooks', ':: is not a public address (unspecified, ::/128)'],
    ['https://224.0.0.251/hooks', '224.0.0.251 is not a public address (multicast, 224.0.0.0/4)'],
    ['https://[ff02::1]/hooks', 'ff02::1 is not a public address (multicast, ff00::/8)'],
    ['https://255.255.255.255/hooks', '255.255.255.255 is not a public address (broadcast, 255.255.255.255/32)'],
    ['https://240.0.0.1/hooks', '240.0.0.1 is not a public address (reserved, 240.0.0.0/4)'],
    ['https://198.18.0.1/hooks', '198.18.0.1 is not a public address (benchmarking, 198.18.0.0/15)'],
    ['https://[::ffff:10.0.0.1]/hooks', '::ffff:a00:1 is not a public address (private, 10.0.0.0/8)'],
    ['https://[::ffff:127.0.0.1]/hooks', '::ffff:7f00:1 is not a public address (loopback, 127.0.0.0/8)'],
    ['https://[::ffff:169.254.169.254]/hooks', '::ffff:a9fe:a9fe is not a public address (link-local (cloud metadata), 169.254.0.0/16)'],
    ['https://[::127.0.0.1]/hooks', '::7f00:1 is not a public address (reserved (IPv4-compatible), ::/96)'],
    ['https://[64:ff9b::a00:1]/hooks', '64:ff9b::a00:1 is not a public address (NAT64 (reaches the IPv4 address inside), 64:ff9b::/96)'],
    ['https://[2002:a00:1::1]/hooks', '2002:a00:1::1 is not a public address (6to4 (reaches the IPv4 address inside), 2002::/16)'],
    ['https://[4000::1]/hooks', '4000::1 is not a public address (reserved (not global unicast), 4000::/2)'],
    ['https://localhost/hooks', 'localhost names this machine or its local network'],
    ['https://LOCALHOST./hooks', 'localhost names this machine or its local network'],
    ['https://api.localhost/hooks', 'api.localhost names this machine or its local network'],
    ['https://internal-db.local/hooks', 'internal-db.local names this machine or its local network'],
    ['https://db.internal/hooks', 'db.internal names this machine or its local network'],
    ['https://nas.home.arpa/hooks', 'nas.home.arpa names this machine or its local network'],
    ['https://intranet/hooks', 'intranet is a name of one label, which only a local network resolves'],
  ])('refuses %s', async (url, why) => {
    const refused = await api.run(REGISTER, { input: { url, recordTypes: ['HUB'] } }, integration);
    expect(refused.body).toEqual({
      data: {
        registerWebhook: {
          webhook: null,
          secret: null,
          userErrors: [{ field: 'input.url', code: 'BAD_USER_INPUT', message: `input.url must be on the public internet: ${why}. Webhooks are not sent into private networks.` }],
        },
      },
    });
    expect(await api.sql('select id from webhook where url = ?', [url])).toEqual([]);
  });

  it.each([
    'https://hooks.example.org/jipp',
    'https://hooks.example.org./jipp',
    'https://93.184.215.14/hooks',
    'https://[2606:4700:4700::1111]/hooks',
    'https://[::ffff:8.8.8.8]/hooks',
  ])('takes the public endpoint %s', async (url) => {
    const registered = await api.run(REGISTER, { input: { url, recordTypes: ['HUB'] } }, integration);
    expect(registered.body).toEqual({ data: { registerWebhook: { webhook: { id: expect.any(String), url, active: true }, secret: expect.stringMatching(/^whsec_/), userErrors: [] } } });
    await api.sql('delete from webhook where url = ?', [url]);
  });
});

describe('Mutation.enableWebhook', () => {
  it('does not resume an endpoint registered, before addresses were checked, on a private address', async () => {
    const id = await storedWebhook('https://10.0.0.5/hooks', false);
    const enabled = await api.run(`mutation($id: ID!) { enableWebhook(id: $id) { webhook { active } userErrors { field message code } } }`, { id }, integration);
    expect(enabled.body).toEqual({
      data: {
        enableWebhook: {
          webhook: null,
          userErrors: [
            {
              field: 'id',
              code: 'BAD_USER_INPUT',
              message: "The webhook's url is not on the public internet: 10.0.0.5 is not a public address (private, 10.0.0.0/8). Delete it and register a public endpoint.",
            },
          ],
        },
      },
    });
    expect(await api.sql('select active from webhook where id = ?', [Number(id)])).toEqual([{ active: false }]);
    await api.sql('delete from webhook where id = ?', [Number(id)]);
  });
});

describe('WebhookDispatcher', () => {
  it('refuses to deliver to a name that resolves to a non-public address, or to such an address, and disables the endpoint', async () => {
    const target = await receiver();
    const dns = fakeDns({ 'rebind.example.org': ['127.0.0.1'], 'mixed.example.org': ['93.184.215.14', '127.0.0.1'] });
    const dispatcher = new WebhookDispatcher(api.orm, { timeoutMs: 300, retryBaseMs: 50, maxFailures: 2, pollMs: 50, allowPrivateAddresses: false, lookup: dns.lookup }, silentLogger);
    try {
      // Both names look public, so registration takes them; what they resolve to is known only when sending.
      const ids: string[] = [];
      for (const host of ['rebind.example.org', 'mixed.example.org']) {
        const registered = (await api.run(REGISTER, { input: { url: `https://${host}:${target.port}/hooks`, recordTypes: ['HUB'] } }, integration)).body.data as any;
        expect(registered.registerWebhook.userErrors).toEqual([]);
        ids.push(registered.registerWebhook.webhook.id);
      }
      ids.push(await storedWebhook(`http://127.0.0.1:${target.port}/hooks`));
      dispatcher.start(listener);
      await api.sql(`update hub set note = 'a note for the webhooks' where province_code = '35'`);
      const reasons = [
        'refused: rebind.example.org resolves to 127.0.0.1, not a public address (loopback, 127.0.0.0/8)',
        'refused: mixed.example.org resolves to 127.0.0.1, not a public address (loopback, 127.0.0.0/8)',
        'refused: 127.0.0.1 is not a public address (loopback, 127.0.0.0/8)',
      ];
      for (const [i, id] of ids.entries()) {
        await eventually(async () => (await webhookById(id)).active === false, `endpoint ${id} to be disabled`);
        expect(await webhookById(id)).toEqual({ id, url: expect.any(String), active: false, consecutiveFailures: 2, disabledReason: `Disabled after 2 failed deliveries in a row; the last: ${reasons[i]}` });
        expect((await api.run(LOG, { id }, integration)).body).toEqual({ data: { webhookDeliveries: [{ status: 'PENDING', attempts: 2, responseStatus: null, error: reasons[i] }] } });
      }
      expect(target.connections()).toBe(0);
      expect(dns.asked.sort()).toEqual(['mixed.example.org', 'mixed.example.org', 'rebind.example.org', 'rebind.example.org']);
    } finally {
      await dispatcher.close();
      await target.close();
    }
  });

  it('connects to the address it resolved and vetted, sending the name as the Host header (private addresses allowed)', async () => {
    const target = await receiver();
    const dns = fakeDns({ 'receiver.example.org': ['127.0.0.1'] });
    const dispatcher = new WebhookDispatcher(api.orm, { timeoutMs: 2_000, retryBaseMs: 50, maxFailures: 2, pollMs: 50, allowPrivateAddresses: true, lookup: dns.lookup }, silentLogger);
    try {
      // The system resolver does not know the name: only a connection to the address the lookup gave reaches the receiver.
      const id = await storedWebhook(`http://receiver.example.org:${target.port}/hooks`);
      dispatcher.start(listener);
      await api.sql(`update hub set note = 'another note for the webhooks' where province_code = '35'`);
      await eventually(() => target.hosts.length > 0, 'the delivery');
      expect(target.hosts).toEqual([`receiver.example.org:${target.port}`]);
      expect(dns.asked).toEqual(['receiver.example.org']);
      await eventually(async () => ((await api.run(LOG, { id }, integration)).body.data as any).webhookDeliveries[0].status === 'DELIVERED', 'the delivery to be recorded');
      expect((await api.run(LOG, { id }, integration)).body).toEqual({ data: { webhookDeliveries: [{ status: 'DELIVERED', attempts: 1, responseStatus: 200, error: null }] } });
    } finally {
      await dispatcher.close();
      await target.close();
    }
  });
});
