// Provinces and regencies: the official Kemendagri list, hub flags, lookups by code, and the regency
// connection paged both ways.
import { dataOf, openTestApi, type TestApi } from '../support/harness';

let api: TestApi;

beforeAll(async () => {
  api = await openTestApi();
});

afterAll(async () => {
  await api.close();
});

const PILOT_CODES = ['13', '16', '19', '33', '35', '63', '73', '75'];
const HUB_CODES_BY_COHORT: Record<number, string[]> = {
  2020: PILOT_CODES,
  2021: ['14', '51', '61', '81'],
  2022: ['12', '36', '53'],
  2023: ['15', '18', '32', '34', '52', '64', '82'],
  2024: ['17', '21', '71', '76'],
};
const HUB_CODES = Object.values(HUB_CODES_BY_COHORT).flat().sort();
const NON_HUB_CODES = ['11', '31', '62', '65', '72', '74', '91', '92', '93', '94', '95', '96'];

const ACCEPTANCE = `{ provinces { code name regencyCount isHub hub { cohortYear stage isPilot instrument { citation } } } }`;

const PILOT_HUB = { cohortYear: 2020, stage: 'DESIGNATED', isPilot: true, instrument: { citation: 'KepMenPANRB No. 94/2020' } };

/** A BAD_USER_INPUT error of a top-level field, as the API reports it. */
function badInput(field: string, argument: string) {
  return {
    message: expect.any(String),
    locations: expect.any(Array),
    path: [field],
    extensions: { code: 'BAD_USER_INPUT', argument },
  };
}

const PAGE = `
  query Page($filter: RegencyFilter, $first: Int, $after: String, $last: Int, $before: String) {
    regencies(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
      totalCount
      edges { cursor node { code } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`;

interface Page {
  totalCount: number;
  edges: { cursor: string; node: { code: string } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

async function page(variables: Record<string, unknown>): Promise<{ page: Page; statements: number }> {
  const result = await api.run(PAGE, variables);
  return { page: dataOf(result).regencies as Page, statements: result.statements };
}

async function regencyCodesInDatabase(provinceCode: string): Promise<string[]> {
  const rows = await api.sql<{ code: string }>('select code from regency where province_code = ? order by code', [provinceCode]);
  return rows.map((r) => r.code);
}

describe('the acceptance query (provinces with their hubs)', () => {
  it('returns 38 provinces with 514 regencies in all', async () => {
    const { provinces } = dataOf(await api.run(ACCEPTANCE));
    expect(provinces).toHaveLength(38);
    expect(provinces.reduce((sum: number, p: { regencyCount: number }) => sum + p.regencyCount, 0)).toBe(514);
  });

  it('lists exactly the 2020 cohort as the 8 pilot hubs under KepMenPANRB No. 94/2020', async () => {
    const { provinces } = dataOf(await api.run(ACCEPTANCE));
    const pilots = provinces.filter((p: { hub: { isPilot: boolean } | null }) => p.hub?.isPilot);
    const cohort2020 = provinces.filter((p: { hub: { cohortYear: number } | null }) => p.hub?.cohortYear === 2020);
    expect(pilots.map((p: { code: string }) => p.code)).toEqual(PILOT_CODES);
    expect(cohort2020).toEqual(pilots);
    for (const pilot of pilots) expect(pilot).toMatchObject({ isHub: true, hub: PILOT_HUB });
  });

  it('answers whole rows for a pilot hub, a committed hub and a province without a hub', async () => {
    const result = await api.run(ACCEPTANCE);
    expect(result.body.errors).toBeUndefined();
    const byCode = new Map(dataOf(result).provinces.map((p: { code: string }) => [p.code, p]));
    expect(byCode.get('35')).toEqual({ code: '35', name: 'JAWA TIMUR', regencyCount: 38, isHub: true, hub: PILOT_HUB });
    expect(byCode.get('12')).toEqual({
      code: '12',
      name: 'SUMATERA UTARA',
      regencyCount: 33,
      isHub: true,
      hub: { cohortYear: 2022, stage: 'COMMITTED', isPilot: false, instrument: null },
    });
    expect(byCode.get('11')).toEqual({ code: '11', name: 'ACEH', regencyCount: 23, isHub: false, hub: null });
  });

  it('joins each hub into the list exactly as the hub looked up by its province reads', async () => {
    const HUB = `hub { id name level activeFrom cohortYear stage isPilot committedOn designatedOn endedOn version
      province { code } instrument { citation } provenance { dataset confidence sources { label url } note } }`;
    const listed = dataOf(await api.run(`{ provinces { code isHub ${HUB} } }`)).provinces as { code: string; hub: unknown }[];
    expect(listed.filter((p) => p.hub !== null)).toHaveLength(26);
    for (const province of listed) {
      const alone = await api.run(`{ province(code: "${province.code}") { code isHub ${HUB} } }`);
      expect(alone.body).toEqual({ data: { province } });
    }
  });

  it('orders provinces by code and flags exactly the 26 hub provinces', async () => {
    const { provinces } = dataOf(await api.run(ACCEPTANCE));
    const codes = provinces.map((p: { code: string }) => p.code);
    expect(codes).toEqual([...codes].sort());
    expect(new Set(codes).size).toBe(38);
    expect(provinces.filter((p: { isHub: boolean }) => p.isHub).map((p: { code: string }) => p.code)).toEqual(HUB_CODES);
    for (const p of provinces) expect(p.isHub).toBe(p.hub !== null);
  });

  it('runs a fixed number of SQL statements however many provinces it returns', async () => {
    const all = await api.run(ACCEPTANCE);
    const pilots = await api.run(ACCEPTANCE.replace('provinces {', 'provinces(filter: {hubCohortYear: 2020}) {'));
    const one = await api.run(`{ province(code: "35") { code name regencyCount isHub hub { cohortYear stage isPilot instrument { citation } } } }`);
    expect(dataOf(all).provinces).toHaveLength(38);
    expect(dataOf(pilots).provinces).toHaveLength(8);
    expect(all.statements).toBe(1);
    expect(pilots.statements).toBe(1);
    expect(one.statements).toBe(1);
  });
});

describe('Query.provinces', () => {
  const codesOf = async (filter: string) => {
    const result = await api.run(`{ provinces(filter: ${filter}) { code } }`);
    return dataOf(result).provinces.map((p: { code: string }) => p.code);
  };

  it('filters to hub provinces', async () => {
    expect(await codesOf('{isHub: true}')).toEqual(HUB_CODES);
  });

  it('filters to provinces without a hub', async () => {
    const result = await api.run(`{ provinces(filter: {isHub: false}) { code isHub hub { cohortYear } } }`);
    expect(result.body).toEqual({ data: { provinces: NON_HUB_CODES.map((code) => ({ code, isHub: false, hub: null })) } });
  });

  it('filters by the cohort year of the hub', async () => {
    for (const [year, codes] of Object.entries(HUB_CODES_BY_COHORT)) {
      expect(await codesOf(`{hubCohortYear: ${year}}`)).toEqual([...codes].sort());
    }
    expect(await codesOf('{hubCohortYear: 2019}')).toEqual([]);
  });

  it('lists only province hubs for a cohort that also has ministry hubs', async () => {
    expect(await codesOf('{hubCohortYear: 2023}')).toEqual(HUB_CODES_BY_COHORT[2023]);
  });

  it('combines isHub and hubCohortYear as both conditions', async () => {
    expect(await codesOf('{isHub: true, hubCohortYear: 2022}')).toEqual(['12', '36', '53']);
    expect(await codesOf('{isHub: false, hubCohortYear: 2022}')).toEqual([]);
  });

  it('agrees with Province.isHub about a hub that has ended', async () => {
    await api.sql(`update hub set ended_on = '2024-12-31' where province_code = '35'`);
    try {
      const hubs = await api.run(`{ provinces(filter: {isHub: true}) { code isHub } }`);
      const others = await api.run(`{ provinces(filter: {isHub: false}) { code isHub } }`);
      const cohort = await api.run(`{ provinces(filter: {hubCohortYear: 2020}) { code isHub } }`);
      expect(dataOf(hubs).provinces.map((p: { code: string }) => p.code)).not.toContain('35');
      expect(dataOf(hubs).provinces.every((p: { isHub: boolean }) => p.isHub)).toBe(true);
      expect(dataOf(others).provinces).toContainEqual({ code: '35', isHub: false });
      expect(dataOf(others).provinces.every((p: { isHub: boolean }) => !p.isHub)).toBe(true);
      // The hub still joined in 2020.
      expect(dataOf(cohort).provinces).toContainEqual({ code: '35', isHub: false });
    } finally {
      await api.sql(`update hub set ended_on = null where province_code = '35'`);
    }
  });

  it('answers with all provinces when the filter is empty', async () => {
    expect(await codesOf('{}')).toHaveLength(38);
  });
});

describe('Query.province', () => {
  it('finds a province by its code, with its provenance', async () => {
    const result = await api.run(`{ province(code: "35") { code name regencyCount isHub provenance { dataset confidence sources { label url } note } } }`);
    expect(result.body).toEqual({
      data: {
        province: {
          code: '35',
          name: 'JAWA TIMUR',
          regencyCount: 38,
          isHub: true,
          provenance: {
            dataset: 'REFERENCE',
            confidence: 'CONFIRMED',
            sources: [{ label: expect.stringMatching(/^idn-area-data \d+\.\d+\.\d+ /), url: null }],
            note: null,
          },
        },
      },
    });
  });

  it('answers null for a well-formed code that is not a province', async () => {
    const result = await api.run(`{ province(code: "99") { code } }`);
    expect(result.body).toEqual({ data: { province: null } });
  });

  it.each(['3', '355', 'ab', '', '35.25', ' 35'])('rejects the malformed code %j as BAD_USER_INPUT without touching the database', async (code) => {
    const result = await api.run(`query($code: String!) { province(code: $code) { code } }`, { code });
    expect(result.body).toEqual({ data: { province: null }, errors: [badInput('province', 'code')] });
    expect(result.statements).toBe(0);
  });

  it('lists the regencies of a province by code, narrowed by kind', async () => {
    const result = await api.run(`{
      province(code: "19") {
        all: regencies { code kind }
        kota: regencies(kind: KOTA) { code name kind }
        kabupaten: regencies(kind: KABUPATEN) { code }
        regencyCount
      }
    }`);
    expect(result.body).toEqual({
      data: {
        province: {
          all: [
            { code: '19.01', kind: 'KABUPATEN' },
            { code: '19.02', kind: 'KABUPATEN' },
            { code: '19.03', kind: 'KABUPATEN' },
            { code: '19.04', kind: 'KABUPATEN' },
            { code: '19.05', kind: 'KABUPATEN' },
            { code: '19.06', kind: 'KABUPATEN' },
            { code: '19.71', kind: 'KOTA' },
          ],
          kota: [{ code: '19.71', name: 'KOTA PANGKAL PINANG', kind: 'KOTA' }],
          kabupaten: ['19.01', '19.02', '19.03', '19.04', '19.05', '19.06'].map((code) => ({ code })),
          regencyCount: 7,
        },
      },
    });
  });

  it('loads the regencies of all provinces in one statement', async () => {
    const result = await api.run(`{ provinces { code regencies(kind: KOTA) { code } } }`);
    const kota = dataOf(result).provinces.flatMap((p: { regencies: { code: string }[] }) => p.regencies);
    expect(kota).toHaveLength(98);
    expect(kota.every((r: { code: string }) => Number(r.code.slice(3)) >= 71)).toBe(true);
    expect(result.statements).toBe(1);
  });
});

describe('Query.regency', () => {
  it('finds a regency by its code, with its kind and province', async () => {
    const result = await api.run(`{ regency(code: "35.25") { code name kind province { code name } provenance { dataset confidence } } }`);
    expect(result.body).toEqual({
      data: {
        regency: {
          code: '35.25',
          name: 'KABUPATEN GRESIK',
          kind: 'KABUPATEN',
          province: { code: '35', name: 'JAWA TIMUR' },
          provenance: { dataset: 'REFERENCE', confidence: 'CONFIRMED' },
        },
      },
    });
  });

  it('tells a city (kota) from a regency (kabupaten)', async () => {
    const result = await api.run(`{ regency(code: "35.78") { code name kind } }`);
    expect(result.body).toEqual({ data: { regency: { code: '35.78', name: 'KOTA SURABAYA', kind: 'KOTA' } } });
  });

  it('answers null for a well-formed code that is not a regency', async () => {
    const result = await api.run(`{ regency(code: "35.99") { code } }`);
    expect(result.body).toEqual({ data: { regency: null } });
  });

  it.each(['3525', '35.2', '35-25', '35', 'xx.yy', ''])('rejects the malformed code %j as BAD_USER_INPUT', async (code) => {
    const result = await api.run(`query($code: String!) { regency(code: $code) { code } }`, { code });
    expect(result.body).toEqual({ data: { regency: null }, errors: [badInput('regency', 'code')] });
    expect(result.statements).toBe(0);
  });
});

describe('Query.regencies', () => {
  it('returns the first 20 of all 514 regencies by default, ordered by code', async () => {
    const { page: first } = await page({});
    expect(first.totalCount).toBe(514);
    expect(first.edges).toHaveLength(20);
    expect(first.edges[0].node.code).toBe('11.01');
    const codes = first.edges.map((e) => e.node.code);
    expect(codes).toEqual([...codes].sort());
    expect(first.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: first.edges[0].cursor,
      endCursor: first.edges[19].cursor,
    });
  });

  it('pages forward through all regencies of a province with cursors', async () => {
    const expected = await regencyCodesInDatabase('33');
    expect(expected).toHaveLength(35);
    const pages: Page[] = [];
    let after: string | null = null;
    do {
      const { page: current, statements } = await page({ filter: { provinceCode: '33' }, first: 10, after });
      expect(statements).toBe(1); // the page and its count
      pages.push(current);
      after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
    } while (after !== null && pages.length < 10);

    expect(pages.map((p) => p.edges.length)).toEqual([10, 10, 10, 5]);
    expect(pages.flatMap((p) => p.edges.map((e) => e.node.code))).toEqual(expected);
    expect(pages.map((p) => p.totalCount)).toEqual([35, 35, 35, 35]);
    expect(pages.map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, false],
    ]);
    for (const p of pages) {
      expect(p.pageInfo.startCursor).toBe(p.edges[0].cursor);
      expect(p.pageInfo.endCursor).toBe(p.edges[p.edges.length - 1].cursor);
    }
  });

  it('pages backward through all regencies of a province with cursors', async () => {
    const expected = await regencyCodesInDatabase('33');
    const pages: Page[] = [];
    let before: string | null = null;
    do {
      const { page: current } = await page({ filter: { provinceCode: '33' }, last: 10, before });
      pages.push(current);
      before = current.pageInfo.hasPreviousPage ? current.pageInfo.startCursor : null;
    } while (before !== null && pages.length < 10);

    expect(pages.map((p) => p.edges.length)).toEqual([10, 10, 10, 5]);
    // Each page is in ascending order; pages come from the end.
    expect([...pages].reverse().flatMap((p) => p.edges.map((e) => e.node.code))).toEqual(expected);
    expect(pages[0].edges.map((e) => e.node.code)).toEqual(expected.slice(-10));
    expect(pages.map((p) => [p.pageInfo.hasPreviousPage, p.pageInfo.hasNextPage])).toEqual([
      [true, false],
      [true, true],
      [true, true],
      [false, true],
    ]);
  });

  it('accepts a cursor from a forward page as the end of a backward page', async () => {
    const { page: forward } = await page({ filter: { provinceCode: '19' }, first: 3 });
    const third = forward.edges[2].cursor;
    const { page: back } = await page({ filter: { provinceCode: '19' }, last: 5, before: third });
    expect(back.edges.map((e) => e.node.code)).toEqual(['19.01', '19.02']);
    expect(back.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const { page: rest } = await page({ filter: { provinceCode: '19' }, first: 10, after: third });
    expect(rest.edges.map((e) => e.node.code)).toEqual(['19.04', '19.05', '19.06', '19.71']);
    expect(rest.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('filters by kind across the country', async () => {
    const { page: kota } = await page({ filter: { kind: 'KOTA' }, first: 1 });
    const { page: kabupaten } = await page({ filter: { kind: 'KABUPATEN' }, first: 1 });
    expect(kota.totalCount).toBe(98);
    expect(kabupaten.totalCount).toBe(416);
  });

  it('filters by province and kind together', async () => {
    const result = await api.run(`{ regencies(filter: {provinceCode: "33", kind: KOTA}) { totalCount nodes { code name } } }`);
    expect(result.body).toEqual({
      data: {
        regencies: {
          totalCount: 6,
          nodes: [
            { code: '33.71', name: 'KOTA MAGELANG' },
            { code: '33.72', name: 'KOTA SURAKARTA' },
            { code: '33.73', name: 'KOTA SALATIGA' },
            { code: '33.74', name: 'KOTA SEMARANG' },
            { code: '33.75', name: 'KOTA PEKALONGAN' },
            { code: '33.76', name: 'KOTA TEGAL' },
          ],
        },
      },
    });
  });

  it('filters by a case-insensitive part of the name', async () => {
    const gresik = await api.run(`{ regencies(filter: {nameContains: "gReSiK"}) { totalCount nodes { code } } }`);
    expect(gresik.body).toEqual({ data: { regencies: { totalCount: 1, nodes: [{ code: '35.25' }] } } });
    const kotaInBabel = await api.run(`{ regencies(filter: {provinceCode: "19", nameContains: "kota"}) { nodes { code } } }`);
    expect(kotaInBabel.body).toEqual({ data: { regencies: { nodes: [{ code: '19.71' }] } } });
  });

  it('treats LIKE wildcards in nameContains as plain characters', async () => {
    for (const text of ['%', '_', 'KOTA%SURABAYA']) {
      const result = await api.run(`query($text: String) { regencies(filter: {nameContains: $text}) { totalCount } }`, { text });
      expect(result.body).toEqual({ data: { regencies: { totalCount: 0 } } });
    }
  });

  it('answers an empty page for a well-formed province code without regencies', async () => {
    const result = await api.run(PAGE, { filter: { provinceCode: '99' } });
    expect(result.body).toEqual({
      data: {
        regencies: {
          totalCount: 0,
          edges: [],
          pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
        },
      },
    });
  });

  it('answers a page of 0 with the count and whether edges follow', async () => {
    const result = await api.run(PAGE, { filter: { provinceCode: '19' }, first: 0 });
    expect(result.body).toEqual({
      data: {
        regencies: {
          totalCount: 7,
          edges: [],
          pageInfo: { hasNextPage: true, hasPreviousPage: false, startCursor: null, endCursor: null },
        },
      },
    });
  });

  it('runs the same statements for a page of 5 and a page of 100 with their provinces', async () => {
    const query = `query($first: Int) { regencies(first: $first) { totalCount nodes { code province { name } } } }`;
    const small = await api.run(query, { first: 5 });
    const large = await api.run(query, { first: 100 });
    expect(dataOf(small).regencies.nodes).toHaveLength(5);
    expect(dataOf(large).regencies.nodes).toHaveLength(100);
    expect(dataOf(large).regencies.nodes[99].province.name).toBe('SUMATERA SELATAN');
    expect(small.statements).toBe(1);
    expect(large.statements).toBe(1);
  });

  describe('rejects bad paging and filter arguments as BAD_USER_INPUT', () => {
    it.each([
      ['first above 100', { first: 101 }, 'first'],
      ['negative first', { first: -1 }, 'first'],
      ['negative last', { last: -1 }, 'last'],
      ['first with last', { first: 5, last: 5 }, 'first'],
      ['after with before', { after: 'WyJDT0RFIiwiMTkuMDEiXQ', before: 'WyJDT0RFIiwiMTkuMDEiXQ' }, 'after'],
      ['a cursor that is not ours', { after: 'not-a-cursor' }, 'after'],
      ['a cursor of another ordering', { after: Buffer.from('["TITLE","x",1]').toString('base64url') }, 'after'],
      ['a malformed province code', { filter: { provinceCode: '3' } }, 'filter.provinceCode'],
      ['a blank name', { filter: { nameContains: '   ' } }, 'filter.nameContains'],
    ])('%s', async (_name, variables, argument) => {
      const result = await api.run(PAGE, variables);
      expect(result.body).toEqual({ data: null, errors: [badInput('regencies', argument)] });
      expect(result.statements).toBe(0);
    });
  });
});
