// Hub designations (province and ministry hubs) and the legal instruments behind them.
import { dataOf, openTestApi, type TestApi } from '../support/harness';

let api: TestApi;

beforeAll(async () => {
  api = await openTestApi();
});

afterAll(async () => {
  await api.close();
});

const PILOT_CODES = ['13', '16', '19', '33', '35', '63', '73', '75'];
const COHORT_2021 = ['14', '51', '61', '81'];
const COHORT_2022 = ['12', '36', '53'];
const COHORT_2023 = ['15', '18', '32', '34', '52', '64', '82'];
const COHORT_2024 = ['17', '21', '71', '76'];
const MINISTRY_HUBS = [
  'Kementerian Agama',
  'Kementerian Agraria dan Tata Ruang/Badan Pertanahan Nasional',
  'Kementerian Hukum dan Hak Asasi Manusia',
  'Kementerian Kelautan dan Perikanan',
  'Kementerian Keuangan',
  'Kementerian Perdagangan',
  'Kementerian Pertanian',
  'Kementerian Sosial',
  'Kepolisian Negara Republik Indonesia',
  'Mahkamah Agung',
  'Badan Pengawas Obat dan Makanan',
  'Kejaksaan Agung',
];

const DECREE_94_SOURCES = [
  'https://indonesiaparlemen.com/2021/03/04/8-provinsi-jadi-percontohan-hub-jipp-kementerian-pan-rb/',
  'https://m.antaranews.com/amp/berita/1618314/kemenpan-rb-tetapkan-babel-percontohan-hub-jipp',
];
const DECREE_359_SOURCES = ['https://harnasnews.com/?p=103572', 'https://biroorganisasi.kalbarprov.go.id/?p=1846'];
const urlSources = (urls: string[]) => urls.map((url) => ({ label: url, url }));

function badInput(field: string, argument: string) {
  return {
    message: expect.any(String),
    locations: expect.any(Array),
    path: [field],
    extensions: { code: 'BAD_USER_INPUT', argument },
  };
}

interface HubKey {
  province: { code: string } | null;
  institution: { name: string } | null;
}

/** Province code of a province hub, institution name of a ministry hub. */
const keyOf = (hub: HubKey) => hub.province?.code ?? hub.institution!.name;

async function hubKeys(filter: Record<string, unknown>): Promise<string[]> {
  const result = await api.run(`query($filter: HubFilter) { hubs(filter: $filter) { province { code } institution { name } } }`, { filter });
  return dataOf(result).hubs.map(keyOf);
}

const HUB_FIELDS = `
  name level cohortYear stage isPilot committedOn designatedOn activeFrom endedOn
  province { code name }
  institution { name kind }
  instrument { key citation }
  provenance { dataset confidence sources { label url } note }`;

describe('Query.hubs', () => {
  it('lists 26 province hubs and 12 ministry hubs by cohort year, then province code', async () => {
    const result = await api.run(`{ hubs { cohortYear province { code } institution { name } } }`);
    const hubs = dataOf(result).hubs as (HubKey & { cohortYear: number })[];
    expect(hubs).toHaveLength(38);
    expect(hubs.map(keyOf)).toEqual([
      ...PILOT_CODES,
      ...COHORT_2021,
      ...COHORT_2022,
      ...COHORT_2023,
      ...hubs.filter((h) => h.institution).map(keyOf),
      ...COHORT_2024,
    ]);
    expect(hubs.filter((h) => h.institution).map(keyOf).sort()).toEqual([...MINISTRY_HUBS].sort());
    expect(hubs.filter((h) => h.institution).every((h) => h.cohortYear === 2023)).toBe(true);
  });

  it('filters by cohort year', async () => {
    expect(await hubKeys({ cohortYear: 2020 })).toEqual(PILOT_CODES);
    expect(await hubKeys({ cohortYear: 2021 })).toEqual(COHORT_2021);
    expect(await hubKeys({ cohortYear: 2022 })).toEqual(COHORT_2022);
    expect(await hubKeys({ cohortYear: 2019 })).toEqual([]);
  });

  it('filters by stage', async () => {
    expect(await hubKeys({ stage: 'DESIGNATED' })).toEqual([...PILOT_CODES, ...COHORT_2021, ...COHORT_2024]);
    const committed = await hubKeys({ stage: 'COMMITTED' });
    expect(committed).toHaveLength(3 + 7 + 12);
    expect(committed.slice(0, 10)).toEqual([...COHORT_2022, ...COHORT_2023]);
  });

  it('filters by decree number', async () => {
    expect(await hubKeys({ instrumentNumber: '94' })).toEqual(PILOT_CODES);
    expect(await hubKeys({ instrumentNumber: '359' })).toEqual(COHORT_2021);
    expect(await hubKeys({ instrumentNumber: '305' })).toEqual(COHORT_2024);
  });

  it('filters by decree number and year', async () => {
    expect(await hubKeys({ instrumentNumber: '94/2020' })).toEqual(PILOT_CODES);
    expect(await hubKeys({ instrumentNumber: ' 305 / 2024 ' })).toEqual(COHORT_2024);
    expect(await hubKeys({ instrumentNumber: '94/2021' })).toEqual([]);
  });

  it('finds no hubs for an instrument that designates none or does not exist', async () => {
    expect(await hubKeys({ instrumentNumber: '89/2020' })).toEqual([]);
    expect(await hubKeys({ instrumentNumber: '123456' })).toEqual([]);
  });

  it.each(['x', '', '94/20', '94-2020', '94/2020/1', 'KEPMENPANRB-94-2020'])(
    'rejects the decree number %j as BAD_USER_INPUT',
    async (instrumentNumber) => {
      const result = await api.run(`query($n: String) { hubs(filter: {instrumentNumber: $n}) { id } }`, { n: instrumentNumber });
      expect(result.body).toEqual({ data: null, errors: [badInput('hubs', 'filter.instrumentNumber')] });
      expect(result.statements).toBe(0);
    },
  );

  it('filters by the date a hub is active on', async () => {
    expect(await hubKeys({ activeOn: '2019-12-31' })).toEqual([]);
    expect(await hubKeys({ activeOn: '2020-01-01' })).toEqual(PILOT_CODES);
    // The 2022 cohort committed on 2022-09-28, the 2023 provinces on 2023-03-14, the ministries on 2023-10-20.
    expect(await hubKeys({ activeOn: '2022-09-27' })).toEqual([...PILOT_CODES, ...COHORT_2021]);
    expect(await hubKeys({ activeOn: '2022-09-28' })).toEqual([...PILOT_CODES, ...COHORT_2021, ...COHORT_2022]);
    expect(await hubKeys({ activeOn: '2023-03-14' })).toEqual([...PILOT_CODES, ...COHORT_2021, ...COHORT_2022, ...COHORT_2023]);
    expect(await hubKeys({ activeOn: '2023-10-19' })).toHaveLength(22);
    expect(await hubKeys({ activeOn: '2023-10-20' })).toHaveLength(34);
    expect(await hubKeys({ activeOn: '2024-01-01' })).toHaveLength(38);
  });

  it('leaves out a hub from the day it ended', async () => {
    await api.sql(`update hub set ended_on = '2024-12-31' where province_code = '35'`);
    try {
      expect(await hubKeys({ activeOn: '2024-12-30', cohortYear: 2020 })).toEqual(PILOT_CODES);
      expect(await hubKeys({ activeOn: '2024-12-31', cohortYear: 2020 })).toEqual(PILOT_CODES.filter((c) => c !== '35'));
    } finally {
      await api.sql(`update hub set ended_on = null where province_code = '35'`);
    }
  });

  it('rejects an impossible date as BAD_USER_INPUT', async () => {
    const result = await api.run(`query($d: LocalDate) { hubs(filter: {activeOn: $d}) { id } }`, { d: '2023-02-30' });
    expect(result.body.data).toBeUndefined();
    expect(result.body.errors).toEqual([expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(result.statements).toBe(0);
  });

  it('filters by the pilot flag', async () => {
    expect(await hubKeys({ isPilot: true })).toEqual(PILOT_CODES);
    const others = await hubKeys({ isPilot: false });
    expect(others).toHaveLength(30);
    expect(others.filter((key) => PILOT_CODES.includes(key))).toEqual([]);
  });

  it('filters by level', async () => {
    const provinces = await api.run(`{ hubs(filter: {level: PROVINCE}) { level province { code } institution { name } } }`);
    const ministries = await api.run(`{ hubs(filter: {level: MINISTRY}) { level name province { code } institution { name } } }`);
    const provinceHubs = dataOf(provinces).hubs;
    const ministryHubs = dataOf(ministries).hubs;
    expect(provinceHubs).toHaveLength(26);
    expect(provinceHubs.every((h: HubKey & { level: string }) => h.level === 'PROVINCE' && h.province && !h.institution)).toBe(true);
    expect(ministryHubs).toHaveLength(12);
    for (const hub of ministryHubs) {
      expect(hub).toEqual({ level: 'MINISTRY', name: hub.institution.name, province: null, institution: { name: expect.any(String) } });
    }
    expect(ministryHubs.map(keyOf).sort()).toEqual([...MINISTRY_HUBS].sort());
  });

  it('combines filters as all conditions', async () => {
    expect(await hubKeys({ cohortYear: 2023, level: 'PROVINCE', stage: 'COMMITTED' })).toEqual(COHORT_2023);
    expect((await hubKeys({ cohortYear: 2023, level: 'MINISTRY' })).sort()).toEqual([...MINISTRY_HUBS].sort());
    expect(await hubKeys({ isPilot: true, instrumentNumber: '359' })).toEqual([]);
    expect(await hubKeys({ stage: 'DESIGNATED', isPilot: false, cohortYear: 2024 })).toEqual(COHORT_2024);
  });
});

describe('Hub fields', () => {
  const hubOf = async (filter: Record<string, unknown>) => {
    const result = await api.run(`query($filter: HubFilter) { hubs(filter: $filter) { ${HUB_FIELDS} } }`, { filter });
    return dataOf(result).hubs;
  };

  it('describes a pilot hub designated by decree', async () => {
    const hubs = await hubOf({ cohortYear: 2020 });
    expect(hubs.find((h: { province: { code: string } }) => h.province.code === '35')).toEqual({
      name: 'JAWA TIMUR',
      level: 'PROVINCE',
      cohortYear: 2020,
      stage: 'DESIGNATED',
      isPilot: true,
      committedOn: null,
      designatedOn: null,
      activeFrom: '2020-01-01',
      endedOn: null,
      province: { code: '35', name: 'JAWA TIMUR' },
      institution: null,
      instrument: { key: 'KEPMENPANRB-94-2020', citation: 'KepMenPANRB No. 94/2020' },
      provenance: {
        dataset: 'REFERENCE',
        confidence: 'CONFIRMED',
        sources: urlSources(DECREE_94_SOURCES),
        note: 'JIPP operating under GIZ TRANSFORMASI before 2020',
      },
    });
  });

  it('describes a hub that joined by signed commitment, without a decree', async () => {
    const hubs = await hubOf({ cohortYear: 2022 });
    expect(hubs[0]).toEqual({
      name: 'SUMATERA UTARA',
      level: 'PROVINCE',
      cohortYear: 2022,
      stage: 'COMMITTED',
      isPilot: false,
      committedOn: '2022-09-28',
      designatedOn: null,
      activeFrom: '2022-09-28',
      endedOn: null,
      province: { code: '12', name: 'SUMATERA UTARA' },
      institution: null,
      instrument: null,
      provenance: {
        dataset: 'REFERENCE',
        confidence: 'CONFIRMED',
        sources: urlSources(['https://menpan.go.id/site/berita-terkini/komitmen-pemerintah-provinsi-bergabung-dalam-jipp']),
        note: 'commitment signed in Labuan Bajo; no decree number found',
      },
    });
  });

  it('gives a hub without sources of its own the sources of its decree, and keeps its readiness meeting', async () => {
    const hubs = await hubOf({ cohortYear: 2021 });
    const kalbar = hubs.find((h: { province: { code: string } }) => h.province.code === '61');
    expect(kalbar.provenance).toEqual({
      dataset: 'REFERENCE',
      confidence: 'CONFIRMED',
      sources: urlSources(DECREE_359_SOURCES),
      note: 'Readiness meeting on 2021-03-03.',
    });
    const bali = hubs.find((h: { province: { code: string } }) => h.province.code === '51');
    expect(bali.provenance.sources).toEqual(
      urlSources(['https://bappeda.baliprov.go.id/2021/03/03/berkomitmen-kuat-dalam-inovasi-pelayanan-publik-pemprov-bali-ditunjuk-sebagai-hub-jipp/']),
    );
  });

  it('keeps hubs named by a single report REPORTED, not CONFIRMED', async () => {
    const hubs = await hubOf({ cohortYear: 2024 });
    const confidence = Object.fromEntries(hubs.map((h: { province: { code: string }; provenance: { confidence: string } }) => [h.province.code, h.provenance.confidence]));
    expect(confidence).toEqual({ '17': 'REPORTED', '21': 'REPORTED', '71': 'REPORTED', '76': 'CONFIRMED' });
  });

  it('describes a ministry hub by its institution', async () => {
    const hubs = await hubOf({ level: 'MINISTRY' });
    expect(hubs.find((h: { name: string }) => h.name === 'Kepolisian Negara Republik Indonesia')).toEqual({
      name: 'Kepolisian Negara Republik Indonesia',
      level: 'MINISTRY',
      cohortYear: 2023,
      stage: 'COMMITTED',
      isPilot: false,
      committedOn: '2023-10-20',
      designatedOn: null,
      activeFrom: '2023-10-20',
      endedOn: null,
      province: null,
      institution: { name: 'Kepolisian Negara Republik Indonesia', kind: 'POLICE_UNIT' },
      instrument: null,
      provenance: {
        dataset: 'REFERENCE',
        confidence: 'REPORTED',
        sources: urlSources(['https://djabarpos.com/?p=27305']),
        note: 'Named "Polri" in the joint commitment of 2023-10-20.',
      },
    });
  });

  it('reaches the same hub from its province', async () => {
    const result = await api.run(`{ province(code: "61") { hub { id cohortYear province { code } } } hubs(filter: {cohortYear: 2021}) { id province { code } } }`);
    const data = dataOf(result);
    const fromList = data.hubs.find((h: { province: { code: string } }) => h.province.code === '61');
    expect(data.province.hub).toEqual({ id: fromList.id, cohortYear: 2021, province: { code: '61' } });
  });
});

describe('statements per hub list', () => {
  it('loads provinces and decrees of any number of hubs in one statement', async () => {
    const query = `query($filter: HubFilter) { hubs(filter: $filter) { province { name } instrument { citation } } }`;
    const all = await api.run(query, {});
    const pilots = await api.run(query, { filter: { isPilot: true } });
    expect(dataOf(all).hubs).toHaveLength(38);
    expect(dataOf(pilots).hubs).toHaveLength(8);
    expect(all.statements).toBe(1);
    expect(pilots.statements).toBe(1);
  });

  it('loads every field of every hub, legal bases included, in one statement', async () => {
    const result = await api.run(`{ hubs { ${HUB_FIELDS} instrument { legalBasis { citation } } } }`);
    expect(dataOf(result).hubs).toHaveLength(38);
    expect(result.statements).toBe(1);
  });
});

describe('Query.legalInstruments', () => {
  const QUERY = `{ legalInstruments { key kind number year title issuer citation legalBasis { key } hubs { province { code } } provenance { dataset confidence } } }`;

  it('lists the eight instruments oldest first, with how people cite them', async () => {
    const result = await api.run(QUERY);
    const instruments = dataOf(result).legalInstruments;
    const years = instruments.map((i: { year: number }) => i.year);
    expect(years).toEqual([...years].sort((a, b) => a - b));
    const cited = instruments
      .map((i: { key: string; kind: string; citation: string }) => [i.key, i.kind, i.citation])
      .sort((a: string[], b: string[]) => a[0].localeCompare(b[0]));
    expect(cited).toEqual([
      ['KEPMENPANRB-305-2024', 'MINISTERIAL_DECREE', 'KepMenPANRB No. 305/2024'],
      ['KEPMENPANRB-359-2021', 'MINISTERIAL_DECREE', 'KepMenPANRB No. 359/2021'],
      ['KEPMENPANRB-94-2020', 'MINISTERIAL_DECREE', 'KepMenPANRB No. 94/2020'],
      ['PERMENPANRB-30-2014', 'MINISTERIAL_REGULATION', 'PermenPANRB No. 30/2014'],
      ['PERMENPANRB-7-2021', 'MINISTERIAL_REGULATION', 'PermenPANRB No. 7/2021'],
      ['PERMENPANRB-89-2020', 'MINISTERIAL_REGULATION', 'PermenPANRB No. 89/2020'],
      ['PERMENPANRB-91-2021', 'MINISTERIAL_REGULATION', 'PermenPANRB No. 91/2021'],
      ['PP-38-2017', 'GOVERNMENT_REGULATION', 'PP No. 38/2017'],
    ]);
  });

  it('describes the pilot decree whole: legal basis, hubs and provenance', async () => {
    const result = await api.run(QUERY);
    const decree = dataOf(result).legalInstruments.find((i: { key: string }) => i.key === 'KEPMENPANRB-94-2020');
    expect(decree).toEqual({
      key: 'KEPMENPANRB-94-2020',
      kind: 'MINISTERIAL_DECREE',
      number: '94',
      year: 2020,
      title: 'Percontohan Hub JIPP pada Pemerintah Daerah Tahun 2020',
      issuer: 'Menteri PANRB',
      citation: 'KepMenPANRB No. 94/2020',
      legalBasis: { key: 'PERMENPANRB-89-2020' },
      hubs: PILOT_CODES.map((code) => ({ province: { code } })),
      // The reference file does not grade the decree: reported, not confirmed.
      provenance: { dataset: 'REFERENCE', confidence: 'REPORTED' },
    });
  });

  it('bases every hub decree on PermenPANRB No. 89/2020 and lists the hubs each designates', async () => {
    const result = await api.run(QUERY);
    const byKey = new Map(dataOf(result).legalInstruments.map((i: { key: string }) => [i.key, i]));
    const hubsOf = (key: string) => (byKey.get(key) as { hubs: { province: { code: string } }[] }).hubs.map((h) => h.province.code);
    const basisOf = (key: string) => (byKey.get(key) as { legalBasis: { key: string } | null }).legalBasis;
    for (const key of ['KEPMENPANRB-94-2020', 'KEPMENPANRB-359-2021', 'KEPMENPANRB-305-2024']) {
      expect(basisOf(key)).toEqual({ key: 'PERMENPANRB-89-2020' });
    }
    expect(hubsOf('KEPMENPANRB-359-2021')).toEqual(COHORT_2021);
    expect(hubsOf('KEPMENPANRB-305-2024')).toEqual(COHORT_2024);
    for (const key of ['PERMENPANRB-30-2014', 'PERMENPANRB-89-2020', 'PERMENPANRB-7-2021', 'PERMENPANRB-91-2021', 'PP-38-2017']) {
      expect(basisOf(key)).toBeNull();
      expect(hubsOf(key)).toEqual([]);
    }
  });

  it('loads the instruments, their bases, hubs and hub provinces in one statement', async () => {
    const result = await api.run(`{ legalInstruments { citation legalBasis { citation } hubs { name province { name } instrument { citation } } } }`);
    expect(dataOf(result).legalInstruments).toHaveLength(8);
    expect(result.statements).toBe(1);
  });
});
