// Query.innovations (filters, orderings, keyset paging), Query.innovation, and the innovation lists nested
// in provinces, regencies and institutions, on the seeded reference data plus three rows added here.
import { dataOf, openTestApi, type Result, type TestApi } from '../support/harness';
import { base64url, expectError, gid, reference } from '../support/api-assertions';

let api: TestApi;

interface Row {
  id: number;
  gid: string;
  title: string;
  launchYear: number | null;
}

/** Every innovation in the test database, by reference key (the three added rows by their own keys). */
const byKey = new Map<string, Row>();
const row = (key: string): Row => {
  const found = byKey.get(key);
  if (!found) throw new Error(`no innovation ${key}`);
  return found;
};
const titles = (...keys: string[]) => keys.map((k) => row(k).title);
const allRows = () => [...byKey.values()].sort((a, b) => a.id - b.id);

// Reference rows carry no launch years; these are given by SQL so year filters and ordering have data.
const LAUNCH_YEARS: Record<string, number> = {
  'anc-hipnoterapi': 2016,
  toss: 2017,
  'sidik-klhk': 2019,
  hypnogreen: 2020,
  'pas-urban': 2021,
};

beforeAll(async () => {
  api = await openTestApi();
  for (const [key, year] of Object.entries(LAUNCH_YEARS)) {
    await api.sql('update innovation set launch_year = ? where reference_key = ?', [year, key]);
  }
  const [kalbar] = await api.sql<{ id: number }>(
    `insert into institution (name, kind, province_code, dataset) values ('Pemerintah Provinsi Kalimantan Barat', 'PROVINCIAL_GOVERNMENT', '61', 'DEMO') returning id`,
  );
  const owner = async (name: string) => (await api.sql<{ id: number }>('select id from institution where name = ?', [name]))[0].id;
  // Searchable rows from registries: the summaries carry words the titles do not.
  await api.sql(
    `insert into innovation (reference_key, title, summary, owner_id, province_code, regency_code, launch_year, registry, external_id, dataset)
     values (?, 'Adminduk Keliling', 'Petugas datang ke desa untuk melayani perekaman KTP elektronik dan akta kelahiran.', ?, '35', '35.25', 2019, 'KIPP', 'KIPP-2022-0101', 'IMPORTED'),
            (?, 'Gerakan Sekolah Sehat', 'Pemeriksaan kesehatan berkala bagi murid sekolah dasar.', ?, '33', '33.26', 2021, 'IGA', 'IGA-2023-0777', 'IMPORTED'),
            (?, 'Kanal Pengaduan Warga', 'Warga mengadukan masalah layanan publik lewat aplikasi.', ?, '61', null, 2023, 'INOLAN', 'INOLAN-0042', 'DEMO')`,
    [
      'test-adminduk',
      await owner('Pemerintah Kabupaten Gresik'),
      'test-sekolah-sehat',
      await owner('Pemerintah Kabupaten Pekalongan'),
      'test-kanal-pengaduan',
      kalbar.id,
    ],
  );
  const rows = await api.sql<{ id: number; reference_key: string; title: string; launch_year: number | null }>(
    'select id, reference_key, title, launch_year from innovation order by id',
  );
  for (const r of rows) byKey.set(r.reference_key, { id: r.id, gid: gid('Innovation', r.id), title: r.title, launchYear: r.launch_year });
});

afterAll(async () => {
  await api?.close();
});

const LIST = `
  query Innovations($filter: InnovationFilter, $orderBy: InnovationOrder, $first: Int, $after: String, $last: Int, $before: String) {
    innovations(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id title } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { id: string; title: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function list(variables: Record<string, unknown>): Promise<Page> {
  return dataOf(await api.run(LIST, variables)).innovations as Page;
}

/** Titles of every match, in the API's order (all rows fit on one page of 100). */
async function matchTitles(filter: Record<string, unknown>, orderBy?: Record<string, unknown>): Promise<string[]> {
  const page = await list({ filter, orderBy, first: 100 });
  expect(page.totalCount).toBe(page.edges.length);
  return page.edges.map((e) => e.node.title);
}

/** The same, as a sorted set, for filters whose order does not matter to the test. */
async function matchSet(filter: Record<string, unknown>): Promise<string[]> {
  return (await matchTitles(filter)).sort();
}

const sorted = (values: string[]) => [...values].sort();

const referenceTitles = (pick: (i: (typeof reference.innovations)[number]) => boolean) =>
  reference.innovations.filter(pick).map((i) => i.title);

describe('Query.innovations', () => {
  describe('without a filter', () => {
    it('lists every innovation, the first 20 by creation order, with the total over all pages', async () => {
      const page = await list({});
      expect(page.totalCount).toBe(43);
      expect(page.edges.map((e) => e.node.id)).toEqual(allRows().slice(0, 20).map((r) => r.gid));
      expect(page.pageInfo).toEqual({
        hasNextPage: true,
        hasPreviousPage: false,
        startCursor: page.edges[0].cursor,
        endCursor: page.edges[19].cursor,
      });
    });

    it('counts from the innovation rollup, in the page\'s statement, when the filter only narrows by region, year or dataset', async () => {
      const result = await api.run('{ innovations(first: 5) { totalCount nodes { id title launchYear registry } } }');
      expect(dataOf(result).innovations.totalCount).toBe(43);
      expect(result.statements).toBe(1);
      // After a cursor the total is still every match; past the last one, the rollup is read on its own.
      const query = `query($after: String) { innovations(first: 40, after: $after) { totalCount nodes { id } pageInfo { endCursor } } }`;
      const first = dataOf(await api.run(query)).innovations;
      const rest = await api.run(query, { after: first.pageInfo.endCursor });
      expect(dataOf(rest).innovations.totalCount).toBe(43);
      expect(dataOf(rest).innovations.nodes).toHaveLength(3);
      expect(rest.statements).toBe(1);
      const past = await api.run(query, { after: dataOf(rest).innovations.pageInfo.endCursor });
      expect(past.body).toEqual({ data: { innovations: { totalCount: 43, nodes: [], pageInfo: { endCursor: null } } } });
      expect(past.statements).toBe(1);
      const [{ n }] = await api.sql<{ n: number }>(`select count(*)::int as n from innovation where province_code = '35' and launch_year >= 2015`);
      const filtered = await api.run('{ innovations(filter: { provinceCode: "35", yearFrom: 2015 }) { totalCount } }');
      expect(filtered.body).toEqual({ data: { innovations: { totalCount: n } } });
      expect(filtered.statements).toBe(1);
    });

    it.each([
      [{ dataset: 'REFERENCE' }, `dataset = 'REFERENCE'`],
      [{ regencyCode: '35.25' }, `regency_code = '35.25'`],
      [{ provinceCode: '51', yearTo: 2019 }, `province_code = '51' and launch_year <= 2019`],
      [{ yearFrom: 2016, yearTo: 2018, dataset: 'REFERENCE' }, `launch_year between 2016 and 2018 and dataset = 'REFERENCE'`],
      [{ hasAward: true, yearFrom: 2000 }, `launch_year >= 2000 and exists (select 1 from award a where a.innovation_id = innovation.id)`],
      [{ hasAward: false }, `not exists (select 1 from award a where a.innovation_id = innovation.id)`],
    ])('counts from the rollup exactly what the innovations hold, under %j', async (filter, where) => {
      const [{ n }] = await api.sql<{ n: number }>(`select count(*)::int as n from innovation where ${where}`);
      const result = await api.run('query($f: InnovationFilter) { innovations(filter: $f) { totalCount } }', { f: filter });
      expect(result.body).toEqual({ data: { innovations: { totalCount: n } } });
      expect(n).toBeGreaterThan(0);
    });

    it('costs one statement for the page and its count together when the count needs the matches', async () => {
      const [{ n }] = await api.sql<{ n: number }>('select count(*)::int as n from innovation i where not exists (select 1 from replication r where r.source_id = i.id)');
      const result = await api.run('{ innovations(first: 5, filter: { hasReplications: false }) { totalCount nodes { id } } }');
      expect(dataOf(result).innovations.totalCount).toBe(n);
      expect(dataOf(result).innovations.nodes).toHaveLength(5);
      expect(result.statements).toBe(1);
    });

    it('costs one statement for a count alone, and one for a page alone', async () => {
      const count = await api.run('{ innovations(filter: { hasReplications: false }) { totalCount } }');
      const page = await api.run('{ innovations(first: 5, filter: { hasReplications: false }) { nodes { id } } }');
      expect(dataOf(count).innovations.totalCount).toBeGreaterThan(5);
      expect(dataOf(page).innovations.nodes).toHaveLength(5);
      expect([count.statements, page.statements]).toEqual([1, 1]);
    });

    it('counts every match, not only those after the cursor, in the same statement as the page', async () => {
      const query = `query($first: Int, $after: String) { innovations(first: $first, after: $after, filter: { hasReplications: false }) {
        totalCount nodes { id } pageInfo { endCursor } } }`;
      const all = dataOf(await api.run(query, { first: 100 })).innovations;
      const total = all.totalCount as number;
      expect(total).toBeGreaterThan(5);
      const head = dataOf(await api.run(query, { first: total - 3 })).innovations;
      const rest = await api.run(query, { first: 5, after: head.pageInfo.endCursor });
      expect(dataOf(rest).innovations.totalCount).toBe(total);
      expect(dataOf(rest).innovations.nodes).toEqual(all.nodes.slice(total - 3));
      expect(rest.statements).toBe(1);
      const past = await api.run(query, { first: 5, after: dataOf(rest).innovations.pageInfo.endCursor });
      expect(past.body).toEqual({ data: { innovations: { totalCount: total, nodes: [], pageInfo: { endCursor: null } } } });
      expect(past.statements).toBe(1);
    });
  });

  describe('filter.search', () => {
    it('stems Indonesian words: "melayani" finds pelayanan and layanan in titles and summaries', async () => {
      expect(await matchSet({ search: 'melayani' })).toEqual(
        sorted([
          'Peningkatan Kualitas Pelayanan Publik',
          '119 Kolaborasi Nasional Layanan Emergensi Medik',
          'Peterpan (Pelayanan Terpadu Pemenuhan Hak Sipil Anak)',
          'Adminduk Keliling', // only its summary says "melayani"
          'Kanal Pengaduan Warga', // only its summary says "layanan"
        ]),
      );
    });

    it('finds a verb form of a noun in the title: "mengadukan" finds Pengaduan', async () => {
      expect(await matchSet({ search: 'mengadukan' })).toEqual(
        sorted(['Penanganan Pengaduan Berperspektif Korban', 'Kanal Pengaduan Warga']),
      );
    });

    it('needs every word of the query (web search syntax)', async () => {
      // The summary of Kanal Pengaduan Warga says "layanan publik": the same stems.
      expect(await matchSet({ search: 'pelayanan publik' })).toEqual(['Kanal Pengaduan Warga', 'Peningkatan Kualitas Pelayanan Publik']);
      expect(await matchSet({ search: 'kesehatan murid' })).toEqual(['Gerakan Sekolah Sehat']);
    });

    it('matches misspelt titles fuzzily', async () => {
      expect(await matchSet({ search: 'Hipnoterapy' })).toEqual(['ANC Hipnoterapi']);
      expect(await matchSet({ search: 'Rumah Belajr' })).toEqual(['Rumah Belajar']);
      expect(await matchSet({ search: 'pikobr' })).toEqual(['PIKOBAR']);
    });

    it('returns nothing, not an error, for words that match nothing', async () => {
      expect(await list({ filter: { search: 'kapal selam antariksa' } })).toEqual({
        totalCount: 0,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    });

    it.each([["O'Brien"], ['back\\slash'], ['apa?'], ['apa ?? itu'], ['"toss" OR -urban'], ['100%']])(
      'takes any text, including quotes, placeholders and operators: %s',
      async (search) => {
        for (const orderBy of [undefined, { field: 'RELEVANCE' }]) {
          const result = await api.run(LIST, { filter: { search }, orderBy, first: 5 });
          expect(result.body.errors).toBeUndefined();
        }
      },
    );

    it('ranks by relevance with a question mark in the search text', async () => {
      // A "?" inlined into the relevance sort key used to be read as a SQL placeholder: a 500.
      expect(await matchTitles({ search: 'toss?' }, { field: 'RELEVANCE' })).toEqual(['TOSS (Tempat Olah Sampah Setempat)']);
    });

    it.each([[''], ['   '], ['x'.repeat(201)]])('rejects a blank or over-long search (%#)', async (search) => {
      expectError(await api.run(LIST, { filter: { search } }), {
        path: ['innovations'],
        code: 'BAD_USER_INPUT',
        argument: 'filter.search',
      });
    });

    it('combines with other filters', async () => {
      expect(await matchSet({ search: 'melayani', provinceCode: '35' })).toEqual(
        sorted(['Peterpan (Pelayanan Terpadu Pemenuhan Hak Sipil Anak)', 'Adminduk Keliling']),
      );
    });
  });

  describe('filter by region', () => {
    it('provinceCode includes the innovations of its regencies and of the province itself', async () => {
      const expected = [...referenceTitles((i) => i.regionCode?.startsWith('35') ?? false), 'Adminduk Keliling'];
      expect(expected).toHaveLength(10);
      expect(await matchSet({ provinceCode: '35' })).toEqual(sorted(expected));
    });

    it('provinceCode finds a province-level innovation with no regency', async () => {
      expect(await matchSet({ provinceCode: '61' })).toEqual(['Kanal Pengaduan Warga']);
      expect(await matchSet({ provinceCode: '21' })).toEqual(['Proses Izin Dengan Jarimu']);
    });

    it('regencyCode keeps only that regency or city', async () => {
      expect(await matchSet({ regencyCode: '35.25' })).toEqual(sorted(['Kakeku Datang (Kartu Keluarga Ku Data Ulang)', 'Adminduk Keliling']));
      expect(await matchSet({ regencyCode: '51.08' })).toEqual(sorted(['PAS URBAN', 'LAYONSARI Kecapil']));
    });

    it('matches nothing for well-formed codes that have no innovations or do not exist', async () => {
      expect(await matchSet({ provinceCode: '11' })).toEqual([]);
      expect(await matchSet({ provinceCode: '99' })).toEqual([]);
      expect(await matchSet({ regencyCode: '35.99' })).toEqual([]);
      expect(await matchSet({ provinceCode: '35', regencyCode: '51.08' })).toEqual([]);
    });

    it.each([
      ['provinceCode', '3'],
      ['provinceCode', '35.25'],
      ['provinceCode', 'JT'],
      ['regencyCode', '35'],
      ['regencyCode', '3525'],
      ['regencyCode', "35.25' or 1=1"],
    ])('rejects a malformed %s %p', async (field, code) => {
      expectError(await api.run(LIST, { filter: { [field]: code } }), {
        path: ['innovations'],
        code: 'BAD_USER_INPUT',
        argument: `filter.${field}`,
      });
    });
  });

  describe('filter.registry and filter.dataset', () => {
    it('keeps the records of one source registry', async () => {
      expect(await matchSet({ registry: 'KIPP' })).toEqual(['Adminduk Keliling']);
      expect(await matchSet({ registry: 'IGA' })).toEqual(['Gerakan Sekolah Sehat']);
      expect(await matchSet({ registry: 'INOLAN' })).toEqual(['Kanal Pengaduan Warga']);
      expect(await matchSet({ registry: 'JIPPNAS' })).toEqual([]);
    });

    it('keeps curated facts apart from imported and synthetic records', async () => {
      expect(await matchSet({ dataset: 'REFERENCE' })).toEqual(sorted(reference.innovations.map((i) => i.title)));
      expect(await matchSet({ dataset: 'IMPORTED' })).toEqual(sorted(['Adminduk Keliling', 'Gerakan Sekolah Sehat']));
      expect(await matchSet({ dataset: 'DEMO' })).toEqual(['Kanal Pengaduan Warga']);
    });
  });

  describe('filter.yearFrom and filter.yearTo', () => {
    it('keeps innovations launched in or after yearFrom', async () => {
      expect(await matchSet({ yearFrom: 2019 })).toEqual(
        sorted([...titles('sidik-klhk', 'hypnogreen', 'pas-urban'), 'Adminduk Keliling', 'Gerakan Sekolah Sehat', 'Kanal Pengaduan Warga']),
      );
    });

    it('keeps innovations launched in or before yearTo', async () => {
      expect(await matchSet({ yearTo: 2019 })).toEqual(sorted([...titles('anc-hipnoterapi', 'toss', 'sidik-klhk'), 'Adminduk Keliling']));
    });

    it('includes both bounds of a range and leaves out unknown launch years', async () => {
      expect(await matchSet({ yearFrom: 2019, yearTo: 2021 })).toEqual(
        sorted([...titles('sidik-klhk', 'hypnogreen', 'pas-urban'), 'Adminduk Keliling', 'Gerakan Sekolah Sehat']),
      );
      expect(await matchSet({ yearFrom: 2017, yearTo: 2017 })).toEqual(titles('toss'));
    });

    it('rejects a range that ends before it starts', async () => {
      expectError(await api.run(LIST, { filter: { yearFrom: 2021, yearTo: 2019 } }), {
        path: ['innovations'],
        code: 'BAD_USER_INPUT',
        argument: 'filter.yearFrom',
      });
    });

    it.each([
      ['yearFrom', 1899],
      ['yearTo', 2101],
    ])('rejects %s %p outside 1900..2100', async (field, year) => {
      expectError(await api.run(LIST, { filter: { [field]: year } }), {
        path: ['innovations'],
        code: 'BAD_USER_INPUT',
        argument: `filter.${field}`,
      });
    });
  });

  describe('filter by awards and replications', () => {
    const awarded = referenceTitles((i) => (i.awards?.length ?? 0) > 0);
    const replicated = new Set(reference.replications.map((r) => r.source));

    it('hasAward: true keeps the awarded innovations', async () => {
      expect(awarded).toHaveLength(6);
      expect(await matchSet({ hasAward: true })).toEqual(sorted(awarded));
    });

    it('hasAward: false keeps the others', async () => {
      const expected = allRows()
        .map((r) => r.title)
        .filter((t) => !awarded.includes(t));
      expect(await matchSet({ hasAward: false })).toEqual(sorted(expected));
    });

    it('awardTier keeps innovations with an award of that tier', async () => {
      expect(await matchSet({ awardTier: 'UNPSA_WINNER' })).toEqual(
        sorted(['EDAT (Early Diagnosis and Treatment) malaria', 'PetaBencana.id', 'SIDIK']),
      );
      expect(await matchSet({ awardTier: 'TOP_99' })).toEqual(sorted(['Peningkatan Kualitas Pelayanan Publik', 'ANC Hipnoterapi']));
      expect(await matchSet({ awardTier: 'TOP_40' })).toEqual(['ANC Hipnoterapi']);
      expect(await matchSet({ awardTier: 'TOP_45' })).toEqual([]);
    });

    it('hasReplications: true keeps innovations replicated, scaled up or disseminated at least once', async () => {
      const expected = reference.innovations.filter((i) => replicated.has(i.key)).map((i) => i.title);
      expect(expected).toHaveLength(32); // 38 replications, six innovations replicated twice
      expect(await matchSet({ hasReplications: true })).toEqual(sorted(expected));
    });

    it('hasReplications: false keeps the never-replicated ones, local versions included', async () => {
      const expected = allRows()
        .filter((r) => ![...replicated].some((key) => row(key).id === r.id))
        .map((r) => r.title);
      expect(await matchSet({ hasReplications: false })).toEqual(sorted(expected));
      expect(expected).toEqual(expect.arrayContaining(['PAS URBAN', 'Hypnogreen', 'SIDIK']));
    });

    it('combines every given filter with AND', async () => {
      expect(await matchSet({ hasAward: true, hasReplications: true })).toEqual(['ANC Hipnoterapi']);
      expect(await matchSet({ provinceCode: '33', hasReplications: true })).toEqual(
        sorted(['SI BINA CANTIK BINGITS', 'Aplikasi Kudu Sekolah', 'Laboratorium Kemiskinan']),
      );
      expect(await matchSet({ provinceCode: '33', hasReplications: false, registry: 'IGA', yearFrom: 2021 })).toEqual([
        'Gerakan Sekolah Sehat',
      ]);
    });
  });

  describe('orderBy', () => {
    const byId = () => allRows().map((r) => r.gid);
    const byLaunchYear = () =>
      allRows()
        .sort((a, b) => (a.launchYear ?? 0) - (b.launchYear ?? 0) || a.id - b.id)
        .map((r) => r.gid);
    // Titles sort in the database's collation; the database is the judge of that order.
    const byTitle = async () =>
      (await api.sql<{ id: number }>('select id from innovation order by title, id')).map((r) => gid('Innovation', r.id));

    const orderings: [string, () => string[] | Promise<string[]>][] = [
      ['ID', byId],
      ['TITLE', byTitle],
      ['LAUNCH_YEAR', byLaunchYear],
    ];

    it('orders by ID (creation order) by default', async () => {
      const page = await list({ first: 100 });
      expect(page.edges.map((e) => e.node.id)).toEqual(byId());
    });

    it.each(orderings)('orders by %s ascending and descending', async (field, expected) => {
      const ascending = await expected();
      const asc = await list({ orderBy: { field, direction: 'ASC' }, first: 100 });
      const desc = await list({ orderBy: { field, direction: 'DESC' }, first: 100 });
      expect(asc.edges.map((e) => e.node.id)).toEqual(ascending);
      expect(desc.edges.map((e) => e.node.id)).toEqual([...ascending].reverse());
    });

    it('sorts unknown launch years first ascending and last descending', async () => {
      const asc = await list({ orderBy: { field: 'LAUNCH_YEAR' }, first: 100 });
      const known = asc.edges.slice(-8).map((e) => e.node.title);
      expect(known).toEqual([...titles('anc-hipnoterapi', 'toss', 'sidik-klhk'), 'Adminduk Keliling', ...titles('hypnogreen', 'pas-urban'), 'Gerakan Sekolah Sehat', 'Kanal Pengaduan Warga']);
      const desc = await list({ orderBy: { field: 'LAUNCH_YEAR', direction: 'DESC' }, first: 3 });
      expect(desc.edges.map((e) => e.node.title)).toEqual(['Kanal Pengaduan Warga', 'Gerakan Sekolah Sehat', 'PAS URBAN']);
    });

    it('sorts titles with digits before letters', async () => {
      const page = await list({ orderBy: { field: 'TITLE' }, first: 1 });
      expect(page.edges.map((e) => e.node.title)).toEqual(['119 Kolaborasi Nasional Layanan Emergensi Medik']);
    });

    it('orders by RELEVANCE best match first, and worst first with DESC', async () => {
      const best = await matchTitles({ search: 'pelayanan' }, { field: 'RELEVANCE' });
      expect(best[0]).toBe('Peningkatan Kualitas Pelayanan Publik');
      expect(sorted(best)).toEqual(
        sorted([
          'Peningkatan Kualitas Pelayanan Publik',
          '119 Kolaborasi Nasional Layanan Emergensi Medik',
          'Peterpan (Pelayanan Terpadu Pemenuhan Hak Sipil Anak)',
          'Adminduk Keliling',
          'Kanal Pengaduan Warga',
        ]),
      );
      expect(await matchTitles({ search: 'pelayanan' }, { field: 'RELEVANCE', direction: 'DESC' })).toEqual([...best].reverse());
    });

    it('puts the exact title first for a fuzzy search', async () => {
      const ranked = await matchTitles({ search: 'SIM Online' }, { field: 'RELEVANCE' });
      expect(ranked.slice(0, 2)).toEqual(['SIM Online', 'SKCK Online']);
    });

    it.each([[undefined], [{ provinceCode: '35' }]])('rejects RELEVANCE without filter.search (%#)', async (filter) => {
      expectError(await api.run(LIST, { filter, orderBy: { field: 'RELEVANCE' } }), {
        path: ['innovations'],
        code: 'BAD_USER_INPUT',
        argument: 'orderBy',
      });
    });

    it('rejects an unknown order field before running anything', async () => {
      const result = await api.run(LIST, { orderBy: { field: 'POPULARITY' } });
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.body.data).toBeUndefined();
      expect(result.statements).toBe(0);
    });
  });

  describe('paging', () => {
    /** Pages forward with first/after and checks each page's pageInfo; returns the node ids in order. */
    async function walkForward(variables: Record<string, unknown>, size: number): Promise<string[]> {
      const ids: string[] = [];
      let after: string | null = null;
      for (let n = 0; n < 100; n++) {
        const page = await list({ ...variables, first: size, after });
        const isLast = !page.pageInfo.hasNextPage;
        expect(page.edges.length).toBe(isLast ? page.totalCount - ids.length : size);
        expect(page.pageInfo).toEqual({
          hasNextPage: !isLast,
          hasPreviousPage: after !== null,
          startCursor: page.edges[0]?.cursor ?? null,
          endCursor: page.edges[page.edges.length - 1]?.cursor ?? null,
        });
        ids.push(...page.edges.map((e) => e.node.id));
        if (isLast) return ids;
        after = page.pageInfo.endCursor;
      }
      throw new Error('paging did not end');
    }

    /** Pages backward with last/before; returns the node ids in list order. */
    async function walkBackward(variables: Record<string, unknown>, size: number): Promise<string[]> {
      const ids: string[] = [];
      let before: string | null = null;
      for (let n = 0; n < 100; n++) {
        const page = await list({ ...variables, last: size, before });
        const isFirst = !page.pageInfo.hasPreviousPage;
        expect(page.edges.length).toBe(isFirst ? page.totalCount - ids.length : size);
        expect(page.pageInfo).toEqual({
          hasNextPage: before !== null,
          hasPreviousPage: !isFirst,
          startCursor: page.edges[0]?.cursor ?? null,
          endCursor: page.edges[page.edges.length - 1]?.cursor ?? null,
        });
        ids.unshift(...page.edges.map((e) => e.node.id));
        if (isFirst) return ids;
        before = page.pageInfo.startCursor;
      }
      throw new Error('paging did not end');
    }

    const cases: [string, Record<string, unknown>][] = [
      ['ID ASC', { orderBy: { field: 'ID', direction: 'ASC' } }],
      ['ID DESC', { orderBy: { field: 'ID', direction: 'DESC' } }],
      ['TITLE ASC', { orderBy: { field: 'TITLE', direction: 'ASC' } }],
      ['TITLE DESC', { orderBy: { field: 'TITLE', direction: 'DESC' } }],
      ['LAUNCH_YEAR ASC (ties on unknown years)', { orderBy: { field: 'LAUNCH_YEAR', direction: 'ASC' } }],
      ['LAUNCH_YEAR DESC', { orderBy: { field: 'LAUNCH_YEAR', direction: 'DESC' } }],
      ['RELEVANCE ASC', { filter: { search: 'pelayanan publik OR online OR inovasi OR pengaduan' }, orderBy: { field: 'RELEVANCE' } }],
      ['RELEVANCE DESC', { filter: { search: 'layanan OR sekolah OR online' }, orderBy: { field: 'RELEVANCE', direction: 'DESC' } }],
      ['a filtered list', { filter: { provinceCode: '35' }, orderBy: { field: 'TITLE' } }],
    ];

    it.each(cases)('walks every page forwards with first/after: %s', async (_name, variables) => {
      const all = await list({ ...variables, first: 100 });
      expect(all.totalCount).toBeGreaterThan(3);
      const expected = all.edges.map((e) => e.node.id);
      const walked = await walkForward(variables, 3);
      expect(walked).toEqual(expected);
      expect(new Set(walked).size).toBe(walked.length);
    });

    it.each(cases)('walks every page backwards with last/before: %s', async (_name, variables) => {
      const all = await list({ ...variables, first: 100 });
      const expected = all.edges.map((e) => e.node.id);
      const walked = await walkBackward(variables, 3);
      expect(walked).toEqual(expected);
      expect(new Set(walked).size).toBe(walked.length);
    });

    it('walks all 43 rows in pages of 7 and of 1 alike', async () => {
      const expected = allRows().map((r) => r.gid);
      expect(await walkForward({}, 7)).toEqual(expected);
      expect(await walkBackward({}, 7)).toEqual(expected);
      const byYear = { orderBy: { field: 'LAUNCH_YEAR' } };
      expect(await walkForward(byYear, 1)).toEqual((await list({ ...byYear, first: 100 })).edges.map((e) => e.node.id));
    });

    it('gives the same cursors to identical requests', async () => {
      const requests = [
        { first: 5 },
        { orderBy: { field: 'TITLE', direction: 'DESC' }, last: 4 },
        { filter: { search: 'online' }, orderBy: { field: 'RELEVANCE' }, first: 3 },
      ];
      for (const variables of requests) {
        const first = await api.run(LIST, variables);
        expect(dataOf(first).innovations.edges.length).toBeGreaterThan(0);
        expect((await api.run(LIST, variables)).body).toEqual(first.body);
      }
    });

    it('continues after a cursor exactly where the previous page ended', async () => {
      const firstPage = await list({ orderBy: { field: 'TITLE' }, first: 4 });
      const next = await list({ orderBy: { field: 'TITLE' }, first: 4, after: firstPage.edges[1].cursor });
      const both = await list({ orderBy: { field: 'TITLE' }, first: 6 });
      expect(next.edges.map((e) => e.node.id)).toEqual(both.edges.slice(2, 6).map((e) => e.node.id));
      expect(next.edges.slice(0, 2)).toEqual(firstPage.edges.slice(2, 4));
    });

    it('returns no edges but the total for first: 0, and says more edges follow', async () => {
      expect(await list({ first: 0 })).toEqual({
        totalCount: 43,
        edges: [],
        pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
      expect(await list({ filter: { provinceCode: '11' }, first: 0 })).toEqual({
        totalCount: 0,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    });

    it('returns no edges for last: 0 and says more edges precede', async () => {
      expect(await list({ last: 0 })).toEqual({
        totalCount: 43,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
      });
    });

    it('returns an empty last page after the last cursor', async () => {
      const last = await list({ last: 1 });
      expect(await list({ first: 5, after: last.edges[0].cursor })).toEqual({
        totalCount: 43,
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null },
      });
    });

    it.each([
      ['first above 100', { first: 101 }, 'first'],
      ['negative first', { first: -1 }, 'first'],
      ['last above 100', { last: 101 }, 'last'],
      ['negative last', { last: -5 }, 'last'],
      ['first with last', { first: 5, last: 5 }, 'first'],
      ['after with before', { after: 'WyJJRCIsMV0', before: 'WyJJRCIsMTBd' }, 'after'],
      ['last with after', { last: 5, after: 'WyJJRCIsMV0' }, 'after'],
      ['first with before', { first: 5, before: 'WyJJRCIsMTBd' }, 'before'],
    ])('rejects %s', async (_name, variables, argument) => {
      expectError(await api.run(LIST, variables), { path: ['innovations'], code: 'BAD_USER_INPUT', argument });
    });

    it('accepts first: 100', async () => {
      expect((await list({ first: 100 })).edges).toHaveLength(43);
    });

    it('rejects a cursor of one ordering used with another', async () => {
      const cursorOf = async (orderBy: Record<string, unknown> | undefined, filter?: Record<string, unknown>) =>
        (await list({ orderBy, filter, first: 2 })).edges[1].cursor;
      const id = await cursorOf(undefined);
      const title = await cursorOf({ field: 'TITLE' });
      const year = await cursorOf({ field: 'LAUNCH_YEAR' });
      const relevance = await cursorOf({ field: 'RELEVANCE' }, { search: 'online' });
      const misuse: [Record<string, unknown>, string][] = [
        [{ orderBy: { field: 'ID' }, first: 2, after: title }, 'after'],
        [{ orderBy: { field: 'TITLE' }, first: 2, after: id }, 'after'],
        [{ orderBy: { field: 'TITLE' }, first: 2, after: year }, 'after'],
        [{ orderBy: { field: 'LAUNCH_YEAR' }, last: 2, before: title }, 'before'],
        [{ orderBy: { field: 'LAUNCH_YEAR' }, first: 2, after: relevance }, 'after'],
        [{ filter: { search: 'online' }, orderBy: { field: 'RELEVANCE' }, first: 2, after: year }, 'after'],
      ];
      for (const [variables, argument] of misuse) {
        expectError(await api.run(LIST, variables), { path: ['innovations'], code: 'BAD_USER_INPUT', argument });
      }
    });

    it.each([
      ['not base64url', 'not a cursor!', 'ID'],
      ['padded base64', 'WyJJRCIsMV0=', 'ID'],
      ['not JSON', base64url('ID:1'), 'ID'],
      ['not a list', base64url('{"ID":1}'), 'ID'],
      ['a string where a number belongs', base64url('["ID","1"]'), 'ID'],
      ['too many values', base64url('["ID",1,2]'), 'ID'],
      ['an unknown ordering', base64url('["POPULARITY",1]'), 'ID'],
      ['a number where a title belongs', base64url('["TITLE",5,1]'), 'TITLE'],
      ['too long', 'A'.repeat(2000), 'ID'],
      ['empty', '', 'ID'],
    ])('rejects a malformed cursor: %s', async (_name, cursor, field) => {
      expectError(await api.run(LIST, { orderBy: { field }, first: 2, after: cursor }), {
        path: ['innovations'],
        code: 'BAD_USER_INPUT',
        argument: 'after',
      });
    });
  });
});

describe('Query.innovation', () => {
  const ONE = `
    query Innovation($id: ID!) {
      innovation(id: $id) {
        id title summary launchYear registry externalId stage isDigital category sustainability
        owner { id name kind province { code } regency { code } }
        province { code name }
        regency { code name kind }
        awards { competition year tier provenance { confidence } }
        replications { totalCount nodes { id adopter { scope regency { code } institution { name } } adoptedAs { title } } }
        adoptedFrom {
          id kind status year implementationYear committedOn adopterScope
          source { id title owner { name } regency { name } }
          adopter { scope province { code } regency { code name } institution { name kind } }
          facilitatingHub { name province { code } }
          adoptedAs { id title }
        }
        provenance { dataset confidence note sources { label url } }
      }
    }`;

  const institutionId = async (name: string) =>
    gid('Institution', (await api.sql<{ id: number }>('select id from institution where name = ?', [name]))[0].id);
  const replicationId = async (source: string, adoptedAs: string) =>
    gid('Replication', (await api.sql<{ id: number }>('select id from replication where source_id = ? and adopted_as_id = ?', [row(source).id, row(adoptedAs).id]))[0].id);

  it('shows a local version with where it was adopted from: PAS URBAN from TOSS', async () => {
    const brida = 'https://brida.bulelengkab.go.id/informasi/detail/berita/29-balitbang-hadiri-fgd-penetapan-ripp-buleleng';
    const result = await api.run(ONE, { id: row('pas-urban').gid });
    expect(result.body).toEqual({
      data: {
        innovation: {
          id: row('pas-urban').gid,
          title: 'PAS URBAN',
          summary: null,
          launchYear: 2021,
          registry: null,
          externalId: null,
          stage: null,
          isDigital: null,
          category: null,
          sustainability: null,
          owner: {
            id: await institutionId('Dinas Lingkungan Hidup Kabupaten Buleleng'),
            name: 'Dinas Lingkungan Hidup Kabupaten Buleleng',
            kind: 'REGIONAL_AGENCY',
            province: { code: '51' },
            regency: { code: '51.08' },
          },
          province: { code: '51', name: 'BALI' },
          regency: { code: '51.08', name: 'KABUPATEN BULELENG', kind: 'KABUPATEN' },
          awards: [],
          replications: { totalCount: 0, nodes: [] },
          adoptedFrom: {
            id: await replicationId('toss', 'pas-urban'),
            kind: 'REPLICATION',
            status: 'COMMITTED',
            year: 2021,
            implementationYear: 2022,
            committedOn: null,
            adopterScope: 'REGENCY',
            source: {
              id: row('toss').gid,
              title: 'TOSS (Tempat Olah Sampah Setempat)',
              owner: { name: 'Pemerintah Kabupaten Klungkung' },
              regency: { name: 'KABUPATEN KLUNGKUNG' },
            },
            adopter: {
              scope: 'REGENCY',
              province: { code: '51' },
              regency: { code: '51.08', name: 'KABUPATEN BULELENG' },
              institution: { name: 'Dinas Lingkungan Hidup Kabupaten Buleleng', kind: 'REGIONAL_AGENCY' },
            },
            facilitatingHub: { name: 'BALI', province: { code: '51' } },
            adoptedAs: { id: row('pas-urban').gid, title: 'PAS URBAN' },
          },
          provenance: { dataset: 'REFERENCE', confidence: 'REPORTED', note: "Buleleng's local version of TOSS", sources: [{ label: brida, url: brida }] },
        },
      },
    });
  });

  it('shows an original with its replications and no adoptedFrom: TOSS', async () => {
    const data = dataOf(await api.run(ONE, { id: row('toss').gid })).innovation;
    expect(data.adoptedFrom).toBeNull();
    expect(data.launchYear).toBe(2017);
    expect(data.replications).toEqual({
      totalCount: 1,
      nodes: [
        {
          id: await replicationId('toss', 'pas-urban'),
          adopter: { scope: 'REGENCY', regency: { code: '51.08' }, institution: { name: 'Dinas Lingkungan Hidup Kabupaten Buleleng' } },
          adoptedAs: { title: 'PAS URBAN' },
        },
      ],
    });
  });

  it('lists awards oldest first: ANC Hipnoterapi', async () => {
    const data = dataOf(await api.run(ONE, { id: row('anc-hipnoterapi').gid })).innovation;
    expect(data.awards).toEqual([
      { competition: 'KIPP', year: 2018, tier: 'TOP_99', provenance: { confidence: 'REPORTED' } },
      { competition: 'KIPP', year: 2018, tier: 'TOP_40', provenance: { confidence: 'REPORTED' } },
      { competition: 'UNPSA', year: 2019, tier: 'UNPSA_NOMINEE', provenance: { confidence: 'REPORTED' } },
    ]);
    expect(data.replications.nodes).toEqual([
      { id: await replicationId('anc-hipnoterapi', 'hypnogreen'), adopter: { scope: 'REGENCY', regency: { code: '73.22' }, institution: null }, adoptedAs: { title: 'Hypnogreen' } },
    ]);
  });

  it('shows an internal scaling-up as adoptedFrom: Hypnogreen from ANC Hipnoterapi', async () => {
    const data = dataOf(await api.run(ONE, { id: row('hypnogreen').gid })).innovation;
    expect(data.adoptedFrom).toMatchObject({
      kind: 'SCALING_UP',
      status: 'IMPLEMENTED',
      source: { title: 'ANC Hipnoterapi' },
      adopter: { scope: 'REGENCY', province: { code: '73' }, regency: { code: '73.22', name: 'KABUPATEN LUWU UTARA' }, institution: null },
      facilitatingHub: null,
    });
  });

  it('shows a national innovation with no region: PetaBencana.id', async () => {
    const data = dataOf(await api.run(ONE, { id: row('petabencana').gid })).innovation;
    expect(data).toMatchObject({
      title: 'PetaBencana.id',
      owner: { name: 'Badan Nasional Penanggulangan Bencana', kind: 'AGENCY', province: null, regency: null },
      province: null,
      regency: null,
      awards: [{ competition: 'UNPSA', year: 2019, tier: 'UNPSA_WINNER', provenance: { confidence: 'REPORTED' } }],
      replications: { totalCount: 0, nodes: [] },
      adoptedFrom: null,
    });
  });

  it('shows registry fields of an imported record', async () => {
    const data = dataOf(await api.run(ONE, { id: row('test-adminduk').gid })).innovation;
    expect(data).toMatchObject({
      title: 'Adminduk Keliling',
      summary: 'Petugas datang ke desa untuk melayani perekaman KTP elektronik dan akta kelahiran.',
      launchYear: 2019,
      registry: 'KIPP',
      externalId: 'KIPP-2022-0101',
      province: { code: '35', name: 'JAWA TIMUR' },
      regency: { code: '35.25', name: 'KABUPATEN GRESIK', kind: 'KABUPATEN' },
      provenance: { dataset: 'IMPORTED', confidence: 'REPORTED', note: null, sources: [] },
    });
  });

  it('returns null for an id that names no innovation', async () => {
    expect((await api.run(ONE, { id: gid('Innovation', 999999) })).body).toEqual({ data: { innovation: null } });
  });

  it.each([
    ['an id of another type', gid('Province', '35')],
    ['a malformed id', 'not-an-id!'],
    ['a bare number', '27'],
  ])('rejects %s', async (_name, id) => {
    expectError(await api.run(ONE, { id }), { path: ['innovation'], code: 'BAD_USER_INPUT', argument: 'id', data: { innovation: null } });
  });
});

describe('Innovation lists nested in many parents (N+1 guards)', () => {
  const NESTED = `innovations(first: 2) {
      totalCount
      nodes {
        title
        owner { name }
        awards { tier }
        replications(first: 2) { totalCount nodes { adopter { scope province { name } } } }
      }
    }`;

  it('Province.innovations: all 38 provinces cost no more statements than the costliest single province', async () => {
    const all = await api.run(`{ provinces { code ${NESTED} } }`);
    const provinces = dataOf(all).provinces as { code: string; innovations: unknown }[];
    expect(provinces).toHaveLength(38);

    const singles = new Map<string, Result>();
    for (const { code } of provinces) singles.set(code, await api.run(`query($code: String!) { province(code: $code) { code ${NESTED} } }`, { code }));
    // Each province's nested page is the same whether it is asked for alone or among all 38.
    for (const province of provinces) expect(dataOf(singles.get(province.code)!).province).toEqual(province);

    // 38 provinces with their pages, owners, counts, awards and replications: one statement, as for one.
    expect(all.statements).toBe(1);
    expect(Math.max(...[...singles.values()].map((r) => r.statements))).toBe(1);
  });

  it('Regency.innovations: 21 regencies cost what the costliest single regency costs', async () => {
    const codes = (await api.sql<{ code: string }>('select distinct regency_code as code from innovation where regency_code is not null order by 1')).map((r) => r.code);
    codes.push('11.01', '61.71'); // regencies without innovations
    expect(codes.length).toBeGreaterThan(20);
    const all = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { ... on Regency { code ${NESTED} } } }`, {
      ids: codes.map((c) => gid('Regency', c)),
    });
    const regencies = dataOf(all).nodes as { code: string }[];
    expect(regencies.map((r) => r.code)).toEqual(codes);

    const singles: Result[] = [];
    for (const regency of regencies) {
      const one = await api.run(`query($id: ID!) { node(id: $id) { ... on Regency { code ${NESTED} } } }`, { id: gid('Regency', regency.code) });
      expect(dataOf(one).node).toEqual(regency);
      singles.push(one);
    }
    // The 21 regencies with their pages, owners, counts, awards and replications: one statement, as for any one.
    expect(all.statements).toBe(1);
    expect(Math.max(...singles.map((r) => r.statements))).toBe(1);
    expect(singles[codes.indexOf('35.25')].statements).toBe(1);
    expect(singles[codes.indexOf('35.79')].statements).toBe(1);
  });

  it('Institution.innovations: all 50 institutions cost no more than the costliest single institution', async () => {
    const ids = (await api.sql<{ id: number }>('select id from institution order by id')).map((r) => gid('Institution', r.id));
    expect(ids.length).toBe(50);
    const all = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Institution { name ${NESTED} } } }`, { ids });
    const institutions = dataOf(all).nodes as { id: string; name: string; innovations: { totalCount: number } }[];
    expect(institutions.map((i) => i.id)).toEqual(ids);
    expect(institutions.find((i) => i.name === 'Pemerintah Kabupaten Luwu Utara')?.innovations.totalCount).toBe(2);
    expect(institutions.find((i) => i.name === 'Kementerian Agama')?.innovations.totalCount).toBe(0);

    const singles: Result[] = [];
    for (const institution of institutions) {
      const one = await api.run(`query($id: ID!) { node(id: $id) { id ... on Institution { name ${NESTED} } } }`, { id: institution.id });
      expect(dataOf(one).node).toEqual(institution);
      singles.push(one);
    }
    // The 50 institutions with everything nested: one statement, as for any one.
    expect(all.statements).toBe(1);
    expect(Math.max(...singles.map((r) => r.statements))).toBe(1);
    expect(singles[ids.indexOf(gid('Institution', (await api.sql<{ id: number }>("select id from institution where name = 'Pemerintah Kota Batu'"))[0].id))].statements).toBe(1);
    expect(singles[institutions.findIndex((i) => i.name === 'Kementerian Agama')].statements).toBe(1);
  });
});
