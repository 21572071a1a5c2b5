// statistics(yearFrom, yearTo) and hubImpact checked against brute-force counts over the raw rows.
import { toGlobalId } from '../../src/graphql/global-id';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { buildNetwork } from '../support/network';

interface Rep {
  id: number;
  source_id: number;
  year: number;
  adopter_scope: string;
  sp: string | null;
  sr: string | null;
  ap: string | null;
  ar: string | null;
}
interface Inn {
  id: number;
  province_code: string | null;
  regency_code: string | null;
  launch_year: number | null;
}

const STATS = `statistics(yearFrom: $from, yearTo: $to) {
  yearFrom yearTo innovations replicationsOut replicationsIn provinceWideCommitments adoptingRegencies memberRegencies
  adoptionRate reachRegencies series { year innovations replicationsOut replicationsIn } topInnovations { adoptions innovation { id } }
}`;

describe('statistics on provinces, regencies and hubs', () => {
  let api: TestApi;
  let reps: Rep[];
  let inns: Inn[];
  let regencyCount: Map<string, number>;
  let innovationIds: Map<number, string>;

  beforeAll(async () => {
    api = await openTestApi();
    await buildNetwork(api, 99);
    reps = await api.sql<Rep>(
      `select id, source_id, year, adopter_scope, source_province_code sp, source_regency_code sr,
              adopter_province_code ap, adopter_regency_code ar from replication`,
    );
    inns = await api.sql<Inn>('select id, province_code, regency_code, launch_year from innovation');
    regencyCount = new Map(
      (await api.sql<{ code: string; n: number }>('select province_code code, count(*)::int n from regency group by 1')).map((r) => [r.code, r.n]),
    );
    innovationIds = new Map(inns.map((i) => [i.id, toGlobalId('Innovation', i.id)]));
  });
  afterAll(() => api.close());

  function expected(level: 'province' | 'regency', code: string, from: number | null, to: number | null) {
    const inYears = (y: number | null) => y !== null && (from === null || y >= from) && (to === null || y <= to);
    const mine = inns.filter((i) => (level === 'province' ? i.province_code : i.regency_code) === code);
    const innovations = from === null && to === null ? mine : mine.filter((i) => inYears(i.launch_year));
    const out = reps.filter((r) => (level === 'province' ? r.sp : r.sr) === code && inYears(r.year));
    const inc = reps.filter((r) => (level === 'province' ? r.ap : r.ar) === code && inYears(r.year));
    const years = [...new Set([...innovations.map((i) => i.launch_year).filter((y): y is number => y !== null), ...out.map((r) => r.year), ...inc.map((r) => r.year)])].sort();
    const adoptions = new Map<number, number>();
    for (const r of out) adoptions.set(r.source_id, (adoptions.get(r.source_id) ?? 0) + 1);
    const members = level === 'province' ? (regencyCount.get(code) ?? 0) : 1;
    const adopting = new Set(inc.map((r) => r.ar).filter(Boolean)).size;
    return {
      yearFrom: from,
      yearTo: to,
      innovations: innovations.length,
      replicationsOut: out.length,
      replicationsIn: inc.length,
      provinceWideCommitments: inc.filter((r) => r.adopter_scope === 'PROVINCE_WIDE').length,
      adoptingRegencies: adopting,
      memberRegencies: members,
      adoptionRate: members ? adopting / members : null,
      reachRegencies: new Set(out.map((r) => r.ar).filter(Boolean)).size,
      series: years.map((year) => ({
        year,
        innovations: innovations.filter((i) => i.launch_year === year).length,
        replicationsOut: out.filter((r) => r.year === year).length,
        replicationsIn: inc.filter((r) => r.year === year).length,
      })),
      topInnovations: [...adoptions.entries()]
        .sort(([a, n], [b, m]) => m - n || a - b)
        .slice(0, 5)
        .map(([id, n]) => ({ adoptions: n, innovation: { id: innovationIds.get(id) } })),
    };
  }

  it.each([
    [null, null],
    [2018, 2021],
  ])('matches brute-force counts for all 38 provinces (years %s-%s) in a bounded number of statements', async (from, to) => {
    const result = await api.run(`query($from: Int, $to: Int) { provinces { code ${STATS} } }`, { from, to });
    const provinces = dataOf(result).provinces;
    expect(provinces).toHaveLength(38);
    for (const p of provinces) expect(p.statistics).toEqual(expected('province', p.code, from, to));
    expect(result.statements).toBe(1);
  });

  it('computes only the parts selected, with the same values', async () => {
    const result = await api.run(`{ provinces { code statistics { innovations replicationsIn adoptionRate memberRegencies } } }`);
    expect(result.statements).toBe(1); // the list and the statistics of its provinces in one statement
    for (const p of dataOf(result).provinces) {
      const { innovations, replicationsIn, adoptionRate, memberRegencies } = expected('province', p.code, null, null);
      expect(p.statistics).toEqual({ innovations, replicationsIn, adoptionRate, memberRegencies });
    }
  });

  it.each([
    ['provinces', 'code'],
    ['hubs', 'name'],
  ])('answers each field of %s asked alone as it answers it among all (each part computed only when asked)', async (list, key) => {
    const FIELDS = [
      'yearFrom', 'yearTo', 'innovations', 'replicationsOut', 'replicationsIn', 'provinceWideCommitments', 'adoptingRegencies',
      'memberRegencies', 'adoptionRate', 'reachRegencies', 'series { year innovations replicationsOut replicationsIn }',
      'topInnovations { adoptions innovation { id } }',
    ];
    const ask = async (selection: string) => {
      const result = await api.run(`query($from: Int, $to: Int) { ${list} { ${key} statistics(yearFrom: $from, yearTo: $to) { ${selection} } } }`, { from: 2018, to: null });
      expect(result.statements).toBe(1);
      return dataOf(result)[list] as Record<string, Record<string, unknown>>[];
    };
    const all = await ask(STATS.slice(STATS.indexOf('{') + 1, STATS.lastIndexOf('}')));
    for (const field of FIELDS) {
      const name = field.split(' ')[0];
      const alone = await ask(field);
      expect(alone).toEqual(all.map((row) => ({ [key]: row[key], statistics: { [name]: row.statistics[name] } })));
    }
  });

  it('folds the statistics of a filtered list of provinces into its statement', async () => {
    const result = await api.run(`{ provinces(filter: { isHub: true }) { code isHub statistics(yearFrom: 2019) { innovations replicationsOut series { year } } } }`);
    expect(result.statements).toBe(1);
    const provinces = dataOf(result).provinces;
    expect(provinces.length).toBeGreaterThan(0);
    for (const p of provinces) {
      const { innovations, replicationsOut, series } = expected('province', p.code, 2019, null);
      expect(p).toEqual({ code: p.code, isHub: true, statistics: { innovations, replicationsOut, series: series.map(({ year }) => ({ year })) } });
    }
  });

  it('answers several statistics selections, merged selections and fragments, in one statement', async () => {
    const result = await api.run(`query($from: Int) {
      provinces { code
        all: statistics { innovations }
        all: statistics { replicationsIn }
        ... on Province { recent: statistics(yearFrom: $from) { innovations } } } }`, { from: 2021 });
    expect(result.statements).toBe(1);
    for (const p of dataOf(result).provinces) {
      const all = expected('province', p.code, null, null);
      expect(p).toEqual({
        code: p.code,
        all: { innovations: all.innovations, replicationsIn: all.replicationsIn },
        recent: { innovations: expected('province', p.code, 2021, null).innovations },
      });
    }
  });

  it('leaves statistics with years out of order to the field, which rejects them, under a folded list', async () => {
    const result = await api.run(`{ provinces { code statistics(yearFrom: 2022, yearTo: 2020) { innovations } } }`);
    expect(result.body.data).toBeNull();
    expect(result.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.body.errors?.[0].path).toEqual(['provinces', 0, 'statistics']);
  });

  it('matches brute-force counts for regencies', async () => {
    const codes = [...new Set(reps.map((r) => r.ar).filter((c): c is string => c !== null))].slice(0, 10);
    for (const code of codes) {
      const data = dataOf(await api.run(`query($code: String!, $from: Int, $to: Int) { regency(code: $code) { ${STATS} } }`, { code, from: null, to: null }));
      expect(data.regency.statistics).toEqual(expected('regency', code, null, null));
    }
  });

  it('gives a province hub the statistics of its province', async () => {
    const data = dataOf(await api.run(`query($from: Int, $to: Int) { hubs(filter: { level: PROVINCE }) { province { code } ${STATS} } }`, { from: 2019, to: 2023 }));
    for (const hub of data.hubs) expect(hub.statistics).toEqual(expected('province', hub.province.code, 2019, 2023));
  });

  it('rejects a year range that ends before it starts', async () => {
    const result = await api.run(`{ province(code: "35") { statistics(yearFrom: 2022, yearTo: 2020) { innovations } } }`);
    expect(result.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('Query.hubImpact', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await openTestApi();
    await buildNetwork(api, 5);
  });
  afterAll(() => api.close());

  it('compares adoptions before and after the hub started with provinces that had no hub in the window', async () => {
    const result = await api.run(
      `{ hubImpact(provinceCode: "61", window: 3) { activeYear window years { year period hub comparisonMean }
          comparisonProvinceCodes hubBefore hubAfter comparisonBefore comparisonAfter difference hub { cohortYear } } }`,
    );
    const impact = dataOf(result).hubImpact;
    expect(result.statements).toBe(1); // the hub and its impact in one statement
    expect(impact.activeYear).toBe(2021);
    expect(impact.hub).toEqual({ cohortYear: 2021 });

    const hubs = await api.sql<{ code: string; start: number; ended: number | null }>(
      `select province_code code, extract(year from coalesce(designated_on, committed_on, make_date(cohort_year, 1, 1)))::int start,
              extract(year from ended_on)::int ended from hub where province_code is not null`,
    );
    const provinces = (await api.sql<{ code: string }>('select code from province order by code')).map((p) => p.code);
    const controls = provinces.filter((code) => code !== '61' && !hubs.some((h) => h.code === code && h.start <= 2023 && (h.ended === null || h.ended >= 2018)));
    expect(impact.comparisonProvinceCodes).toEqual(controls);

    const reps = await api.sql<{ ap: string | null; year: number }>('select adopter_province_code ap, year from replication');
    const count = (code: string, year: number) => reps.filter((r) => r.ap === code && r.year === year).length;
    const years = [2018, 2019, 2020, 2021, 2022, 2023].map((year) => ({
      year,
      period: year < 2021 ? 'BEFORE' : 'AFTER',
      hub: count('61', year),
      comparisonMean: controls.reduce((sum, code) => sum + count(code, year), 0) / controls.length,
    }));
    expect(impact.years).toEqual(years);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const before = years.filter((y) => y.period === 'BEFORE');
    const after = years.filter((y) => y.period === 'AFTER');
    expect(impact.hubBefore).toBeCloseTo(mean(before.map((y) => y.hub)), 10);
    expect(impact.hubAfter).toBeCloseTo(mean(after.map((y) => y.hub)), 10);
    expect(impact.comparisonBefore).toBeCloseTo(mean(before.map((y) => y.comparisonMean)), 10);
    expect(impact.comparisonAfter).toBeCloseTo(mean(after.map((y) => y.comparisonMean)), 10);
    expect(impact.difference).toBeCloseTo(impact.hubAfter - impact.hubBefore - (impact.comparisonAfter - impact.comparisonBefore), 10);

    // The hub read with the impact is the province's hub, field for field.
    const HUB = 'hub { id name level activeFrom cohortYear stage isPilot committedOn designatedOn endedOn version province { code } provenance { dataset confidence sources { label } note } }';
    const both = dataOf(await api.run(`{ hubImpact(provinceCode: "61") { ${HUB} } province(code: "61") { ${HUB} } }`));
    expect(both.hubImpact.hub).toEqual(both.province.hub);
    expect(both.hubImpact.hub.province).toEqual({ code: '61' });
  });

  it('is null for a province without a hub and rejects malformed codes and windows', async () => {
    expect(dataOf(await api.run(`{ hubImpact(provinceCode: "11") { activeYear } }`))).toEqual({ hubImpact: null });
    const bad = await api.run(`{ a: hubImpact(provinceCode: "Aceh") { activeYear } b: hubImpact(provinceCode: "61", window: 0) { activeYear } }`);
    expect(bad.body.errors?.map((e) => [e.path?.[0], e.extensions?.code, e.extensions?.argument])).toEqual([
      ['a', 'BAD_USER_INPUT', 'provinceCode'],
      ['b', 'BAD_USER_INPUT', 'window'],
    ]);
  });
});
