// API keys: shown once, stored as a hash, scoped by role, revocable; sent as Authorization: Bearer.
import { createKey, listKeys, revokeKey, UsageError } from '../../src/auth/keys.cli';
import { hashKey } from '../../src/auth/api-keys';
import { Role } from '../../src/auth/viewer';
import { openTestApi, serveTestApi, type TestApi } from '../support/harness';

describe('jipp keys (createKey, listKeys, revokeKey)', () => {
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

  const viewer = (key?: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ query: '{ viewer { role keyLabel provinceCode canReadPersonalData } }' }),
    });

  it('creates a key that is stored only as its SHA-256 and authenticates as its role and province', async () => {
    const { key, record } = await createKey(api.orm, { role: Role.HUB_OPERATOR, province: '35', label: 'Biro Organisasi Jatim' });
    expect(key).toMatch(/^jipp_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    const rows = await api.sql<Record<string, unknown>>('select * from api_key where id = ?', [record.id]);
    // The secret is the last 43 characters (base64url: it may itself contain "_", so not split on it).
    expect(JSON.stringify(rows)).not.toContain(key.slice(-43));
    expect(rows[0].hash).toBe(hashKey(key));
    const response = await viewer(key);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: unknown }).data).toEqual({
      viewer: { role: 'HUB_OPERATOR', keyLabel: 'Biro Organisasi Jatim', provinceCode: '35', canReadPersonalData: false },
    });
    const audit = await api.sql<{ action: string; after: Record<string, unknown> }>(`select action, after from audit_event where entity_id = ?`, [record.prefix]);
    expect(audit).toEqual([{ action: 'apiKey.create', after: { label: 'Biro Organisasi Jatim', role: 'HUB_OPERATOR', province: '35', university: null, expiresAt: null } }]);
    expect(JSON.stringify(audit)).not.toContain(key);
  });

  it('refuses scopes that do not fit the role', async () => {
    await expect(createKey(api.orm, { role: Role.HUB_OPERATOR, label: 'x' })).rejects.toThrow(UsageError);
    await expect(createKey(api.orm, { role: Role.UNIVERSITY, label: 'x' })).rejects.toThrow(UsageError);
    await expect(createKey(api.orm, { role: Role.MINISTRY_ADMIN, label: 'x', province: '35' })).rejects.toThrow(UsageError);
    await expect(createKey(api.orm, { role: Role.HUB_OPERATOR, label: 'x', province: '99' })).rejects.toThrow('There is no province 99.');
  });

  it('stops a revoked key at once with 401 and WWW-Authenticate', async () => {
    const { key, record } = await createKey(api.orm, { role: Role.UNIVERSITY, university: 'UNTAN', label: 'UNTAN' });
    expect((await viewer(key)).status).toBe(200);
    await revokeKey(api.orm, record.prefix);
    const response = await viewer(key);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
    expect((await listKeys(api.orm)).find((k) => k.id === record.id)?.revokedAt).toBeInstanceOf(Date);
  });

  it.each(['Bearer nonsense', 'Bearer jipp_AAAAAAAA_' + 'A'.repeat(43), 'Basic abc'])('answers 401 to the header "%s"', async (header) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: header },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(response.status).toBe(401);
  });

  it('treats a request without a key as PUBLIC', async () => {
    expect(((await (await viewer()).json()) as { data: unknown }).data).toEqual({ viewer: { role: 'PUBLIC', keyLabel: null, provinceCode: null, canReadPersonalData: false } });
  });
});
