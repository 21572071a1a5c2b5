// Query.universities, Query.mentoringProgrammes and MentoringProgramme.sessions: the seeded 2021 mentoring
// facts plus programmes and sessions added here by SQL. Mentor names are personal data: only the ministry and
// the university running a programme ever see them.
import { PUBLIC_VIEWER, Role, type Viewer } from '../../src/auth/viewer';
import { dataOf, openTestApi, type Result, type TestApi } from '../support/harness';
import { expectError, gid } from '../support/api-assertions';

let api: TestApi;

const MENTORS = ['Dr. Rina Mentorwati', 'Budi Pendamping Santoso'];

/** Database ids: programmes by reference key, sessions by topic. */
const programmeId = new Map<string, number>();
const sessionId = new Map<string, number>();
const universityId = new Map<string, number>();
const programmeGid = (key: string) => gid('MentoringProgramme', programmeId.get(key)!);

beforeAll(async () => {
  api = await openTestApi();
  await api.sql(
    `insert into mentoring_programme (reference_key, year, province_code, university_id, other_partner, period_start, period_end, period_precision, outputs, dataset, confidence)
     values ('test-2022-61', 2022, '61', (select id from university where acronym = 'UNTAN'), null, '2022-03-07', '2022-06-24', 'day',
             '{"Rencana Aksi replikasi","Pernyataan Komitmen"}', 'DEMO', 'UNCONFIRMED'),
            ('test-2020-51', 2020, '51', null, 'GIZ TRANSFORMASI', null, null, null, '{}', 'DEMO', 'UNCONFIRMED')`,
  );
  for (const r of await api.sql<{ id: number; reference_key: string }>('select id, reference_key from mentoring_programme')) {
    programmeId.set(r.reference_key, r.id);
  }
  for (const r of await api.sql<{ id: number; acronym: string }>('select id, acronym from university')) universityId.set(r.acronym, r.id);

  // Sessions inserted out of date order; two on one day.
  const sessions: [string, string, string, string, number | null, string[], string[]][] = [
    ['2021-61-UNTAN', '2021-09-14', 'ONLINE', 'Evaluasi rencana aksi', 25, MENTORS, ['61.71', '61.01']],
    ['2021-61-UNTAN', '2021-07-08', 'IN_PERSON', 'Pembukaan pendampingan', 40, [MENTORS[0]], []],
    ['2021-61-UNTAN', '2021-08-19', 'HYBRID', 'Penyusunan rencana aksi', null, [], ['61.04']],
    ['2021-61-UNTAN', '2021-08-19', 'ONLINE', 'Klinik inovasi', 12, [MENTORS[1]], []],
    ['2021-61-UNTAN', '2021-10-27', 'IN_PERSON', 'Penandatanganan komitmen', 60, MENTORS, ['61.71']],
    ['2021-19-UBB', '2021-10-05', 'IN_PERSON', 'Komitmen Bangka Barat', 30, ['Mentor UBB'], ['19.05']],
    ['2021-19-UBB', '2021-07-22', 'ONLINE', 'Pengenalan replikasi', null, [], []],
  ];
  for (const [programme, heldOn, mode, topic, participants, mentors, regencies] of sessions) {
    const [{ id }] = await api.sql<{ id: number }>(
      `insert into mentoring_session (programme_id, held_on, mode, topic, participant_count, mentor_names, dataset, confidence)
       values (?, ?, ?, ?, ?, ?, 'DEMO', 'UNCONFIRMED') returning id`,
      [programmeId.get(programme), heldOn, mode, topic, participants, `{${mentors.map((m) => `"${m}"`).join(',')}}`],
    );
    sessionId.set(topic, id);
    for (const code of regencies) {
      await api.sql('insert into mentoring_session_regency (mentoring_session_id, regency_code) values (?, ?)', [id, code]);
    }
  }
});

afterAll(async () => {
  await api?.close();
});

describe('Query.universities', () => {
  it('lists the partner universities by name, with their province and programmes, oldest first', async () => {
    const result = await api.run('{ universities { id acronym name province { code name } programmes { year province { code } } provenance { dataset confidence } } }');
    expect(result.body).toEqual({
      data: {
        universities: [
          {
            id: gid('University', universityId.get('UBB')!),
            acronym: 'UBB',
            name: 'Universitas Bangka Belitung',
            province: { code: '19', name: 'KEPULAUAN BANGKA BELITUNG' },
            programmes: [{ year: 2021, province: { code: '19' } }],
            provenance: { dataset: 'REFERENCE', confidence: 'REPORTED' },
          },
          {
            id: gid('University', universityId.get('UNTAN')!),
            acronym: 'UNTAN',
            name: 'Universitas Tanjungpura',
            province: { code: '61', name: 'KALIMANTAN BARAT' },
            programmes: [
              { year: 2021, province: { code: '61' } },
              { year: 2022, province: { code: '61' } },
            ],
            provenance: { dataset: 'REFERENCE', confidence: 'REPORTED' },
          },
        ],
      },
    });
    expect(result.statements).toBe(1);
  });

  it('is reachable by global id', async () => {
    const result = await api.run('query($id: ID!) { node(id: $id) { __typename ... on University { acronym } } }', {
      id: gid('University', universityId.get('UNTAN')!),
    });
    expect(result.body).toEqual({ data: { node: { __typename: 'University', acronym: 'UNTAN' } } });
  });
});

describe('Query.mentoringProgrammes', () => {
  const LIST = `
    query Programmes($filter: MentoringFilter, $first: Int, $after: String, $last: Int, $before: String) {
      mentoringProgrammes(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
        totalCount
        edges { cursor node { id year province { code } university { acronym } otherPartner } }
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      }
    }`;

  interface Page {
    totalCount: number;
    edges: { cursor: string; node: { id: string; year: number; province: { code: string }; university: { acronym: string } | null; otherPartner: string | null } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  }
  const list = async (variables: Record<string, unknown>) => dataOf(await api.run(LIST, variables)).mentoringProgrammes as Page;
  /** "year/province/partner" of every match, in the API's order. */
  const match = async (filter: Record<string, unknown>) =>
    (await list({ filter, first: 100 })).edges.map(({ node: n }) => `${n.year}/${n.province.code}/${n.university?.acronym ?? n.otherPartner ?? '-'}`);

  it('lists programmes newest year first, the latest recorded first within a year', async () => {
    expect(await match({})).toEqual([
      '2022/61/UNTAN',
      '2021/51/-',
      '2021/73/-',
      '2021/13/-',
      '2021/33/-',
      '2021/19/UBB',
      '2021/61/UNTAN',
      '2020/51/GIZ TRANSFORMASI',
    ]);
  });

  it('reads the provinces and universities of a page in the page\'s statement, as they read on their own', async () => {
    const REFS = 'province { code name isHub } university { id acronym name province { code } provenance { dataset sources { label } } }';
    const joined = await api.run(`{ mentoringProgrammes(first: 100) { totalCount edges { node { id ${REFS} } } } }`);
    const nodes = dataOf(joined).mentoringProgrammes.edges.map((e: { node: unknown }) => e.node);
    expect(joined.statements).toBe(1);
    expect(nodes.filter((n: { university: unknown }) => n.university !== null)).toHaveLength(3);
    const alone = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on MentoringProgramme { id ${REFS} } } }`, {
      ids: nodes.map((n: { id: string }) => n.id),
    });
    expect(alone.body).toEqual({ data: { nodes } });
    // Not selected, not joined.
    const plain = await api.run('{ mentoringProgrammes(first: 100) { nodes { id } } }');
    expect(plain.statements).toBe(1);
  });

  it('shows the period of a programme known to the month, with its sources', async () => {
    const mmc = 'https://mmcindonesia.id/2021/05/21/hub-jipp-provinsi-kalimantan-barat-akan-dikawal-perguruan-tinggi';
    const result = await api.run(
      `query($id: ID!) { node(id: $id) { ... on MentoringProgramme {
          id year province { code name } university { acronym name } otherPartner
          periodStart periodEnd periodPrecision commitmentSignedOn recommendedBy outputs
          provenance { dataset confidence note sources { label url } }
      } } }`,
      { id: programmeGid('2021-61-UNTAN') },
    );
    expect(result.body).toEqual({
      data: {
        node: {
          id: programmeGid('2021-61-UNTAN'),
          year: 2021,
          province: { code: '61', name: 'KALIMANTAN BARAT' },
          university: { acronym: 'UNTAN', name: 'Universitas Tanjungpura' },
          otherPartner: null,
          periodStart: '2021-07-01',
          periodEnd: '2021-10-31',
          periodPrecision: 'month',
          commitmentSignedOn: '2021-12-07',
          recommendedBy: 'IAPA',
          outputs: [],
          provenance: { dataset: 'REFERENCE', confidence: 'CONFIRMED', note: null, sources: [{ label: mmc, url: mmc }] },
        },
      },
    });
  });

  it('shows programmes whose partner is not public, or not a university', async () => {
    const FIELDS = `query($id: ID!) { node(id: $id) { ... on MentoringProgramme {
        university { acronym } otherPartner periodStart periodEnd periodPrecision commitmentSignedOn outputs provenance { dataset note } } } }`;
    expect(dataOf(await api.run(FIELDS, { id: programmeGid('2021-33-partner-not-public') })).node).toEqual({
      university: null,
      otherPartner: null,
      periodStart: null,
      periodEnd: null,
      periodPrecision: null,
      commitmentSignedOn: '2021-11-02',
      outputs: [],
      provenance: { dataset: 'REFERENCE', note: 'partner university not public' },
    });
    expect(dataOf(await api.run(FIELDS, { id: programmeGid('test-2020-51') })).node).toEqual({
      university: null,
      otherPartner: 'GIZ TRANSFORMASI',
      periodStart: null,
      periodEnd: null,
      periodPrecision: null,
      commitmentSignedOn: null,
      outputs: [],
      provenance: { dataset: 'DEMO', note: null },
    });
    expect(dataOf(await api.run(FIELDS, { id: programmeGid('test-2022-61') })).node).toMatchObject({
      periodStart: '2022-03-07',
      periodEnd: '2022-06-24',
      periodPrecision: 'day',
      outputs: ['Rencana Aksi replikasi', 'Pernyataan Komitmen'],
    });
  });

  it('filter.year keeps the programmes of one year', async () => {
    expect(await match({ year: 2021 })).toEqual(['2021/51/-', '2021/73/-', '2021/13/-', '2021/33/-', '2021/19/UBB', '2021/61/UNTAN']);
    expect(await match({ year: 2022 })).toEqual(['2022/61/UNTAN']);
    expect(await match({ year: 2019 })).toEqual([]);
  });

  it('filter.provinceCode keeps the programmes of one hub province', async () => {
    expect(await match({ provinceCode: '61' })).toEqual(['2022/61/UNTAN', '2021/61/UNTAN']);
    expect(await match({ provinceCode: '51' })).toEqual(['2021/51/-', '2020/51/GIZ TRANSFORMASI']);
    expect(await match({ provinceCode: '35' })).toEqual([]);
  });

  it('filter.universityId keeps the programmes of one university, by its global id', async () => {
    expect(await match({ universityId: gid('University', universityId.get('UNTAN')!) })).toEqual(['2022/61/UNTAN', '2021/61/UNTAN']);
    expect(await match({ universityId: gid('University', universityId.get('UBB')!) })).toEqual(['2021/19/UBB']);
    expect(await match({ universityId: gid('University', 999999) })).toEqual([]);
  });

  it('combines filters with AND', async () => {
    expect(await match({ year: 2021, universityId: gid('University', universityId.get('UNTAN')!) })).toEqual(['2021/61/UNTAN']);
    expect(await match({ provinceCode: '19', universityId: gid('University', universityId.get('UNTAN')!) })).toEqual([]);
  });

  it.each([
    ['a province id', gid('Province', '61')],
    ['a programme id', gid('MentoringProgramme', 1)],
    ['a malformed id', 'UNTAN'],
  ])('rejects %s as filter.universityId', async (_name, id) => {
    expectError(await api.run(LIST, { filter: { universityId: id } }), {
      path: ['mentoringProgrammes'],
      code: 'BAD_USER_INPUT',
      argument: 'filter.universityId',
    });
  });

  it('rejects a malformed province code', async () => {
    expectError(await api.run(LIST, { filter: { provinceCode: '6' } }), {
      path: ['mentoringProgrammes'],
      code: 'BAD_USER_INPUT',
      argument: 'filter.provinceCode',
    });
  });

  it('rejects a year outside 1900..2100 and names filter.year', async () => {
    expectError(await api.run(LIST, { filter: { year: 1800 } }), { path: ['mentoringProgrammes'], code: 'BAD_USER_INPUT', argument: 'filter.year' });
  });

  it('walks every page forwards and backwards', async () => {
    const all = (await list({ first: 100 })).edges.map((e) => e.node.id);
    const forward: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: Page = await list({ first: 3, after });
      forward.push(...page.edges.map((e) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page: Page = await list({ last: 3, before });
      backward.unshift(...page.edges.map((e) => e.node.id));
      expect(page.pageInfo.hasNextPage).toBe(before !== null);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(all).toHaveLength(8);
    expect(forward).toEqual(all);
    expect(backward).toEqual(all);
  });

  it('continues a filtered list after a cursor', async () => {
    const page = await list({ filter: { year: 2021 }, first: 2 });
    const next = await list({ filter: { year: 2021 }, first: 2, after: page.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.province.code)).toEqual(['13', '33']);
    expect(next.totalCount).toBe(6);
  });
});

describe('MentoringProgramme.sessions', () => {
  const SESSIONS = `
    query Sessions($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      node(id: $id) {
        ... on MentoringProgramme {
          sessions(first: $first, after: $after, last: $last, before: $before) {
            totalCount
            edges { cursor node { id heldOn mode topic participantCount regencies { code name } programme { year university { acronym } } } }
            pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          }
        }
      }
    }`;

  interface SessionPage {
    totalCount: number;
    edges: { cursor: string; node: { id: string; topic: string; heldOn: string } }[];
    pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  }
  const sessions = async (programme: string, page: Record<string, unknown> = {}) =>
    dataOf(await api.run(SESSIONS, { id: programmeGid(programme), ...page })).node.sessions as SessionPage;

  it('lists the sessions of a programme in date order, sessions of one day in the order recorded', async () => {
    const result = await api.run(SESSIONS, { id: programmeGid('2021-61-UNTAN') });
    const session = (topic: string, heldOn: string, mode: string, participantCount: number | null, regencies: { code: string; name: string }[]) => ({
      cursor: expect.any(String),
      node: {
        id: gid('MentoringSession', sessionId.get(topic)!),
        heldOn,
        mode,
        topic,
        participantCount,
        regencies,
        programme: { year: 2021, university: { acronym: 'UNTAN' } },
      },
    });
    const body = result.body as { data: { node: { sessions: SessionPage } } };
    expect(body).toEqual({
      data: {
        node: {
          sessions: {
            totalCount: 5,
            edges: [
              session('Pembukaan pendampingan', '2021-07-08', 'IN_PERSON', 40, []),
              session('Penyusunan rencana aksi', '2021-08-19', 'HYBRID', null, [{ code: '61.04', name: 'KABUPATEN KETAPANG' }]),
              session('Klinik inovasi', '2021-08-19', 'ONLINE', 12, []),
              session('Evaluasi rencana aksi', '2021-09-14', 'ONLINE', 25, [
                { code: '61.01', name: 'KABUPATEN SAMBAS' },
                { code: '61.71', name: 'KOTA PONTIANAK' },
              ]),
              session('Penandatanganan komitmen', '2021-10-27', 'IN_PERSON', 60, [{ code: '61.71', name: 'KOTA PONTIANAK' }]),
            ],
            pageInfo: {
              hasNextPage: false,
              hasPreviousPage: false,
              startCursor: body.data.node.sessions.edges[0].cursor,
              endCursor: body.data.node.sessions.edges[4].cursor,
            },
          },
        },
      },
    });
  });

  it('counts sessions per programme, and none where none were recorded', async () => {
    const result = await api.run('{ mentoringProgrammes { nodes { province { code } year sessions { totalCount } } } }');
    expect(dataOf(result).mentoringProgrammes.nodes.map((p: { province: { code: string }; year: number; sessions: { totalCount: number } }) => [p.year, p.province.code, p.sessions.totalCount])).toEqual([
      [2022, '61', 0],
      [2021, '51', 0],
      [2021, '73', 0],
      [2021, '13', 0],
      [2021, '33', 0],
      [2021, '19', 2],
      [2021, '61', 5],
      [2020, '51', 0],
    ]);
  });

  it('pages forwards with first/after and backwards with last/before', async () => {
    const order = ['Pembukaan pendampingan', 'Penyusunan rencana aksi', 'Klinik inovasi', 'Evaluasi rencana aksi', 'Penandatanganan komitmen'];
    const forward: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await sessions('2021-61-UNTAN', { first: 2, after });
      pages += 1;
      forward.push(...page.edges.map((e) => e.node.topic));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(forward).toEqual(order);

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const page = await sessions('2021-61-UNTAN', { last: 2, before });
      backward.unshift(...page.edges.map((e) => e.node.topic));
      expect(page.pageInfo.hasNextPage).toBe(before !== null);
      if (!page.pageInfo.hasPreviousPage) break;
      before = page.pageInfo.startCursor;
    }
    expect(backward).toEqual(order);
  });

  it('breaks a tie of dates by creation order across a page boundary', async () => {
    const first = await sessions('2021-61-UNTAN', { first: 2 });
    expect(first.edges.map((e) => e.node.topic)).toEqual(['Pembukaan pendampingan', 'Penyusunan rencana aksi']);
    const next = await sessions('2021-61-UNTAN', { first: 1, after: first.pageInfo.endCursor });
    expect(next.edges.map((e) => e.node.topic)).toEqual(['Klinik inovasi']);
  });

  it('rejects a cursor from another list and bad page sizes', async () => {
    const programmeCursor = (dataOf(await api.run('{ mentoringProgrammes(first: 1) { pageInfo { endCursor } } }')).mentoringProgrammes.pageInfo.endCursor) as string;
    for (const [page, argument] of [
      [{ first: 2, after: programmeCursor }, 'after'],
      [{ first: 101 }, 'first'],
      [{ first: 1, last: 1 }, 'first'],
    ] as const) {
      expectError(await api.run(SESSIONS, { id: programmeGid('2021-61-UNTAN'), ...page }), {
        path: ['node', 'sessions'],
        code: 'BAD_USER_INPUT',
        argument,
        data: { node: null },
      });
    }
  });

  it('reaches a session by its global id, with its programme', async () => {
    const result = await api.run('query($id: ID!) { node(id: $id) { ... on MentoringSession { topic heldOn programme { year province { code } } provenance { dataset confidence } } } }', {
      id: gid('MentoringSession', sessionId.get('Komitmen Bangka Barat')!),
    });
    expect(result.body).toEqual({
      data: {
        node: {
          topic: 'Komitmen Bangka Barat',
          heldOn: '2021-10-05',
          programme: { year: 2021, province: { code: '19' } },
          provenance: { dataset: 'DEMO', confidence: 'UNCONFIRMED' },
        },
      },
    });
  });
});

describe('Mentor names (personal data)', () => {
  it('come back to the public from no field of MentoringSession, however deep', async () => {
    // Builds a selection of every field without required arguments, three levels deep, from introspection,
    // so a field added later is read too.
    interface TypeRef { kind: string; name: string | null; ofType: TypeRef | null }
    interface Field { name: string; args: { type: TypeRef }[]; type: TypeRef }
    const types = new Map<string, Field[]>();
    const intro = await api.run(`{ __schema { types { name fields { name args { type { kind } } type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`);
    for (const t of dataOf(intro).__schema.types as { name: string; fields: Field[] | null }[]) types.set(t.name, t.fields ?? []);
    const named = (t: TypeRef): TypeRef => (t.ofType ? named(t.ofType) : t);
    const selection = (typeName: string, depth: number): string =>
      types
        .get(typeName)!
        .filter((f) => f.args.every((a) => a.type.kind !== 'NON_NULL'))
        .map((f) => {
          const type = named(f.type);
          if (type.kind === 'SCALAR' || type.kind === 'ENUM') return f.name;
          if (depth === 0 || type.kind !== 'OBJECT') return null;
          return `${f.name} { __typename ${selection(type.name!, depth - 1)} }`;
        })
        .filter(Boolean)
        .join(' ');
    const fields = selection('MentoringSession', 3);
    expect(fields).toContain('topic');
    for (const topic of ['Evaluasi rencana aksi', 'Komitmen Bangka Barat', 'Klinik inovasi']) {
      const result = await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringSession { ${fields} } } }`, {
        id: gid('MentoringSession', sessionId.get(topic)!),
      });
      const text = JSON.stringify(dataOf(result));
      expect(text).toContain(topic);
      for (const name of [...MENTORS, 'Mentor UBB']) expect(text).not.toContain(name);
    }
  });

  it('are exposed by one nullable output field only, MentoringSession.mentorNames', async () => {
    const result = await api.run(`{ __schema { types { name kind
      fields(includeDeprecated: true) { name type { kind } args { name } } } } }`);
    const outputs: string[] = [];
    const nullable: string[] = [];
    for (const type of dataOf(result).__schema.types as { name: string; fields: { name: string; type: { kind: string }; args: { name: string }[] }[] | null }[]) {
      for (const field of type.fields ?? []) {
        // "mentoring..." is the programme; "mentor", "mentors", "mentorNames" are people.
        if (/mentor(?!ing)/i.test(field.name)) outputs.push(`${type.name}.${field.name}`);
        if (/mentor(?!ing)/i.test(field.name) && field.type.kind !== 'NON_NULL') nullable.push(`${type.name}.${field.name}`);
        for (const arg of field.args) expect(`${type.name}.${field.name}(${arg.name})`).not.toMatch(/mentor(?!ing)/i);
      }
    }
    expect(outputs).toEqual(nullable); // every such field can be withheld
    expect(outputs.filter((name) => name !== 'MentoringSession.mentorNames')).toEqual([]);
  });

  const NAMES = `query($id: ID!) { node(id: $id) { ... on MentoringProgramme { sessions { nodes { topic mentorNames } } } } }`;
  const namesSeenBy = async (programme: string, viewer?: Viewer) =>
    dataOf(await api.run(NAMES, { id: programmeGid(programme) }, viewer)).node.sessions.nodes.map((n: { topic: string; mentorNames: string[] | null }) => [n.topic, n.mentorNames]);
  const as = (role: Role, extra: Partial<Viewer> = {}): Viewer => ({ ...PUBLIC_VIEWER, role, keyLabel: `test ${role}`, ...extra });

  it('are withheld from the public', async () => {
    expect(await namesSeenBy('2021-61-UNTAN')).toEqual([
      ['Pembukaan pendampingan', null],
      ['Penyusunan rencana aksi', null],
      ['Klinik inovasi', null],
      ['Evaluasi rencana aksi', null],
      ['Penandatanganan komitmen', null],
    ]);
  });

  it('are shown to the university running the programme and to the ministry', async () => {
    const untan = as(Role.UNIVERSITY, { universityId: universityId.get('UNTAN')! });
    const expected = [
      ['Pembukaan pendampingan', [MENTORS[0]]],
      ['Penyusunan rencana aksi', []],
      ['Klinik inovasi', [MENTORS[1]]],
      ['Evaluasi rencana aksi', MENTORS],
      ['Penandatanganan komitmen', MENTORS],
    ];
    expect(await namesSeenBy('2021-61-UNTAN', untan)).toEqual(expected);
    expect(await namesSeenBy('2021-61-UNTAN', as(Role.MINISTRY_ADMIN))).toEqual(expected);
    expect(await namesSeenBy('2021-19-UBB', as(Role.MINISTRY_ADMIN))).toEqual([
      ['Pengenalan replikasi', []],
      ['Komitmen Bangka Barat', ['Mentor UBB']],
    ]);
  });

  it("are withheld from another university, a hub operator and an integration", async () => {
    const withheld = [
      ['Pengenalan replikasi', null],
      ['Komitmen Bangka Barat', null],
    ];
    expect(await namesSeenBy('2021-19-UBB', as(Role.UNIVERSITY, { universityId: universityId.get('UNTAN')! }))).toEqual(withheld);
    expect(await namesSeenBy('2021-19-UBB', as(Role.HUB_OPERATOR, { provinceCode: '19' }))).toEqual(withheld);
    expect(await namesSeenBy('2021-19-UBB', as(Role.INTEGRATION))).toEqual(withheld);
  });

  it('leave no trace in any response the public gets about sessions', async () => {
    const everything = await api.run(`{
      mentoringProgrammes(first: 100) { nodes { id sessions(first: 100) { nodes {
        id heldOn mode topic participantCount mentorNames regencies { code name } programme { id }
        provenance { dataset confidence note sources { label url } } } } } }
      universities { programmes { sessions { nodes { topic mentorNames provenance { note } } } } }
    }`);
    const text = JSON.stringify(dataOf(everything));
    expect(text).toContain('Klinik inovasi');
    for (const name of [...MENTORS, 'Mentor UBB']) expect(text).not.toContain(name);
  });
});

describe('Sessions nested in many programmes (N+1 guard)', () => {
  const NESTED = `sessions(first: 2) { totalCount nodes { heldOn topic regencies { code name } programme { year } } }`;

  it('costs the same statements for all 8 programmes as for the costliest single one', async () => {
    const all = await api.run(`{ mentoringProgrammes { nodes { id year ${NESTED} } } }`);
    const programmes = dataOf(all).mentoringProgrammes.nodes as { id: string }[];
    expect(programmes).toHaveLength(8);
    const singles: Result[] = [];
    for (const { id } of programmes) {
      const one = await api.run(`query($id: ID!) { node(id: $id) { ... on MentoringProgramme { id year ${NESTED} } } }`, { id });
      expect(dataOf(one).node).toEqual(programmes.find((p) => p.id === id));
      singles.push(one);
    }
    expect(all.statements).toBe(1);
    expect(Math.max(...singles.map((r) => r.statements))).toBe(1);
    expect(singles[programmes.findIndex((p) => p.id === programmeGid('2021-33-partner-not-public'))].statements).toBe(1);
  });
});
