// Key management through the API (the ministry only): create with the secret shown once, list without
// secrets, revoke; expiry, rotation without downtime, and lastUsedAt written at most once a minute.
import { toGlobalId } from '../../src/graphql/global-id';
import { openTestApi, serveTestApi, type TestApi } from '../support/harness';
import { VIEWERS, type ViewerName } from '../support/viewers';

const CREATE = `mutation($input: CreateApiKeyInput!) {
  createApiKey(input: $input) { key apiKey { prefix label role province { code } university { acronym } status expiresAt lastUsedAt revokedAt } userErrors { field code message } } }`;
const LIST = `{ apiKeys(first: 100) { totalCount nodes { prefix label role status } } }`;
const REVOKE = `mutation($prefix: String!) { revokeApiKey(prefix: $prefix) { apiKey { prefix status } userErrors { field code } } }`;

describe('API keys through the API', () => {
  let api: TestApi;
  let front: { url: string; close: () => Promise<void> };
  let url: string;

  beforeAll(async () => {
    api = await openTestApi();
    front = await serveTestApi(api);
    url = front.url;
  });
  afterAll(async () => {
    await front.close();
    await api.close();
  });

  const viewerOf = async (key: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ query: '{ viewer { role keyLabel provinceCode } }' }),
    });
    const { extensions: _extensions, ...body } = (await response.json()) as Record<string, unknown>;
    return { status: response.status, body };
  };
  const create = async (input: Record<string, unknown>) => (await api.run(CREATE, { input }, VIEWERS.ministry)).body;

  describe('who may manage keys', () => {
    const refusal = (name: ViewerName) => (name === 'public' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    const others = (Object.keys(VIEWERS) as ViewerName[]).filter((n) => n !== 'ministry');

    it.each(others)('refuses createApiKey, revokeApiKey and apiKeys to %s, and writes nothing', async (name) => {
      const before = await api.sql('select count(*)::int as n from api_key');
      const created = await api.run(CREATE, { input: { role: 'INTEGRATION', label: 'x' } }, VIEWERS[name]);
      expect(created.body).toEqual({
        data: null,
        errors: [expect.objectContaining({ path: ['createApiKey'], extensions: { code: refusal(name) } })],
      });
      const revoked = await api.run(REVOKE, { prefix: 'jipp_AAAAAAAA' }, VIEWERS[name]);
      expect(revoked.body).toEqual({ data: null, errors: [expect.objectContaining({ path: ['revokeApiKey'], extensions: { code: refusal(name) } })] });
      const listed = await api.run(LIST, {}, VIEWERS[name]);
      expect(listed.body).toEqual({ data: null, errors: [expect.objectContaining({ path: ['apiKeys'], extensions: expect.objectContaining({ code: refusal(name) }) })] });
      expect(await api.sql('select count(*)::int as n from api_key')).toEqual(before);
    });
  });

  it('creates a key for the ministry, shows its secret once, lists it without secrets, and audits it as the caller', async () => {
    const untan = toGlobalId('University', 1);
    const expiresAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const body = await create({ role: 'UNIVERSITY', universityId: untan, label: ' Tim pendamping UNTAN ', expiresAt });
    const payload = (body.data as { createApiKey: { key: string; apiKey: { prefix: string } } }).createApiKey;
    expect(body).toEqual({
      data: {
        createApiKey: {
          key: expect.stringMatching(/^jipp_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/),
          apiKey: {
            prefix: payload.key.slice(0, 13),
            label: 'Tim pendamping UNTAN',
            role: 'UNIVERSITY',
            province: null,
            university: { acronym: 'UNTAN' },
            status: 'ACTIVE',
            expiresAt,
            lastUsedAt: null,
            revokedAt: null,
          },
          userErrors: [],
        },
      },
    });
    expect(await viewerOf(payload.key)).toEqual({ status: 200, body: { data: { viewer: { role: 'UNIVERSITY', keyLabel: 'Tim pendamping UNTAN', provinceCode: null } } } });

    const listed = await api.run(`{ apiKeys(filter: { role: UNIVERSITY }) { totalCount nodes { prefix label status } } }`, {}, VIEWERS.ministry);
    expect(listed.body).toEqual({ data: { apiKeys: { totalCount: 1, nodes: [{ prefix: payload.apiKey.prefix, label: 'Tim pendamping UNTAN', status: 'ACTIVE' }] } } });
    expect(JSON.stringify((await api.run(LIST, {}, VIEWERS.ministry)).body)).not.toContain(payload.key.slice(14));

    const audit = await api.sql<Record<string, unknown>>(`select role, api_key_id, actor, action, entity_id, after from audit_event where entity_id = ?`, [payload.apiKey.prefix]);
    expect(audit).toEqual([
      {
        role: 'MINISTRY_ADMIN',
        api_key_id: VIEWERS.ministry.keyId,
        actor: VIEWERS.ministry.keyLabel,
        action: 'apiKey.create',
        entity_id: payload.apiKey.prefix,
        after: { label: 'Tim pendamping UNTAN', role: 'UNIVERSITY', province: null, university: 'UNTAN', expiresAt },
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(payload.key.slice(14));
  });

  it('answers a scope that does not fit the role, an unknown province and a past expiry with userErrors, creating nothing', async () => {
    const before = await api.sql('select count(*)::int as n from api_key');
    const errors = async (input: Record<string, unknown>) => ((await create(input)).data as { createApiKey: unknown }).createApiKey;
    expect(await errors({ role: 'HUB_OPERATOR', label: 'x' })).toEqual({
      key: null,
      apiKey: null,
      userErrors: [{ field: 'input.provinceCode', code: 'BAD_USER_INPUT', message: 'A HUB_OPERATOR key needs a province, and only HUB_OPERATOR keys have one.' }],
    });
    expect(await errors({ role: 'HUB_OPERATOR', label: 'x', provinceCode: '99' })).toMatchObject({ userErrors: [{ field: 'input.provinceCode', code: 'NOT_FOUND' }] });
    expect(await errors({ role: 'INTEGRATION', label: '  ', expiresAt: '2020-01-01T00:00:00Z' })).toMatchObject({
      key: null,
      userErrors: [
        { field: 'input.label', code: 'BAD_USER_INPUT' },
        { field: 'input.expiresAt', code: 'BAD_USER_INPUT', message: 'expiresAt must be in the future; got 2020-01-01T00:00:00.000Z.' },
      ],
    });
    expect(await errors({ role: 'PUBLIC', label: 'x' })).toMatchObject({ userErrors: [{ field: 'input.role', code: 'BAD_USER_INPUT' }] });
    expect(await api.sql('select count(*)::int as n from api_key')).toEqual(before);
  });

  it('refuses an expired key with 401 UNAUTHENTICATED saying when it expired', async () => {
    const body = await create({ role: 'INTEGRATION', label: 'Sinovik sync', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    const { key, apiKey } = (body.data as { createApiKey: { key: string; apiKey: { prefix: string } } }).createApiKey;
    expect((await viewerOf(key)).status).toBe(200);
    await api.sql(`update api_key set expires_at = '2026-01-01T00:00:00Z' where prefix = ?`, [apiKey.prefix]);
    expect(await viewerOf(key)).toEqual({
      status: 401,
      body: {
        errors: [
          {
            message: `The API key ${apiKey.prefix} expired at 2026-01-01T00:00:00.000Z; ask the ministry for a new key.`,
            extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }),
          },
        ],
      },
    });
    const listed = await api.run(`{ apiKeys(filter: { status: [EXPIRED] }) { nodes { prefix status } } }`, {}, VIEWERS.ministry);
    expect(listed.body).toEqual({ data: { apiKeys: { nodes: [{ prefix: apiKey.prefix, status: 'EXPIRED' }] } } });
  });

  it('rotates without downtime: old and new key work side by side until the old one is revoked', async () => {
    const make = async (label: string) => ((await create({ role: 'HUB_OPERATOR', provinceCode: '35', label })).data as { createApiKey: { key: string; apiKey: { prefix: string } } }).createApiKey;
    const old = await make('Biro Organisasi Jatim 2025');
    const fresh = await make('Biro Organisasi Jatim 2026');
    expect([(await viewerOf(old.key)).status, (await viewerOf(fresh.key)).status]).toEqual([200, 200]);
    const revoked = await api.run(REVOKE, { prefix: old.apiKey.prefix }, VIEWERS.ministry);
    expect(revoked.body).toEqual({ data: { revokeApiKey: { apiKey: { prefix: old.apiKey.prefix, status: 'REVOKED' }, userErrors: [] } } });
    expect([(await viewerOf(old.key)).status, (await viewerOf(fresh.key)).status]).toEqual([401, 200]);
    // Revoking again changes nothing and is not audited twice.
    expect((await api.run(REVOKE, { prefix: old.apiKey.prefix }, VIEWERS.ministry)).body).toEqual(revoked.body);
    expect(await api.sql(`select action from audit_event where entity_id = ? order by id`, [old.apiKey.prefix])).toEqual([{ action: 'apiKey.create' }, { action: 'apiKey.revoke' }]);
    expect((await api.run(REVOKE, { prefix: 'jipp_notthere' }, VIEWERS.ministry)).body).toEqual({
      data: { revokeApiKey: { apiKey: null, userErrors: [{ field: 'prefix', code: 'NOT_FOUND' }] } },
    });
    expect((await api.run(REVOKE, { prefix: 'jipp_\u0000' }, VIEWERS.ministry)).body).toEqual({
      data: { revokeApiKey: { apiKey: null, userErrors: [{ field: 'prefix', code: 'BAD_USER_INPUT' }] } },
    });
  });

  it('records when a key was last used, writing it at most once a minute', async () => {
    const { key, apiKey } = ((await create({ role: 'INTEGRATION', label: 'busy' })).data as { createApiKey: { key: string; apiKey: { prefix: string } } }).createApiKey;
    const lastUsed = async () =>
      (await api.sql<{ t: number | null }>('select extract(epoch from last_used_at)::float8 as t from api_key where prefix = ?', [apiKey.prefix]))[0].t;
    expect(await lastUsed()).toBeNull();
    await viewerOf(key);
    const first = await lastUsed();
    expect(first).toBeGreaterThan(Date.now() / 1000 - 60);
    for (let i = 0; i < 5; i += 1) await viewerOf(key);
    expect(await lastUsed()).toEqual(first);
    // A minute later, the next request writes it again.
    await api.sql(`update api_key set last_used_at = now() - interval '61 seconds' where prefix = ?`, [apiKey.prefix]);
    const stale = await lastUsed();
    await viewerOf(key);
    const second = await lastUsed();
    expect(second!).toBeGreaterThan(stale! + 60);
    const listed = await api.run(`{ apiKeys(filter: { role: INTEGRATION }) { nodes { prefix lastUsedAt } } }`, {}, VIEWERS.ministry);
    expect((listed.body.data as { apiKeys: { nodes: { prefix: string; lastUsedAt: string }[] } }).apiKeys.nodes.find((k) => k.prefix === apiKey.prefix)).toEqual({
      prefix: apiKey.prefix,
      lastUsedAt: new Date(Math.floor(second! * 1000)).toISOString(),
    });
  });
});
