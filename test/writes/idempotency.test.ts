// No doubled writes: every create takes an idempotencyKey. The same key with the same input returns the first
// result (replayed: true) without a second effect, also when the duplicates arrive at the same moment; the
// same key with another input is a CONFLICT; keys belong to one API key; a refused write does not use its key up.
import { toGlobalId } from '../../src/graphql/global-id';
import { Role, type Viewer } from '../../src/auth/viewer';
import { openTestApi, type GraphQLResponse, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import { CREATE_INNOVATION, CREATE_PROGRAMME, DESIGNATE_HUB, Fixtures, RECORD_REPLICATION, RECORD_SESSION, refused } from '../support/writes';

let api: TestApi;
let fx: Fixtures;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
});
afterAll(() => api.close());

const SOURCES = ['https://example.org/berita'];
/** Another key of the same role and scope as jatimOperator / the ministry: same powers, another key space. */
const secondJatimKey: Viewer = { ...VIEWERS.jatimOperator, keyId: 31, keyLabel: 'hub_operator-31' };
const secondMinistryKey: Viewer = { ...VIEWERS.ministry, keyId: 11, keyLabel: 'ministry_admin-11' };

interface CreateCase {
  mutation: string;
  payload: string;
  document: string;
  table: string;
  viewer: Viewer;
  /** Another key allowed to make the same write. */
  other: Viewer;
  /** A fresh, valid input (`variant` changes one value), and an invalid one. */
  input: (variant?: number) => Promise<Record<string, unknown>>;
  invalid: (valid: Record<string, unknown>) => Record<string, unknown>;
}

let counter = 0;
const unique = () => `${Date.now().toString(36)}-${(counter += 1)}`;

const CASES: CreateCase[] = [
  {
    mutation: 'createInnovation',
    payload: 'innovation',
    document: CREATE_INNOVATION,
    table: 'innovation',
    viewer: VIEWERS.jatimOperator,
    other: secondJatimKey,
    input: async () => {
      const title = `Inovasi Sekali ${unique()}`;
      return { title, owner: { id: toGlobalId('Institution', await fx.institutionId('Pemerintah Kabupaten Gresik')) }, regencyCode: '35.25', sources: SOURCES };
    },
    invalid: (valid) => ({ ...valid, title: ' ' }),
  },
  {
    mutation: 'recordReplication',
    payload: 'replication',
    document: RECORD_REPLICATION,
    table: 'replication',
    viewer: VIEWERS.jatimOperator,
    other: secondJatimKey,
    input: async () => ({ sourceId: await fx.innovation({ regencyCode: '33.26' }), adopter: { scope: 'REGENCY', regencyCode: '35.15' }, kind: 'REPLICATION', year: 2025, sources: SOURCES }),
    invalid: (valid) => ({ ...valid, year: 1800 }),
  },
  {
    mutation: 'designateHub',
    payload: 'hub',
    document: DESIGNATE_HUB,
    table: 'hub',
    viewer: VIEWERS.ministry,
    other: secondMinistryKey,
    input: async () => ({ provinceCode: await fx.provinceWithoutHub(), cohortYear: 2026, stage: 'COMMITTED', sources: SOURCES }),
    invalid: (valid) => ({ ...valid, cohortYear: 2000 }),
  },
  {
    mutation: 'createMentoringProgramme',
    payload: 'programme',
    document: CREATE_PROGRAMME,
    table: 'mentoring_programme',
    viewer: VIEWERS.untan,
    other: VIEWERS.ministry,
    input: async () => ({ year: 2026, provinceCode: '61', universityId: toGlobalId('University', await fx.universityId('UNTAN')), outputs: [unique()], sources: SOURCES }),
    invalid: (valid) => ({ ...valid, year: 2000 }),
  },
  {
    mutation: 'recordMentoringSession',
    payload: 'session',
    document: RECORD_SESSION,
    table: 'mentoring_session',
    viewer: VIEWERS.untan,
    other: VIEWERS.ministry,
    input: async () => ({ programmeId: await fx.programme('UNTAN'), heldOn: '2026-01-05', mode: 'ONLINE', topic: `Klinik ${unique()}`, mentorNames: ['Dr. Rahasia'] }),
    invalid: (valid) => ({ ...valid, topic: ' ' }),
  },
];

type Payload = { replayed: boolean; userErrors: unknown[] } & Record<string, { id: string } | null | unknown>;
const payloadOf = (body: GraphQLResponse, c: CreateCase) => (body.data as Record<string, Payload>)[c.mutation];
const idOf = (body: GraphQLResponse, c: CreateCase) => (payloadOf(body, c)[c.payload] as { id: string }).id;
const auditsFor = (id: string) => fx.count('audit_event', 'entity_id = ?', [id]);

describe.each(CASES)('Mutation.$mutation with an idempotencyKey', (c) => {
  it('replays the first result for the same key and input: the same payload, replayed: true, one row, one audit event', async () => {
    const input = await c.input();
    const key = `kunci-${unique()}`;
    const first = await api.run(c.document, { input, key }, c.viewer);
    expect(first.body).toEqual({ data: { [c.mutation]: { [c.payload]: expect.objectContaining({ id: expect.any(String) }), userErrors: [], replayed: false } } });
    const before = await fx.picture();
    const second = await api.run(c.document, { input, key }, c.viewer);
    expect(second.body).toEqual({ data: { [c.mutation]: { ...payloadOf(first.body, c), replayed: true } } });
    expect(await fx.picture()).toEqual(before);
    expect(await auditsFor(idOf(first.body, c))).toBe(1);
  });

  it('refuses the same key with another input as a CONFLICT on idempotencyKey, and writes nothing', async () => {
    const key = `kunci-${unique()}`;
    const [first, second] = [await c.input(), await c.input()];
    await api.run(c.document, { input: first, key }, c.viewer);
    const before = await fx.picture();
    const other = await api.run(c.document, { input: second, key }, c.viewer);
    expect(other.body).toEqual(refused(c.mutation, 'CONFLICT', 'idempotencyKey'));
    expect(await fx.picture()).toEqual(before);
  });

  it('does not use the key up when the write is refused with userErrors: the corrected retry writes', async () => {
    const valid = await c.input();
    const key = `kunci-${unique()}`;
    const before = await fx.picture();
    const wrong = await api.run(c.document, { input: c.invalid(valid), key }, c.viewer);
    expect(wrong.body).toEqual({ data: { [c.mutation]: { [c.payload]: null, userErrors: [expect.objectContaining({ code: 'BAD_USER_INPUT' })], replayed: false } } });
    expect(await fx.picture()).toEqual(before);
    const corrected = await api.run(c.document, { input: valid, key }, c.viewer);
    expect(corrected.body).toEqual({ data: { [c.mutation]: { [c.payload]: expect.objectContaining({ id: expect.any(String) }), userErrors: [], replayed: false } } });
  });

  it('does not use the key up when the write is forbidden', async () => {
    const key = `kunci-${unique()}`;
    const forbidden: Viewer = { role: Role.INTEGRATION, keyId: c.viewer.keyId, keyLabel: 'same key id, no right', provinceCode: null, universityId: null };
    const input = await c.input();
    expect((await api.run(c.document, { input, key }, forbidden)).body).toEqual(refused(c.mutation, 'FORBIDDEN'));
    const allowed = await api.run(c.document, { input, key }, c.viewer);
    expect(payloadOf(allowed.body, c)).toEqual(expect.objectContaining({ userErrors: [], replayed: false }));
  });

  it('gives ten concurrent duplicates one effect, one audit event and one id', async () => {
    const input = await c.input();
    const key = `serentak-${unique()}`;
    const rows = await fx.count(c.table);
    const results = await Promise.all(Array.from({ length: 10 }, () => api.run(c.document, { input, key }, c.viewer)));
    for (const result of results) {
      expect(result.body).toEqual({ data: { [c.mutation]: { [c.payload]: expect.objectContaining({ id: expect.any(String) }), userErrors: [], replayed: expect.any(Boolean) } } });
    }
    const ids = new Set(results.map((r) => idOf(r.body, c)));
    expect(ids.size).toBe(1);
    expect(results.map((r) => payloadOf(r.body, c).replayed).filter((replayed) => !replayed)).toHaveLength(1);
    expect(await fx.count(c.table)).toBe(rows + 1);
    expect(await auditsFor([...ids][0])).toBe(1);
    expect(await fx.count('audit_event', 'idempotency_key = ?', [key])).toBe(1);
  });
});

describe('idempotency keys belong to one API key and one operation', () => {
  it.each(CASES.filter((c) => c.mutation !== 'designateHub'))('$mutation: another key with the same idempotencyKey and input writes again', async (c) => {
    const input = await c.input();
    const key = `bersama-${unique()}`;
    const rows = await fx.count(c.table);
    const mine = await api.run(c.document, { input, key }, c.viewer);
    const theirs = await api.run(c.document, { input, key }, c.other);
    expect(payloadOf(theirs.body, c)).toEqual(expect.objectContaining({ userErrors: [], replayed: false }));
    expect(idOf(theirs.body, c)).not.toBe(idOf(mine.body, c));
    expect(await fx.count(c.table)).toBe(rows + 2);
  });

  it('designateHub: another ministry key with the same idempotencyKey is not handed the first result', async () => {
    const c = CASES.find((x) => x.mutation === 'designateHub')!;
    const input = await c.input();
    await api.run(c.document, { input, key: 'hub-bersama' }, c.viewer);
    const theirs = await api.run(c.document, { input, key: 'hub-bersama' }, c.other);
    // Not a replay: it runs, and finds the hub the first call made (a change would need its version).
    expect(theirs.body).toEqual({ data: { designateHub: { hub: null, userErrors: [expect.objectContaining({ field: 'input.version', code: 'CONFLICT' })], replayed: false } } });
  });

  it('keeps the key spaces of different operations apart', async () => {
    const key = `sama-${unique()}`;
    const innovation = await api.run(CREATE_INNOVATION, { input: await CASES[0].input(), key }, VIEWERS.jatimOperator);
    const replication = await api.run(RECORD_REPLICATION, { input: await CASES[1].input(), key }, VIEWERS.jatimOperator);
    expect(payloadOf(innovation.body, CASES[0]).replayed).toBe(false);
    expect(payloadOf(replication.body, CASES[1])).toEqual(expect.objectContaining({ userErrors: [], replayed: false }));
  });

  it.each([
    ['an empty key', ''],
    ['a key over 200 characters', 'k'.repeat(201)],
  ])('refuses %s as BAD_USER_INPUT on idempotencyKey', async (_name, key) => {
    const before = await fx.picture();
    const result = await api.run(CREATE_INNOVATION, { input: await CASES[0].input(), key }, VIEWERS.jatimOperator);
    expect(result.body).toEqual(refused('createInnovation', 'BAD_USER_INPUT', 'idempotencyKey'));
    expect(await fx.picture()).toEqual(before);
  });
});

describe('concurrent writes', () => {
  it('with one key and two inputs: one effect, the same input replays it, the other is a CONFLICT', async () => {
    const [a, b] = [await CASES[0].input(), await CASES[0].input()];
    const key = `campur-${unique()}`;
    const rows = await fx.count('innovation');
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => api.run(CREATE_INNOVATION, { input: i % 2 ? a : b, key }, VIEWERS.jatimOperator)));
    expect(await fx.count('innovation')).toBe(rows + 1);
    const [{ title: winner }] = await api.sql<{ title: string }>(`select title from innovation order by id desc limit 1`);
    const winnerInput = winner === a.title ? a : b;
    results.forEach((result, i) => {
      const sent = i % 2 ? a : b;
      if (sent === winnerInput) {
        expect(result.body).toEqual({ data: { createInnovation: expect.objectContaining({ innovation: expect.objectContaining({ title: winner }), userErrors: [] }) } });
      } else {
        expect(result.body).toEqual(refused('createInnovation', 'CONFLICT', 'idempotencyKey'));
      }
    });
  });

  it('without keys, innovations naming the same new owner all succeed and share one owner', async () => {
    const owner = `Dinas Baru Serentak ${unique()}`;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api.run(CREATE_INNOVATION, { input: { title: `Serentak ${i}`, owner: { name: owner }, regencyCode: '35.25', sources: SOURCES } }, VIEWERS.jatimOperator),
      ),
    );
    for (const result of results) {
      expect(result.body).toEqual({ data: { createInnovation: expect.objectContaining({ innovation: expect.objectContaining({ owner: { name: owner, kind: 'REGIONAL_AGENCY' } }), userErrors: [] }) } });
    }
    expect(await fx.count('institution', 'name = ?', [owner])).toBe(1);
    expect(await fx.count('innovation', 'owner_id = (select id from institution where name = ?)', [owner])).toBe(6);
  });
});
