// Query.replications (filters, orderings, paging), the fields of a replication, and the replication lists
// nested in hubs and mentoring programmes, checked against the reference file the database was seeded from.
import { dataOf, openTestApi, type Result, type TestApi } from '../support/harness';
import { expectError, gid, reference, type ReferenceReplication } from '../support/api-assertions';

let api: TestApi;

const titleOf = new Map(reference.innovations.map((i) => [i.key, i.title]));
const regionOf = new Map(reference.innovations.map((i) => [i.key, i.regionCode]));

/** How a test names a replication: "source title → adopter code" (unique in the data). */
const adopterCode = (a: ReferenceReplication['adopter']) => a.regencyCode ?? a.provinceCode ?? 'NATIONAL';
const labelOf = (r: ReferenceReplication) => `${titleOf.get(r.source)} → ${adopterCode(r.adopter)}`;

// One synthetic row besides the reference facts, so the kind DISSEMINATION and the dataset filter have data.
const DEMO: ReferenceReplication = {
  source: 'toss',
  adopter: { regencyCode: '51.71' },
  kind: 'DISSEMINATION',
  year: 2023,
  status: 'PROPOSED',
  facilitatingHub: '51',
};
const ALL = [...reference.replications, DEMO];
const scopeOf = (r: ReferenceReplication) =>
  r.adopter.scope ?? (r.adopter.regencyCode ? 'REGENCY' : r.adopter.allRegencies ? 'PROVINCE_WIDE' : 'PROVINCE');
const labels = (pick: (r: ReferenceReplication) => boolean) => ALL.filter(pick).map(labelOf).sort();

/** Database ids of the replications in creation order, labelled. */
let idOrder: { id: number; label: string; year: number }[] = [];

beforeAll(async () => {
  api = await openTestApi();
  await api.sql(
    `insert into replication (source_id, adopter_scope, adopter_province_code, adopter_regency_code, kind, status, year, facilitating_hub_id, dataset, confidence)
     select i.id, 'REGENCY', '51', '51.71', 'DISSEMINATION', 'PROPOSED', 2023, h.id, 'DEMO', 'UNCONFIRMED'
     from innovation i, hub h where i.reference_key = 'toss' and h.province_code = '51'`,
  );
  const rows = await api.sql<{ id: number; year: number; title: string; code: string | null }>(
    `select r.id, r.year, i.title, coalesce(r.adopter_regency_code, r.adopter_province_code) as code
     from replication r join innovation i on i.id = r.source_id order by r.id`,
  );
  idOrder = rows.map((r) => ({ id: r.id, year: r.year, label: `${r.title} → ${r.code ?? 'NATIONAL'}` }));
});

afterAll(async () => {
  await api?.close();
});

const LIST = `
  query Replications($filter: ReplicationFilter, $orderBy: ReplicationOrder, $first: Int, $after: String, $last: Int, $before: String) {
    replications(filter: $filter, orderBy: $orderBy, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { id year source { title } adopter { scope province { code } regency { code } } } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

interface Node {
  id: string;
  year: number;
  source: { title: string };
  adopter: { scope: string; province: { code: string } | null; regency: { code: string } | null };
}
interface Page {
  totalCount: number;
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const nodeLabel = (n: Node) => `${n.source.title} → ${n.adopter.regency?.code ?? n.adopter.province?.code ?? 'NATIONAL'}`;

async function list(variables: Record<string, unknown>): Promise<Page> {
  return dataOf(await api.run(LIST, variables)).replications as Page;
}

async function matchLabels(filter: Record<string, unknown>): Promise<string[]> {
  const page = await list({ filter, first: 100 });
  expect(page.totalCount).toBe(page.edges.length);
  return page.edges.map((e) => nodeLabel(e.node)).sort();
}

const FULL = `
  query Full($filter: ReplicationFilter) {
    replications(filter: $filter, first: 100) {
      totalCount
      nodes {
        id kind status year implementationYear committedOn implementedOn adopterScope
        source { title }
        adopter { scope province { code name } regency { code name } institution { name kind regency { code } } }
        facilitatingHub { name province { code } }
        mentoringProgramme { year province { code } university { acronym } }
        adoptedAs { title }
        provenance { dataset confidence note sources { label url } }
      }
    }
  }`;

describe('Query.replications', () => {
  it('lists all replications by creation order, 20 to a page by default', async () => {
    const page = await list({});
    expect(page.totalCount).toBe(39);
    expect(page.edges.map((e) => e.node.id)).toEqual(idOrder.slice(0, 20).map((r) => gid('Replication', r.id)));
    expect(page.pageInfo.hasNextPage).toBe(true);
  });

  it('finds the 8 national scaling-ups of 2019, with every field', async () => {
    const liputan = 'Liputan6.com: KIPP 2021 launch (17 Mar 2021) and national replication of 8 innovations (3 Sep 2019)';
    const result = await api.run(FULL, { filter: { kind: 'SCALING_UP', adopterScope: 'NATIONAL', yearFrom: 2019, yearTo: 2019 } });
    const national = reference.replications.filter((r) => r.adopter.scope === 'NATIONAL');
    expect(national).toHaveLength(8);
    expect(result.body).toEqual({
      data: {
        replications: {
          totalCount: 8,
          nodes: national.map((r, i) => ({
            id: gid('Replication', idOrder[i].id),
            kind: 'SCALING_UP',
            status: 'PROPOSED',
            year: 2019,
            implementationYear: null,
            committedOn: null,
            implementedOn: null,
            adopterScope: 'NATIONAL',
            source: { title: titleOf.get(r.source) },
            adopter: { scope: 'NATIONAL', province: null, regency: null, institution: null },
            facilitatingHub: null,
            mentoringProgramme: null,
            adoptedAs: null,
            provenance: {
              dataset: 'REFERENCE',
              confidence: 'REPORTED',
              note: i === 0 ? 'one of 8 innovations set for national replication' : null,
              sources: [{ label: liputan, url: null }],
            },
          })),
        },
      },
    });
    expect(dataOf(result).replications.nodes.map((n: { source: { title: string } }) => n.source.title)).toEqual([
      'Rumah Belajar',
      '119 Kolaborasi Nasional Layanan Emergensi Medik',
      'Penanganan Pengaduan Berperspektif Korban',
      'Kakeku Datang (Kartu Keluarga Ku Data Ulang)',
      'Model Pelaksanaan Pilkades melalui e-voting',
      'SKCK Online',
      'SIM Online',
      'Aplikasi Polisiku',
    ]);
  });

  it('shows the 5 province-wide replications Sumatera Barat facilitated in 2021', async () => {
    const langgam = 'https://langgam.id/akselerasi-pelayanan-publik-di-sumbar-19-daerah-replikasi-5-inovasi';
    const result = await api.run(FULL, { filter: { facilitatingHubCode: '13' } });
    const nodes = dataOf(result).replications.nodes as Record<string, unknown>[];
    expect(nodes.map((n) => (n.source as { title: string }).title)).toEqual([
      'SIP Banget',
      'Poltabes',
      'Ayo Ceting (Ayo Cegah Stunting)',
      'PIKOBAR',
      'SI JABPRI (Sistem Informasi Jabatan Provinsi Riau)',
    ]);
    for (const node of nodes) {
      expect(node).toEqual({
        id: expect.any(String),
        kind: 'REPLICATION',
        status: 'COMMITTED',
        year: 2021,
        implementationYear: 2022,
        committedOn: '2021-11-15',
        implementedOn: null,
        adopterScope: 'PROVINCE_WIDE',
        source: { title: expect.any(String) },
        adopter: { scope: 'PROVINCE_WIDE', province: { code: '13', name: 'SUMATERA BARAT' }, regency: null, institution: null },
        facilitatingHub: { name: 'SUMATERA BARAT', province: { code: '13' } },
        mentoringProgramme: null,
        adoptedAs: null,
        provenance: { dataset: 'REFERENCE', confidence: 'REPORTED', note: null, sources: [{ label: langgam, url: langgam }] },
      });
    }
  });

  it('shows the adopters in Bangka Barat with their units and the UBB mentoring programme', async () => {
    const result = await api.run(FULL, { filter: { adopterRegencyCode: '19.05' } });
    const antara = 'https://babel.antaranews.com/berita/234189/pemkab-bangka-barat-replikasi-empat-inovasi-tingkatkan-pelayanan-publik';
    const expected = [
      ['Rajutan Sibakul Jogja', 'Dinas Koperasi, UKM dan Perindustrian Kabupaten Bangka Barat'],
      ['SIP Banget', 'Dinas Pariwisata dan Kebudayaan Kabupaten Bangka Barat'],
      ['Bersama Jogja Belajar Class (Melintasi Batas Ruang Kelas)', 'Dinas Pendidikan Kabupaten Bangka Barat'],
    ];
    expect(result.body).toEqual({
      data: {
        replications: {
          totalCount: 3,
          nodes: expected.map(([title, unit]) => ({
            id: expect.any(String),
            kind: 'REPLICATION',
            status: 'COMMITTED',
            year: 2021,
            implementationYear: 2022,
            committedOn: '2021-11-11',
            implementedOn: null,
            adopterScope: 'REGENCY',
            source: { title },
            adopter: {
              scope: 'REGENCY',
              province: { code: '19', name: 'KEPULAUAN BANGKA BELITUNG' },
              regency: { code: '19.05', name: 'KABUPATEN BANGKA BARAT' },
              institution: { name: unit, kind: 'REGIONAL_AGENCY', regency: { code: '19.05' } },
            },
            facilitatingHub: { name: 'KEPULAUAN BANGKA BELITUNG', province: { code: '19' } },
            mentoringProgramme: { year: 2021, province: { code: '19' }, university: { acronym: 'UBB' } },
            adoptedAs: null,
            provenance: { dataset: 'REFERENCE', confidence: 'REPORTED', note: null, sources: [{ label: antara, url: antara }] },
          })),
        },
      },
    });
  });

  it('shows a local version and a synthetic record with their provenance', async () => {
    const nodes = dataOf(await api.run(FULL, { filter: { sourceRegencyCode: '51.05' } })).replications.nodes;
    expect(nodes).toHaveLength(2);
    expect(nodes[0]).toMatchObject({
      adopter: { scope: 'REGENCY', regency: { code: '51.08' }, institution: { name: 'Dinas Lingkungan Hidup Kabupaten Buleleng' } },
      adoptedAs: { title: 'PAS URBAN' },
      facilitatingHub: { name: 'BALI' },
      provenance: { dataset: 'REFERENCE' },
    });
    expect(nodes[1]).toMatchObject({
      kind: 'DISSEMINATION',
      year: 2023,
      adopter: { scope: 'REGENCY', province: { code: '51' }, regency: { code: '51.71', name: 'KOTA DENPASAR' }, institution: null },
      adoptedAs: null,
      provenance: { dataset: 'DEMO', confidence: 'UNCONFIRMED', note: null, sources: [] },
    });
  });

  describe('filters', () => {
    it('kind takes one value or several', async () => {
      const scalingUp = labels((r) => r.kind === 'SCALING_UP');
      expect(scalingUp).toHaveLength(9);
      expect(await matchLabels({ kind: 'SCALING_UP' })).toEqual(scalingUp);
      expect(await matchLabels({ kind: ['SCALING_UP'] })).toEqual(scalingUp);
      expect(await matchLabels({ kind: ['REPLICATION', 'DISSEMINATION'] })).toEqual(labels((r) => r.kind !== 'SCALING_UP'));
      expect(await matchLabels({ kind: 'DISSEMINATION' })).toEqual(['TOSS (Tempat Olah Sampah Setempat) → 51.71']);
    });

    it('status takes one value or several', async () => {
      expect(await matchLabels({ status: 'COMMITTED' })).toEqual(labels((r) => r.status === 'COMMITTED'));
      expect(await matchLabels({ status: ['PROPOSED', 'IMPLEMENTED'] })).toEqual(labels((r) => r.status !== 'COMMITTED'));
      expect(await matchLabels({ status: 'IMPLEMENTED' })).toEqual(['ANC Hipnoterapi → 73.22']);
      expect(await matchLabels({ status: ['DISCONTINUED', 'INSTITUTIONALIZED'] })).toEqual([]);
    });

    it('adopterScope keeps one level of adopter or several', async () => {
      const counts: Record<string, number> = {};
      for (const scope of ['NATIONAL', 'PROVINCE', 'PROVINCE_WIDE', 'REGENCY']) {
        const found = await matchLabels({ adopterScope: scope });
        expect(found).toEqual(labels((r) => scopeOf(r) === scope));
        counts[scope] = found.length;
      }
      expect(counts).toEqual({ NATIONAL: 8, PROVINCE: 8, PROVINCE_WIDE: 16, REGENCY: 7 });
      expect(await matchLabels({ adopterScope: ['PROVINCE', 'PROVINCE_WIDE'] })).toEqual(
        labels((r) => ['PROVINCE', 'PROVINCE_WIDE'].includes(scopeOf(r))),
      );
    });

    it('adopterProvinceCode includes adopters in the regencies of the province', async () => {
      expect(await matchLabels({ adopterProvinceCode: '19' })).toEqual(labels((r) => r.adopter.regencyCode?.startsWith('19.') ?? false));
      expect(await matchLabels({ adopterProvinceCode: '73' })).toEqual(
        labels((r) => r.adopter.provinceCode === '73' || (r.adopter.regencyCode?.startsWith('73.') ?? false)),
      );
      expect(await matchLabels({ adopterProvinceCode: '73' })).toHaveLength(5);
      expect(await matchLabels({ adopterProvinceCode: '51' })).toEqual(
        ['AKUWARAS → 51.08', 'TOSS (Tempat Olah Sampah Setempat) → 51.08', 'TOSS (Tempat Olah Sampah Setempat) → 51.71'],
      );
    });

    it('adopterRegencyCode keeps adopters in that regency only', async () => {
      expect(await matchLabels({ adopterRegencyCode: '51.08' })).toEqual(['AKUWARAS → 51.08', 'TOSS (Tempat Olah Sampah Setempat) → 51.08']);
      expect(await matchLabels({ adopterRegencyCode: '73.22' })).toEqual(['ANC Hipnoterapi → 73.22']);
    });

    it('sourceProvinceCode keeps replications of innovations from the province, its regencies included', async () => {
      const fromJatim = labels((r) => regionOf.get(r.source)?.startsWith('35') ?? false);
      expect(fromJatim).toHaveLength(11);
      expect(await matchLabels({ sourceProvinceCode: '35' })).toEqual(fromJatim);
      expect(await matchLabels({ sourceProvinceCode: '34' })).toEqual(labels((r) => regionOf.get(r.source) === '34'));
    });

    it('sourceRegencyCode keeps replications of innovations from that regency', async () => {
      expect(await matchLabels({ sourceRegencyCode: '51.05' })).toEqual([
        'TOSS (Tempat Olah Sampah Setempat) → 51.08',
        'TOSS (Tempat Olah Sampah Setempat) → 51.71',
      ]);
      expect(await matchLabels({ sourceRegencyCode: '35.79' })).toEqual(['SIP Banget → 13', 'SIP Banget → 19.05']);
    });

    it('facilitatingHubCode keeps what the hub of that province facilitated', async () => {
      for (const code of ['13', '19', '33', '51', '61', '63', '73', '75']) {
        expect(await matchLabels({ facilitatingHubCode: code })).toEqual(labels((r) => r.facilitatingHub === code));
      }
      expect(await matchLabels({ facilitatingHubCode: '61' })).toHaveLength(7);
    });

    it('yearFrom and yearTo include both bounds', async () => {
      expect(await matchLabels({ yearFrom: 2020, yearTo: 2020 })).toEqual(labels((r) => r.year === 2020));
      expect(await matchLabels({ yearFrom: 2020, yearTo: 2020 })).toHaveLength(8);
      expect(await matchLabels({ yearTo: 2019 })).toEqual(labels((r) => r.year <= 2019));
      expect(await matchLabels({ yearFrom: 2021 })).toEqual(labels((r) => r.year >= 2021));
      expect(await matchLabels({ yearFrom: 2022 })).toEqual(['TOSS (Tempat Olah Sampah Setempat) → 51.71']);
    });

    it('dataset keeps curated facts apart from synthetic records', async () => {
      expect(await matchLabels({ dataset: 'REFERENCE' })).toEqual(reference.replications.map(labelOf).sort());
      expect(await matchLabels({ dataset: 'DEMO' })).toEqual(['TOSS (Tempat Olah Sampah Setempat) → 51.71']);
      expect(await matchLabels({ dataset: 'IMPORTED' })).toEqual([]);
    });

    it('combines every given filter with AND', async () => {
      expect(await matchLabels({ sourceProvinceCode: '35', adopterProvinceCode: '61' })).toEqual(['Klinik BUM Desa → 61']);
      expect(await matchLabels({ sourceProvinceCode: '34', adopterScope: ['REGENCY'], facilitatingHubCode: '19', kind: 'REPLICATION', status: 'COMMITTED', yearFrom: 2021, yearTo: 2021, dataset: 'REFERENCE' })).toEqual([
        'Bersama Jogja Belajar Class (Melintasi Batas Ruang Kelas) → 19.05',
        'Rajutan Sibakul Jogja → 19.05',
      ]);
      expect(await matchLabels({ kind: 'SCALING_UP', facilitatingHubCode: '13' })).toEqual([]);
    });

    it('matches nothing for well-formed codes without replications', async () => {
      expect(await matchLabels({ sourceProvinceCode: '11' })).toEqual([]);
      expect(await matchLabels({ adopterProvinceCode: '99' })).toEqual([]);
      expect(await matchLabels({ adopterRegencyCode: '19.99' })).toEqual([]);
      expect(await matchLabels({ sourceRegencyCode: '11.01' })).toEqual([]);
      expect(await matchLabels({ facilitatingHubCode: '11' })).toEqual([]); // Aceh has no hub
      expect(await matchLabels({ facilitatingHubCode: '35' })).toEqual([]); // Jawa Timur's hub facilitated none
    });

    it.each([
      ['sourceProvinceCode', '3'],
      ['sourceRegencyCode', '35'],
      ['adopterProvinceCode', '019'],
      ['adopterRegencyCode', '19.5'],
      ['facilitatingHubCode', 'SUMBAR'],
    ])('rejects a malformed %s %p', async (field, code) => {
      expectError(await api.run(LIST, { filter: { [field]: code } }), {
        path: ['replications'],
        code: 'BAD_USER_INPUT',
        argument: `filter.${field}`,
      });
    });

    it('rejects a year range that ends before it starts', async () => {
      expectError(await api.run(LIST, { filter: { yearFrom: 2022, yearTo: 2021 } }), {
        path: ['replications'],
        code: 'BAD_USER_INPUT',
        argument: 'filter.yearFrom',
      });
    });

    it('rejects an unknown kind before running anything', async () => {
      const result = await api.run(LIST, { filter: { kind: 'ADOPTION' } });
      expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
      expect(result.statements).toBe(0);
    });
  });

  describe('orderBy and paging', () => {
    const byYear = () => [...idOrder].sort((a, b) => a.year - b.year || a.id - b.id).map((r) => gid('Replication', r.id));
    const byId = () => idOrder.map((r) => gid('Replication', r.id));

    it.each([
      ['ID', byId],
      ['YEAR', byYear],
    ])('orders by %s ascending and descending', async (field, expected) => {
      const asc = await list({ orderBy: { field }, first: 100 });
      const desc = await list({ orderBy: { field, direction: 'DESC' }, first: 100 });
      expect(asc.edges.map((e) => e.node.id)).toEqual(expected());
      expect(desc.edges.map((e) => e.node.id)).toEqual(expected().reverse());
    });

    it('puts the newest year first with YEAR DESC', async () => {
      const page = await list({ orderBy: { field: 'YEAR', direction: 'DESC' }, first: 2 });
      expect(page.edges.map((e) => [e.node.year, nodeLabel(e.node)])).toEqual([
        [2023, 'TOSS (Tempat Olah Sampah Setempat) → 51.71'],
        [2021, 'ANC Hipnoterapi → 73.22'],
      ]);
    });

    async function walk(variables: Record<string, unknown>, size: number, backward: boolean): Promise<string[]> {
      const ids: string[] = [];
      let cursor: string | null = null;
      for (let n = 0; n < 100; n++) {
        const page: Page = await list(backward ? { ...variables, last: size, before: cursor } : { ...variables, first: size, after: cursor });
        const more = backward ? page.pageInfo.hasPreviousPage : page.pageInfo.hasNextPage;
        expect(page.edges.length).toBe(more ? size : page.totalCount - ids.length);
        expect(page.pageInfo).toEqual({
          hasNextPage: backward ? cursor !== null : more,
          hasPreviousPage: backward ? more : cursor !== null,
          startCursor: page.edges[0]?.cursor ?? null,
          endCursor: page.edges[page.edges.length - 1]?.cursor ?? null,
        });
        const pageIds = page.edges.map((e) => e.node.id);
        if (backward) ids.unshift(...pageIds);
        else ids.push(...pageIds);
        if (!more) return ids;
        cursor = backward ? page.pageInfo.startCursor : page.pageInfo.endCursor;
      }
      throw new Error('paging did not end');
    }

    const cases: [string, Record<string, unknown>][] = [
      ['ID ASC', {}],
      ['ID DESC', { orderBy: { field: 'ID', direction: 'DESC' } }],
      ['YEAR ASC', { orderBy: { field: 'YEAR' } }],
      ['YEAR DESC', { orderBy: { field: 'YEAR', direction: 'DESC' } }],
      ['YEAR ASC, filtered', { orderBy: { field: 'YEAR' }, filter: { kind: ['REPLICATION', 'DISSEMINATION'], adopterScope: ['PROVINCE', 'PROVINCE_WIDE', 'REGENCY'] } }],
    ];

    it.each(cases)('walks every page forwards with first/after: %s', async (_name, variables) => {
      const expected = (await list({ ...variables, first: 100 })).edges.map((e) => e.node.id);
      const walked = await walk(variables, 4, false);
      expect(walked).toEqual(expected);
      expect(new Set(walked).size).toBe(walked.length);
    });

    it.each(cases)('walks every page backwards with last/before: %s', async (_name, variables) => {
      const expected = (await list({ ...variables, first: 100 })).edges.map((e) => e.node.id);
      const walked = await walk(variables, 4, true);
      expect(walked).toEqual(expected);
      expect(new Set(walked).size).toBe(walked.length);
    });

    it('gives the same cursors to identical requests', async () => {
      const variables = { orderBy: { field: 'YEAR', direction: 'DESC' }, first: 6, filter: { status: 'COMMITTED' } };
      const first = await api.run(LIST, variables);
      expect((await api.run(LIST, variables)).body).toEqual(first.body);
      expect(dataOf(first).replications.edges).toHaveLength(6);
    });

    it('rejects a cursor of one ordering used with the other', async () => {
      const year = (await list({ orderBy: { field: 'YEAR' }, first: 1 })).pageInfo.endCursor;
      const id = (await list({ first: 1 })).pageInfo.endCursor;
      expectError(await api.run(LIST, { first: 2, after: year }), { path: ['replications'], code: 'BAD_USER_INPUT', argument: 'after' });
      expectError(await api.run(LIST, { orderBy: { field: 'YEAR' }, last: 2, before: id }), {
        path: ['replications'],
        code: 'BAD_USER_INPUT',
        argument: 'before',
      });
    });

    it.each([
      [{ first: 101 }, 'first'],
      [{ last: -1 }, 'last'],
      [{ first: 1, last: 1 }, 'first'],
      [{ first: 1, after: 'garbage!' }, 'after'],
    ])('rejects bad page arguments %p', async (variables, argument) => {
      expectError(await api.run(LIST, variables), { path: ['replications'], code: 'BAD_USER_INPUT', argument });
    });

    it('returns the total and no edges for first: 0', async () => {
      expect(await list({ first: 0, filter: { facilitatingHubCode: '13' } })).toEqual({
        totalCount: 5,
        edges: [],
        pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    });
  });
});

describe('Replication lists nested in many parents (N+1 guards)', () => {
  const NESTED = `replications(first: 2, orderBy: { field: YEAR, direction: DESC }) {
      totalCount
      nodes {
        year kind
        source { title owner { name } }
        adopter { scope province { name } regency { name } institution { name } }
        facilitatingHub { name }
        mentoringProgramme { year university { acronym } }
        adoptedAs { title }
      }
    }`;

  async function singles(ids: string[], fragment: string): Promise<Result[]> {
    const results: Result[] = [];
    for (const id of ids) results.push(await api.run(`query($id: ID!) { node(id: $id) { id ${fragment} } }`, { id }));
    return results;
  }

  // The parents are selected without fields that load other records (a hub's name, a programme's province):
  // such a lookup, still running when the nested page arrives, would race the adopter lookups of the same
  // table and make the count vary from run to run.
  it('Hub.replications: all 38 hubs cost what the costliest single hub costs', async () => {
    const names = new Map((dataOf(await api.run('{ hubs { id name } }')).hubs as { id: string; name: string }[]).map((h) => [h.id, h.name]));
    const all = await api.run(`{ hubs { id cohortYear ${NESTED} } }`);
    const hubs = dataOf(all).hubs as { id: string; replications: { totalCount: number } }[];
    expect(hubs).toHaveLength(38);
    expect(Object.fromEntries(hubs.filter((h) => h.replications.totalCount > 0).map((h) => [names.get(h.id), h.replications.totalCount]))).toEqual({
      'SUMATERA BARAT': 5,
      'KEPULAUAN BANGKA BELITUNG': 3,
      'JAWA TENGAH': 3,
      'KALIMANTAN SELATAN': 1,
      'SULAWESI SELATAN': 4,
      GORONTALO: 4,
      BALI: 3,
      'KALIMANTAN BARAT': 7,
    });
    const one = await singles(hubs.map((h) => h.id), `... on Hub { cohortYear ${NESTED} }`);
    hubs.forEach((hub, i) => expect(dataOf(one[i]).node).toEqual(hub));
    const statementsOf = (name: string) => one[hubs.findIndex((h) => names.get(h.id) === name)].statements;
    // Whatever the number of hubs, with every record their pages refer to: one statement.
    expect(all.statements).toBe(1);
    expect(Math.max(...one.map((r) => r.statements))).toBe(1);
    expect(statementsOf('KEPULAUAN BANGKA BELITUNG')).toBe(1);
    expect(statementsOf('Kementerian Agama')).toBe(1);
  });

  it('MentoringProgramme.replications: all programmes cost what the costliest single programme costs', async () => {
    const provinces = new Map(
      (dataOf(await api.run('{ mentoringProgrammes { nodes { id province { code } } } }')).mentoringProgrammes.nodes as { id: string; province: { code: string } }[]).map(
        (p) => [p.id, p.province.code],
      ),
    );
    const all = await api.run(`{ mentoringProgrammes { nodes { id year ${NESTED} } } }`);
    const programmes = dataOf(all).mentoringProgrammes.nodes as { id: string; replications: { totalCount: number } }[];
    expect(programmes).toHaveLength(6);
    expect(Object.fromEntries(programmes.map((p) => [provinces.get(p.id), p.replications.totalCount]))).toEqual({
      '51': 0,
      '73': 0,
      '13': 0,
      '33': 0,
      '19': 3,
      '61': 7,
    });
    const one = await singles(programmes.map((p) => p.id), `... on MentoringProgramme { year ${NESTED} }`);
    programmes.forEach((programme, i) => expect(dataOf(one[i]).node).toEqual(programme));
    const statementsOf = (code: string) => one[programmes.findIndex((p) => provinces.get(p.id) === code)].statements;
    // One statement, as for the hubs, and as for UBB's programme alone.
    expect(all.statements).toBe(1);
    expect(Math.max(...one.map((r) => r.statements))).toBe(1);
    expect(statementsOf('19')).toBe(1);
    expect(statementsOf('51')).toBe(1);
  });
});
