// Every mutation's happy path (the whole payload), its validation (userErrors that name the field, nothing
// written), optimistic versions (a stale one is a CONFLICT and overwrites nothing), the replication
// lifecycle through the API, curated REFERENCE rows, self-adoption, and designateHub create-then-update.
import { toGlobalId } from '../../src/graphql/global-id';
import { ReplicationStatus } from '../../src/modules/replication/replication.entity';
import { openTestApi, type GraphQLResponse, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';
import {
  CREATE_INNOVATION,
  CREATE_PROGRAMME,
  DESIGNATE_HUB,
  dbId,
  Fixtures,
  RECORD_REPLICATION,
  RECORD_SESSION,
  refused,
  UPDATE_INNOVATION,
  UPDATE_REPLICATION_STATUS,
  userError,
} from '../support/writes';

let api: TestApi;
let fx: Fixtures;

beforeAll(async () => {
  api = await openTestApi();
  fx = new Fixtures(api);
});
afterAll(() => api.close());

const failed = (mutation: string, payload: string, errors: [string | null, string][]): GraphQLResponse => ({
  data: { [mutation]: { [payload]: null, userErrors: errors.map(([field, code]) => userError(field, code)), replayed: false } },
});

const referenceInnovation = async (key: string) => {
  const [{ id }] = await api.sql<{ id: number }>(`select id from innovation where reference_key = ?`, [key]);
  return toGlobalId('Innovation', id);
};
const institution = async (name: string) => toGlobalId('Institution', await fx.institutionId(name));
const SOURCES = ['https://example.org/berita'];

describe('Mutation.createInnovation', () => {
  it('records an innovation with a new owner found by name, and returns the whole record', async () => {
    const input = {
      title: '  Sapa Warga Digital  ',
      summary: 'Pengaduan warga lewat pesan singkat.',
      owner: { name: 'Dinas Komunikasi dan Informatika Kabupaten Gresik' },
      regencyCode: '35.25',
      launchYear: 2023,
      registry: 'IGA',
      externalId: 'IGA-2025-000123',
      stage: 'PENERAPAN',
      isDigital: true,
      category: 'Pengaduan',
      sustainability: 'CONTINUING',
      sources: ['https://iga.example/123', 'Laporan IGA 2025'],
      confidence: 'CONFIRMED',
      note: 'Dicatat oleh operator hub',
    };
    const result = await api.run(CREATE_INNOVATION, { input }, VIEWERS.jatimOperator);
    expect(result.body).toEqual({
      data: {
        createInnovation: {
          innovation: {
            id: expect.any(String),
            title: 'Sapa Warga Digital',
            summary: 'Pengaduan warga lewat pesan singkat.',
            version: 1,
            launchYear: 2023,
            registry: 'IGA',
            externalId: 'IGA-2025-000123',
            stage: 'PENERAPAN',
            isDigital: true,
            category: 'Pengaduan',
            sustainability: 'CONTINUING',
            owner: { name: 'Dinas Komunikasi dan Informatika Kabupaten Gresik', kind: 'REGIONAL_AGENCY' },
            province: { code: '35' },
            regency: { code: '35.25' },
            provenance: {
              dataset: 'IMPORTED',
              confidence: 'CONFIRMED',
              sources: [
                { label: 'https://iga.example/123', url: 'https://iga.example/123' },
                { label: 'Laporan IGA 2025', url: null },
              ],
              note: 'Dicatat oleh operator hub',
            },
          },
          userErrors: [],
          replayed: false,
        },
      },
    });
    // The new owner sits in the innovation's region and carries its provenance.
    expect(
      await api.sql(`select kind, province_code, regency_code, dataset, confidence, sources from institution where name = ?`, [input.owner.name]),
    ).toEqual([{ kind: 'REGIONAL_AGENCY', province_code: '35', regency_code: '35.25', dataset: 'IMPORTED', confidence: 'CONFIRMED', sources: input.sources }]);
  });

  it('reuses an existing owner given by id or by exact name', async () => {
    const byId = await api.run(CREATE_INNOVATION, { input: { title: 'Dengan Id', owner: { id: await institution('Pemerintah Kabupaten Gresik') }, regencyCode: '35.25', sources: SOURCES } }, VIEWERS.jatimOperator);
    const byName = await api.run(CREATE_INNOVATION, { input: { title: 'Dengan Nama', owner: { name: 'Pemerintah Kabupaten Gresik' }, regencyCode: '35.25', sources: SOURCES } }, VIEWERS.jatimOperator);
    for (const result of [byId, byName]) {
      expect(result.body).toEqual({
        data: { createInnovation: { innovation: expect.objectContaining({ owner: { name: 'Pemerintah Kabupaten Gresik', kind: 'REGENCY_GOVERNMENT' }, version: 1 }), userErrors: [], replayed: false } },
      });
    }
    expect(await fx.count('institution', 'name = ?', ['Pemerintah Kabupaten Gresik'])).toBe(1);
  });

  it('records a national innovation (no region) for the ministry', async () => {
    const result = await api.run(CREATE_INNOVATION, { input: { title: 'Layanan Nasional', owner: { name: 'Kementerian Kesehatan' }, sources: SOURCES } }, VIEWERS.ministry);
    expect(result.body).toEqual({
      data: {
        createInnovation: {
          innovation: expect.objectContaining({ title: 'Layanan Nasional', province: null, regency: null, owner: { name: 'Kementerian Kesehatan', kind: 'MINISTRY' } }),
          userErrors: [],
          replayed: false,
        },
      },
    });
  });

  const base = { title: 'Baru', owner: { name: 'Pemerintah Kabupaten Gresik' }, regencyCode: '35.25', sources: SOURCES };
  const INVALID: [string, Record<string, unknown>, [string | null, string][]][] = [
    ['a blank title', { title: '   ' }, [['input.title', 'BAD_USER_INPUT']]],
    ['a title over 300 characters', { title: 'x'.repeat(301) }, [['input.title', 'BAD_USER_INPUT']]],
    ['a blank summary', { summary: ' ' }, [['input.summary', 'BAD_USER_INPUT']]],
    ['a malformed regency code', { regencyCode: '35.2' }, [['input.regencyCode', 'BAD_USER_INPUT']]],
    ['a malformed province code', { regencyCode: null, provinceCode: '3' }, [['input.provinceCode', 'BAD_USER_INPUT']]],
    ['a regency outside the province given', { provinceCode: '33' }, [['input.regencyCode', 'BAD_USER_INPUT']]],
    ['an unknown regency', { regencyCode: '35.98' }, [['input.regencyCode', 'NOT_FOUND']]],
    ['an unknown province', { regencyCode: null, provinceCode: '99' }, [['input.provinceCode', 'NOT_FOUND']]],
    ['a launch year before 1945', { launchYear: 1944 }, [['input.launchYear', 'BAD_USER_INPUT']]],
    ['a launch year after 2100', { launchYear: 2101 }, [['input.launchYear', 'BAD_USER_INPUT']]],
    ['no sources', { sources: [] }, [['input.sources', 'BAD_USER_INPUT']]],
    ['a blank source', { sources: ['https://example.org', ' '] }, [['input.sources[1]', 'BAD_USER_INPUT']]],
    ['more than 20 sources', { sources: Array.from({ length: 21 }, (_, i) => `sumber ${i}`) }, [['input.sources', 'BAD_USER_INPUT']]],
    ['an externalId without its registry', { externalId: 'A-1' }, [['input.registry', 'BAD_USER_INPUT']]],
    ['an unknown owner id', { owner: { id: toGlobalId('Institution', 99999) } }, [['input.owner.id', 'NOT_FOUND']]],
    ['an owner id of another type', { owner: { id: toGlobalId('Innovation', 1) } }, [['input.owner.id', 'BAD_USER_INPUT']]],
    ['neither owner id nor name', { owner: {} }, [['input.owner', 'BAD_USER_INPUT']]],
    ['both owner id and name', { owner: { id: toGlobalId('Institution', 1), name: 'Pemerintah Kabupaten Gresik' } }, [['input.owner', 'BAD_USER_INPUT']]],
    ['a blank owner name', { owner: { name: '  ' } }, [['input.owner.name', 'BAD_USER_INPUT']]],
    [
      'several faults at once',
      { title: '', launchYear: 3000, sources: [] },
      [['input.title', 'BAD_USER_INPUT'], ['input.launchYear', 'BAD_USER_INPUT'], ['input.sources', 'BAD_USER_INPUT']],
    ],
  ];

  it.each(INVALID)('refuses %s with userErrors naming the field, and writes nothing', async (_name, change, errors) => {
    const before = await fx.picture();
    const result = await api.run(CREATE_INNOVATION, { input: { ...base, ...change } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual(failed('createInnovation', 'innovation', errors));
    expect(await fx.picture()).toEqual(before);
  });

  it('says which field is wrong in a message a person can act on', async () => {
    const result = await api.run(CREATE_INNOVATION, { input: { ...base, regencyCode: '33.26', provinceCode: '35' } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual({
      data: { createInnovation: { innovation: null, userErrors: [userError('input.regencyCode', 'BAD_USER_INPUT', 'Regency 33.26 is not in province 35.')], replayed: false } },
    });
  });

  it('refuses a second innovation with the same registry id as a CONFLICT', async () => {
    const input = { ...base, registry: 'KIPP', externalId: 'KIPP-2024-1' };
    const first = await api.run(CREATE_INNOVATION, { input }, VIEWERS.jatimOperator);
    expect(first.body.data).toEqual({ createInnovation: expect.objectContaining({ userErrors: [], replayed: false }) });
    const before = await fx.picture();
    const second = await api.run(CREATE_INNOVATION, { input: { ...input, title: 'Lain' } }, VIEWERS.ministry);
    expect(second.body).toEqual(failed('createInnovation', 'innovation', [['input.externalId', 'CONFLICT']]));
    expect(await fx.picture()).toEqual(before);
  });
});

describe('Mutation.updateInnovation', () => {
  it('changes the fields given, moves the version on, and returns the whole record', async () => {
    const id = await fx.innovation({ regencyCode: '35.25', title: 'Judul Lama' });
    const input = {
      id,
      version: 1,
      title: ' Judul Baru ',
      summary: 'Ringkasan baru',
      regencyCode: '35.15',
      launchYear: 2020,
      stage: 'UJI_COBA',
      isDigital: false,
      category: 'Kesehatan',
      sustainability: 'STOPPED',
      sources: ['https://example.org/koreksi'],
      confidence: 'CONFIRMED',
      note: 'Dikoreksi',
    };
    const result = await api.run(UPDATE_INNOVATION, { input }, VIEWERS.jatimOperator);
    expect(result.body).toEqual({
      data: {
        updateInnovation: {
          innovation: {
            id,
            title: 'Judul Baru',
            summary: 'Ringkasan baru',
            version: 2,
            launchYear: 2020,
            registry: null,
            externalId: null,
            stage: 'UJI_COBA',
            isDigital: false,
            category: 'Kesehatan',
            sustainability: 'STOPPED',
            owner: { name: expect.stringMatching(/^Pemilik /), kind: 'OTHER' },
            province: { code: '35' },
            regency: { code: '35.15' },
            provenance: { dataset: 'IMPORTED', confidence: 'CONFIRMED', sources: [{ label: 'https://example.org/koreksi', url: 'https://example.org/koreksi' }], note: 'Dikoreksi' },
          },
          userErrors: [],
          replayed: false,
        },
      },
    });
  });

  it('keeps fields left out and clears fields sent as null', async () => {
    const id = await fx.innovation({ regencyCode: '35.25', title: 'Tetap' });
    await api.sql(`update innovation set summary = 'Ada', launch_year = 2019, category = 'Lama' where id = ?`, [dbId(id)]);
    const result = await api.run(UPDATE_INNOVATION, { input: { id, version: 1, summary: null, launchYear: null } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual({
      data: {
        updateInnovation: {
          innovation: expect.objectContaining({ title: 'Tetap', summary: null, launchYear: null, category: 'Lama', version: 2, regency: { code: '35.25' } }),
          userErrors: [],
          replayed: false,
        },
      },
    });
  });

  const INVALID: [string, Record<string, unknown>, [string | null, string][]][] = [
    ['a blank title', { title: ' ' }, [['input.title', 'BAD_USER_INPUT']]],
    ['a null title', { title: null }, [['input.title', 'BAD_USER_INPUT']]],
    ['no sources', { sources: [] }, [['input.sources', 'BAD_USER_INPUT']]],
    ['null sources', { sources: null }, [['input.sources', 'BAD_USER_INPUT']]],
    ['a null confidence', { confidence: null }, [['input.confidence', 'BAD_USER_INPUT']]],
    ['a launch year out of range', { launchYear: 1800 }, [['input.launchYear', 'BAD_USER_INPUT']]],
    ['a malformed regency code', { regencyCode: '35.2' }, [['input.regencyCode', 'BAD_USER_INPUT']]],
    ['a regency outside the province given', { provinceCode: '35', regencyCode: '33.26' }, [['input.regencyCode', 'BAD_USER_INPUT']]],
    ['an unknown regency', { regencyCode: '35.98' }, [['input.regencyCode', 'NOT_FOUND']]],
    ['an unknown id', { id: toGlobalId('Innovation', 99999) }, [['input.id', 'NOT_FOUND']]],
    ['a malformed id', { id: 'bukan-id' }, [['input.id', 'BAD_USER_INPUT']]],
    ['the id of another type', { id: toGlobalId('Replication', 1) }, [['input.id', 'BAD_USER_INPUT']]],
  ];

  it.each(INVALID)('refuses %s with userErrors naming the field, and changes nothing', async (_name, change, errors) => {
    const id = await fx.innovation({ regencyCode: '35.25' });
    const before = await fx.picture([{ table: 'innovation', id }]);
    const result = await api.run(UPDATE_INNOVATION, { input: { id, version: 1, ...change } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual(failed('updateInnovation', 'innovation', errors));
    expect(await fx.picture([{ table: 'innovation', id }])).toEqual(before);
  });

  it('refuses a stale version as a CONFLICT and overwrites nothing', async () => {
    const id = await fx.innovation({ regencyCode: '35.25', title: 'Versi Satu' });
    const first = await api.run(UPDATE_INNOVATION, { input: { id, version: 1, title: 'Versi Dua' } }, VIEWERS.jatimOperator);
    expect(first.body.data).toEqual({ updateInnovation: expect.objectContaining({ innovation: expect.objectContaining({ title: 'Versi Dua', version: 2 }), userErrors: [] }) });
    const before = await fx.picture([{ table: 'innovation', id }]);
    const stale = await api.run(UPDATE_INNOVATION, { input: { id, version: 1, title: 'Versi Basi', summary: 'Hilang' } }, VIEWERS.ministry);
    expect(stale.body).toEqual({
      data: {
        updateInnovation: {
          innovation: null,
          userErrors: [userError('input.version', 'CONFLICT', 'The innovation changed: you sent version 1, it is now 2. Reload and retry.')],
          replayed: false,
        },
      },
    });
    expect(await fx.picture([{ table: 'innovation', id }])).toEqual(before);
  });

  it('lets five concurrent updates from the same version make one change; the others are CONFLICTs', async () => {
    const id = await fx.innovation({ regencyCode: '35.25', title: 'Rebutan' });
    const audits = await fx.count('audit_event');
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => api.run(UPDATE_INNOVATION, { input: { id, version: 1, title: `Pemenang ${i}` } }, VIEWERS.jatimOperator)),
    );
    const payloads = results.map((r) => (r.body.data as { updateInnovation: { innovation: { title: string } | null; userErrors: unknown[] } }).updateInnovation);
    const winners = payloads.filter((p) => p.innovation !== null);
    expect(winners).toHaveLength(1);
    expect(payloads.filter((p) => p.innovation === null).map((p) => p.userErrors)).toEqual(Array(4).fill([userError('input.version', 'CONFLICT')]));
    expect(await api.sql(`select title, version from innovation where id = ?`, [dbId(id)])).toEqual([{ title: winners[0].innovation!.title, version: 2 }]);
    expect(await fx.count('audit_event')).toBe(audits + 1);
  });

  it('lets only the ministry correct a curated REFERENCE record, which stays REFERENCE', async () => {
    const id = await referenceInnovation('kakeku-datang');
    const version = await fx.version('Innovation', id);
    const before = await fx.picture([{ table: 'innovation', id }]);
    const operator = await api.run(UPDATE_INNOVATION, { input: { id, version, summary: 'Koreksi' } }, VIEWERS.jatimOperator);
    expect(operator.body).toEqual(refused('updateInnovation', 'FORBIDDEN'));
    expect(await fx.picture([{ table: 'innovation', id }])).toEqual(before);
    const ministry = await api.run(UPDATE_INNOVATION, { input: { id, version, summary: 'Koreksi' } }, VIEWERS.ministry);
    expect(ministry.body).toEqual({
      data: {
        updateInnovation: {
          innovation: expect.objectContaining({ summary: 'Koreksi', version: version + 1, provenance: expect.objectContaining({ dataset: 'REFERENCE' }) }),
          userErrors: [],
          replayed: false,
        },
      },
    });
  });
});

describe('Mutation.recordReplication', () => {
  it('records an adoption in the operator\'s province of an innovation from another, and returns the whole record', async () => {
    const source = await referenceInnovation('toss');
    const adoptedAs = await fx.innovation({ regencyCode: '35.25', title: 'TOSS Gresik' });
    // A programme that mentors the operator's own hub: another province's programme is not its to name.
    const programme = await fx.programme(null, '35');
    const gresik = await institution('Pemerintah Kabupaten Gresik');
    const input = {
      sourceId: source,
      adopter: { scope: 'REGENCY', regencyCode: '35.25', institutionId: gresik },
      kind: 'REPLICATION',
      status: 'COMMITTED',
      year: 2025,
      implementationYear: 2026,
      committedOn: '2025-03-14',
      facilitatingHubCode: '35',
      mentoringProgrammeId: programme,
      adoptedAsId: adoptedAs,
      registry: 'JIPPNAS',
      externalId: 'R-889',
      sources: ['https://example.go.id/berita/replikasi-toss'],
      confidence: 'CONFIRMED',
      note: 'Forum replikasi Jawa Timur',
    };
    const result = await api.run(RECORD_REPLICATION, { input }, VIEWERS.jatimOperator);
    expect(result.body).toEqual({
      data: {
        recordReplication: {
          replication: {
            id: expect.any(String),
            kind: 'REPLICATION',
            status: 'COMMITTED',
            year: 2025,
            implementationYear: 2026,
            committedOn: '2025-03-14',
            implementedOn: null,
            version: 1,
            registry: 'JIPPNAS',
            externalId: 'R-889',
            adopter: { scope: 'REGENCY', province: { code: '35' }, regency: { code: '35.25' }, institution: { name: 'Pemerintah Kabupaten Gresik' } },
            source: { id: source },
            adoptedAs: { id: adoptedAs },
            facilitatingHub: { province: { code: '35' } },
            mentoringProgramme: { id: programme },
            provenance: {
              dataset: 'IMPORTED',
              confidence: 'CONFIRMED',
              sources: [{ label: 'https://example.go.id/berita/replikasi-toss', url: 'https://example.go.id/berita/replikasi-toss' }],
              note: 'Forum replikasi Jawa Timur',
            },
          },
          userErrors: [],
          replayed: false,
        },
      },
    });
    // The source's province is copied onto the row, so the graph queries need no join.
    const [row] = await api.sql(`select source_province_code, source_regency_code from replication where external_id = 'R-889'`);
    expect(row).toEqual({ source_province_code: '51', source_regency_code: '51.05' });
  });

  let source33: string;
  beforeAll(async () => {
    source33 = await fx.innovation({ regencyCode: '33.26', title: 'Sumber Pekalongan' });
  });
  const base = () => ({ sourceId: source33, adopter: { scope: 'REGENCY', regencyCode: '35.15' }, kind: 'REPLICATION', year: 2025, sources: SOURCES });

  const INVALID: [string, (b: ReturnType<typeof base>) => Promise<Record<string, unknown>> | Record<string, unknown>, [string | null, string][]][] = [
    ['an unknown source', () => ({ sourceId: toGlobalId('Innovation', 99999) }), [['input.sourceId', 'NOT_FOUND']]],
    ['a malformed source id', () => ({ sourceId: 'xyz' }), [['input.sourceId', 'BAD_USER_INPUT']]],
    ['a source id of another type', () => ({ sourceId: toGlobalId('Institution', 1) }), [['input.sourceId', 'BAD_USER_INPUT']]],
    ['a year before 1990', () => ({ year: 1989 }), [['input.year', 'BAD_USER_INPUT']]],
    ['a year after 2100', () => ({ year: 2101 }), [['input.year', 'BAD_USER_INPUT']]],
    ['an implementation year before the year', () => ({ implementationYear: 2024 }), [['input.implementationYear', 'BAD_USER_INPUT']]],
    ['no sources', () => ({ sources: [] }), [['input.sources', 'BAD_USER_INPUT']]],
    ['a NATIONAL adopter with a province', () => ({ adopter: { scope: 'NATIONAL', provinceCode: '35' } }), [['input.adopter', 'BAD_USER_INPUT']]],
    ['a REGENCY adopter without a regency', () => ({ adopter: { scope: 'REGENCY', provinceCode: '35' } }), [['input.adopter.regencyCode', 'BAD_USER_INPUT']]],
    ['a PROVINCE adopter with a regency', () => ({ adopter: { scope: 'PROVINCE', regencyCode: '35.15' } }), [['input.adopter.provinceCode', 'BAD_USER_INPUT']]],
    ['an unknown adopter regency', () => ({ adopter: { scope: 'REGENCY', regencyCode: '35.99' } }), [['input.adopter.regencyCode', 'NOT_FOUND']]],
    ['an adopter regency outside its province', () => ({ adopter: { scope: 'REGENCY', provinceCode: '33', regencyCode: '35.15' } }), [['input.adopter.regencyCode', 'BAD_USER_INPUT']]],
    ['a malformed adopter province', () => ({ adopter: { scope: 'PROVINCE', provinceCode: 'JT' } }), [['input.adopter.provinceCode', 'BAD_USER_INPUT']]],
    ['an unknown adopter institution', () => ({ adopter: { scope: 'REGENCY', regencyCode: '35.15', institutionId: toGlobalId('Institution', 99999) } }), [['input.adopter.institutionId', 'NOT_FOUND']]],
    [
      'an adopter institution of another province',
      async () => ({ adopter: { scope: 'REGENCY', regencyCode: '35.15', institutionId: await institution('Pemerintah Kabupaten Pekalongan') } }),
      [['input.adopter.institutionId', 'BAD_USER_INPUT']],
    ],
    ['a province without a hub as facilitator', () => ({ facilitatingHubCode: '99' }), [['input.facilitatingHubCode', 'NOT_FOUND']]],
    ['an unknown mentoring programme', () => ({ mentoringProgrammeId: toGlobalId('MentoringProgramme', 99999) }), [['input.mentoringProgrammeId', 'NOT_FOUND']]],
    ['the source as its own local version', (b) => ({ adoptedAsId: b.sourceId }), [['input.adoptedAsId', 'BAD_USER_INPUT']]],
    [
      'a local version in another province than the adopter',
      async () => ({ adoptedAsId: await fx.innovation({ regencyCode: '33.26' }) }),
      [['input.adoptedAsId', 'BAD_USER_INPUT']],
    ],
    [
      'a local version already taken by another replication',
      async () => {
        const taken = await fx.innovation({ regencyCode: '35.15' });
        const other = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15' });
        await api.sql(`update replication set adopted_as_id = ? where id = ?`, [dbId(taken), dbId(other)]);
        return { adoptedAsId: taken };
      },
      [['input.adoptedAsId', 'CONFLICT']],
    ],
    ['an externalId without its registry', () => ({ externalId: 'R-1' }), [['input.registry', 'BAD_USER_INPUT']]],
    [
      'a registry id already recorded',
      async () => {
        await api.sql(`update replication set registry = 'JIPPNAS', external_id = 'R-TAKEN' where id = ?`, [
          dbId(await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15' })),
        ]);
        return { registry: 'JIPPNAS', externalId: 'R-TAKEN' };
      },
      [['input.externalId', 'CONFLICT']],
    ],
  ];

  it.each(INVALID)('refuses %s with userErrors naming the field, and writes nothing', async (_name, change, errors) => {
    const input = { ...base(), ...(await change(base())) };
    const before = await fx.picture();
    const result = await api.run(RECORD_REPLICATION, { input }, VIEWERS.jatimOperator);
    expect(result.body).toEqual(failed('recordReplication', 'replication', errors));
    expect(await fx.picture()).toEqual(before);
  });

  describe('self-adoption', () => {
    // kakeku-datang belongs to Pemerintah Kabupaten Gresik (35.25), klinik-bumdes to the province of Jawa Timur
    // (35), rumah-belajar to a ministry (national).
    const CASES: [string, string, Record<string, unknown>, string, boolean][] = [
      ['kakeku-datang', 'its own regency', { scope: 'REGENCY', regencyCode: '35.25' }, 'REPLICATION', false],
      ['kakeku-datang', 'its own regency', { scope: 'REGENCY', regencyCode: '35.25' }, 'DISSEMINATION', false],
      ['kakeku-datang', 'its own regency', { scope: 'REGENCY', regencyCode: '35.25' }, 'SCALING_UP', true],
      ['kakeku-datang', 'its own regency, naming the owner', { scope: 'REGENCY', regencyCode: '35.25', institutionId: 'owner' }, 'REPLICATION', false],
      ['kakeku-datang', 'its own regency, by another unit', { scope: 'REGENCY', regencyCode: '35.25', institutionId: 'unit' }, 'REPLICATION', true],
      ['kakeku-datang', 'its province', { scope: 'PROVINCE', provinceCode: '35' }, 'REPLICATION', true],
      ['kakeku-datang', 'a neighbouring regency', { scope: 'REGENCY', regencyCode: '35.24' }, 'REPLICATION', true],
      ['klinik-bumdes', 'its own province', { scope: 'PROVINCE', provinceCode: '35' }, 'REPLICATION', false],
      ['klinik-bumdes', 'its own province', { scope: 'PROVINCE', provinceCode: '35' }, 'SCALING_UP', true],
      ['klinik-bumdes', 'its whole province (PROVINCE_WIDE: the regencies too)', { scope: 'PROVINCE_WIDE', provinceCode: '35' }, 'REPLICATION', true],
      ['rumah-belajar', 'the nation (it is national already)', { scope: 'NATIONAL' }, 'REPLICATION', false],
      ['rumah-belajar', 'the nation (it is national already)', { scope: 'NATIONAL' }, 'SCALING_UP', true],
    ];

    it.each(CASES)('%s adopted by %s as %s: recorded %s', async (key, _adopter, adopter, kind, recorded) => {
      const resolved = { ...adopter };
      if (adopter.institutionId === 'owner') resolved.institutionId = await institution('Pemerintah Kabupaten Gresik');
      if (adopter.institutionId === 'unit') {
        const [{ id }] = await api.sql<{ id: number }>(
          `insert into institution (name, kind, province_code, regency_code, dataset) values ('Dinas Kesehatan Kabupaten Gresik', 'REGIONAL_AGENCY', '35', '35.25', 'IMPORTED')
           on conflict (name) do update set name = excluded.name returning id`,
        );
        resolved.institutionId = toGlobalId('Institution', id);
      }
      const input = { sourceId: await referenceInnovation(key), adopter: resolved, kind, year: 2025, sources: SOURCES };
      const result = await api.run(RECORD_REPLICATION, { input }, VIEWERS.ministry);
      if (recorded) {
        expect(result.body).toEqual({ data: { recordReplication: { replication: expect.objectContaining({ kind, status: 'PROPOSED', version: 1 }), userErrors: [], replayed: false } } });
      } else {
        expect(result.body).toEqual(failed('recordReplication', 'replication', [['input.adopter', 'BAD_USER_INPUT']]));
      }
    });
  });
});

describe('Mutation.updateReplicationStatus', () => {
  const S = Object.values(ReplicationStatus);
  const ORDER = ['PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED'];
  const allowed = (from: string, to: string) =>
    from !== 'DISCONTINUED' && (to === 'DISCONTINUED' || ORDER.indexOf(to) > ORDER.indexOf(from));
  const PAIRS = S.flatMap((from) => S.map((to) => [from, to, allowed(from, to)] as const));

  it('allows exactly the forward moves and DISCONTINUED from an open status', () => {
    expect(PAIRS.filter(([, , ok]) => ok).map(([from, to]) => `${from}>${to}`)).toEqual([
      'PROPOSED>COMMITTED', 'PROPOSED>IMPLEMENTED', 'PROPOSED>INSTITUTIONALIZED', 'PROPOSED>DISCONTINUED',
      'COMMITTED>IMPLEMENTED', 'COMMITTED>INSTITUTIONALIZED', 'COMMITTED>DISCONTINUED',
      'IMPLEMENTED>INSTITUTIONALIZED', 'IMPLEMENTED>DISCONTINUED',
      'INSTITUTIONALIZED>DISCONTINUED',
    ]);
  });

  it.each(PAIRS)('%s -> %s: allowed %s', async (from, to, ok) => {
    const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15', status: from });
    const before = await fx.picture([{ table: 'replication', id }]);
    const result = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: to } }, VIEWERS.jatimOperator);
    if (ok) {
      expect(result.body).toEqual({ data: { updateReplicationStatus: { replication: expect.objectContaining({ id, status: to, version: 2 }), userErrors: [], replayed: false } } });
    } else {
      expect(result.body).toEqual(failed('updateReplicationStatus', 'replication', [['input.status', 'BAD_USER_INPUT']]));
      expect(await fx.picture([{ table: 'replication', id }])).toEqual(before);
    }
  });

  it('records when it happened and adds the sources given, once each', async () => {
    const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15' });
    const committed = await api.run(
      UPDATE_REPLICATION_STATUS,
      { input: { id, version: 1, status: 'COMMITTED', on: '2025-02-01', sources: ['https://example.org/replikasi', 'SK Bupati 12/2025'] } },
      VIEWERS.jatimOperator,
    );
    expect(committed.body).toEqual({
      data: {
        updateReplicationStatus: {
          replication: expect.objectContaining({
            status: 'COMMITTED',
            committedOn: '2025-02-01',
            implementedOn: null,
            version: 2,
            provenance: expect.objectContaining({
              sources: [
                { label: 'https://example.org/replikasi', url: 'https://example.org/replikasi' },
                { label: 'SK Bupati 12/2025', url: null },
              ],
            }),
          }),
          userErrors: [],
          replayed: false,
        },
      },
    });
    const implemented = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 2, status: 'IMPLEMENTED', on: '2025-09-01' } }, VIEWERS.jatimOperator);
    expect(implemented.body.data).toEqual({
      updateReplicationStatus: expect.objectContaining({ replication: expect.objectContaining({ committedOn: '2025-02-01', implementedOn: '2025-09-01', version: 3 }) }),
    });
  });

  it('refuses a date for a status that has none, rather than dropping it', async () => {
    const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15', status: 'IMPLEMENTED' });
    const before = await fx.picture([{ table: 'replication', id }]);
    const result = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'INSTITUTIONALIZED', on: '2025-12-01' } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual(failed('updateReplicationStatus', 'replication', [['input.on', 'BAD_USER_INPUT']]));
    expect(await fx.picture([{ table: 'replication', id }])).toEqual(before);
  });

  it('refuses a stale version as a CONFLICT and overwrites nothing', async () => {
    const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15' });
    await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'COMMITTED' } }, VIEWERS.jatimOperator);
    const before = await fx.picture([{ table: 'replication', id }]);
    const stale = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'DISCONTINUED' } }, VIEWERS.jatimOperator);
    expect(stale.body).toEqual(failed('updateReplicationStatus', 'replication', [['input.version', 'CONFLICT']]));
    expect(await fx.picture([{ table: 'replication', id }])).toEqual(before);
  });

  it.each([
    ['an unknown id', toGlobalId('Replication', 99999), 'NOT_FOUND'],
    ['a malformed id', '!!', 'BAD_USER_INPUT'],
    ['the id of another type', toGlobalId('Innovation', 1), 'BAD_USER_INPUT'],
  ])('refuses %s as a userError on input.id', async (_name, id, code) => {
    const result = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'COMMITTED' } }, VIEWERS.jatimOperator);
    expect(result.body).toEqual(failed('updateReplicationStatus', 'replication', [['input.id', code]]));
  });

  it('lets only the ministry move a curated REFERENCE replication', async () => {
    const id = await fx.replication(await fx.innovation({ regencyCode: '33.26' }), { regencyCode: '35.15', dataset: 'REFERENCE' });
    const operator = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'COMMITTED' } }, VIEWERS.jatimOperator);
    expect(operator.body).toEqual(refused('updateReplicationStatus', 'FORBIDDEN'));
    const ministry = await api.run(UPDATE_REPLICATION_STATUS, { input: { id, version: 1, status: 'COMMITTED' } }, VIEWERS.ministry);
    expect(ministry.body.data).toEqual({ updateReplicationStatus: { replication: expect.objectContaining({ status: 'COMMITTED', version: 2 }), userErrors: [], replayed: false } });
  });
});

describe('Mutation.designateHub', () => {
  const decree = { kind: 'MINISTERIAL_DECREE', number: '501', year: 2026, title: 'Penetapan Hub JIPP Tahun 2026', issuedOn: '2026-05-04' };

  it('designates a province, then changes the designation given the version read', async () => {
    const provinceCode = await fx.provinceWithoutHub();
    const created = await api.run(
      DESIGNATE_HUB,
      { input: { provinceCode, cohortYear: 2026, stage: 'COMMITTED', committedOn: '2026-02-01', sources: SOURCES } },
      VIEWERS.ministry,
    );
    const hub = {
      id: expect.any(String),
      province: { code: provinceCode },
      cohortYear: 2026,
      stage: 'COMMITTED',
      isPilot: false,
      committedOn: '2026-02-01',
      designatedOn: null,
      version: 1,
      instrument: null,
      provenance: { dataset: 'IMPORTED', confidence: 'REPORTED', sources: [{ label: SOURCES[0], url: SOURCES[0] }], note: null },
    };
    expect(created.body).toEqual({ data: { designateHub: { hub, userErrors: [], replayed: false } } });
    const id = (created.body.data as { designateHub: { hub: { id: string } } }).designateHub.hub.id;

    const legalInstruments = await fx.count('legal_instrument');
    const updated = await api.run(
      DESIGNATE_HUB,
      { input: { provinceCode, cohortYear: 2026, stage: 'DESIGNATED', committedOn: '2026-02-01', designatedOn: '2026-05-04', instrument: decree, version: 1, sources: SOURCES, confidence: 'CONFIRMED' } },
      VIEWERS.ministry,
    );
    expect(updated.body).toEqual({
      data: {
        designateHub: {
          hub: {
            ...hub,
            id,
            stage: 'DESIGNATED',
            designatedOn: '2026-05-04',
            version: 2,
            instrument: { ...decree, issuer: 'Menteri PANRB' },
            provenance: { ...hub.provenance, confidence: 'CONFIRMED' },
          },
          userErrors: [],
          replayed: false,
        },
      },
    });
    expect(await fx.count('legal_instrument')).toBe(legalInstruments + 1);
    expect(await fx.count('hub', 'province_code = ?', [provinceCode])).toBe(1);
  });

  it('reuses a decree already recorded', async () => {
    const legalInstruments = await fx.count('legal_instrument');
    const [existing] = await api.sql<Record<string, unknown>>(`select kind, number, year, title, issuer from legal_instrument where key = 'KEPMENPANRB-94-2020'`);
    const result = await api.run(
      DESIGNATE_HUB,
      { input: { provinceCode: await fx.provinceWithoutHub(), cohortYear: 2026, stage: 'DESIGNATED', instrument: existing, sources: SOURCES } },
      VIEWERS.ministry,
    );
    expect(result.body.data).toEqual({ designateHub: { hub: expect.objectContaining({ instrument: expect.objectContaining({ number: '94', year: 2020 }) }), userErrors: [], replayed: false } });
    expect(await fx.count('legal_instrument')).toBe(legalInstruments);
  });

  it('refuses to change a hub without its version, or with a stale one, and writes nothing (not even a new decree)', async () => {
    const [{ id, version }] = await api.sql<{ id: number; version: number }>(`select id, version from hub where province_code = '33'`);
    const hub = toGlobalId('Hub', id);
    const input = { provinceCode: '33', cohortYear: 2020, stage: 'DESIGNATED', instrument: { ...decree, number: '777' }, sources: SOURCES };
    const before = await fx.picture([{ table: 'hub', id: hub }]);
    const missing = await api.run(DESIGNATE_HUB, { input }, VIEWERS.ministry);
    expect(missing.body).toEqual(failed('designateHub', 'hub', [['input.version', 'CONFLICT']]));
    const stale = await api.run(DESIGNATE_HUB, { input: { ...input, version: version - 1 } }, VIEWERS.ministry);
    expect(stale.body).toEqual(failed('designateHub', 'hub', [['input.version', 'CONFLICT']]));
    expect(await fx.picture([{ table: 'hub', id: hub }])).toEqual(before);
  });

  const INVALID: [string, Record<string, unknown>, [string | null, string][]][] = [
    ['a malformed province code', { provinceCode: 'x' }, [['input.provinceCode', 'BAD_USER_INPUT']]],
    ['an unknown province', { provinceCode: '99' }, [['input.provinceCode', 'NOT_FOUND']]],
    ['a cohort year before 2015', { cohortYear: 2014 }, [['input.cohortYear', 'BAD_USER_INPUT']]],
    ['no sources', { sources: [] }, [['input.sources', 'BAD_USER_INPUT']]],
    ['a DESIGNATED hub without its decree', { stage: 'DESIGNATED' }, [['input.instrument', 'BAD_USER_INPUT']]],
    ['a decree with a blank number', { stage: 'DESIGNATED', instrument: { ...decree, number: ' ' } }, [['input.instrument.number', 'BAD_USER_INPUT']]],
    ['a decree year out of range', { stage: 'DESIGNATED', instrument: { ...decree, year: 1900 } }, [['input.instrument.year', 'BAD_USER_INPUT']]],
  ];

  it.each(INVALID)('refuses %s with userErrors naming the field, and writes nothing', async (_name, change, errors) => {
    const provinceCode = await fx.provinceWithoutHub();
    const before = await fx.picture();
    const result = await api.run(DESIGNATE_HUB, { input: { provinceCode, cohortYear: 2026, stage: 'COMMITTED', sources: SOURCES, ...change } }, VIEWERS.ministry);
    expect(result.body).toEqual(failed('designateHub', 'hub', errors));
    expect(await fx.picture()).toEqual(before);
  });
});

describe('Mutation.createMentoringProgramme', () => {
  it("records a university's programme for its own university when universityId is left out", async () => {
    const input = {
      year: 2026,
      provinceCode: '61',
      periodStart: '2026-03-01',
      periodEnd: '2026-06-30',
      commitmentSignedOn: '2026-07-15',
      recommendedBy: 'IAPA',
      outputs: ['Rencana aksi replikasi'],
      sources: SOURCES,
    };
    const result = await api.run(CREATE_PROGRAMME, { input }, VIEWERS.untan);
    expect(result.body).toEqual({
      data: {
        createMentoringProgramme: {
          programme: {
            id: expect.any(String),
            year: 2026,
            province: { code: '61' },
            university: { acronym: 'UNTAN' },
            otherPartner: null,
            periodStart: '2026-03-01',
            periodEnd: '2026-06-30',
            periodPrecision: 'day',
            commitmentSignedOn: '2026-07-15',
            recommendedBy: 'IAPA',
            outputs: ['Rencana aksi replikasi'],
            version: 1,
            provenance: { dataset: 'IMPORTED', confidence: 'REPORTED', sources: [{ label: SOURCES[0], url: SOURCES[0] }], note: null },
          },
          userErrors: [],
          replayed: false,
        },
      },
    });
  });

  it('records a programme of a partner that is not a university, for the ministry', async () => {
    const result = await api.run(CREATE_PROGRAMME, { input: { year: 2020, provinceCode: '51', otherPartner: 'GIZ TRANSFORMASI', sources: SOURCES } }, VIEWERS.ministry);
    expect(result.body.data).toEqual({
      createMentoringProgramme: { programme: expect.objectContaining({ university: null, otherPartner: 'GIZ TRANSFORMASI', periodPrecision: null, outputs: [] }), userErrors: [], replayed: false },
    });
  });

  const INVALID: [string, Record<string, unknown>, [string | null, string][]][] = [
    ['a year before 2015', { year: 2014 }, [['input.year', 'BAD_USER_INPUT']]],
    ['a malformed province code', { provinceCode: '6' }, [['input.provinceCode', 'BAD_USER_INPUT']]],
    ['an unknown province', { provinceCode: '99' }, [['input.provinceCode', 'NOT_FOUND']]],
    ['an unknown university', { universityId: toGlobalId('University', 99999) }, [['input.universityId', 'NOT_FOUND']]],
    ['a malformed university id', { universityId: 'nope' }, [['input.universityId', 'BAD_USER_INPUT']]],
    ['a period ending before it starts', { periodStart: '2026-06-01', periodEnd: '2026-05-01' }, [['input.periodEnd', 'BAD_USER_INPUT']]],
    ['no sources', { sources: [] }, [['input.sources', 'BAD_USER_INPUT']]],
    ['a blank other partner', { otherPartner: ' ' }, [['input.otherPartner', 'BAD_USER_INPUT']]],
  ];

  it.each(INVALID)('refuses %s with userErrors naming the field, and writes nothing', async (_name, change, errors) => {
    const before = await fx.picture();
    const result = await api.run(CREATE_PROGRAMME, { input: { year: 2026, provinceCode: '61', sources: SOURCES, ...change } }, VIEWERS.ministry);
    expect(result.body).toEqual(failed('createMentoringProgramme', 'programme', errors));
    expect(await fx.picture()).toEqual(before);
  });
});

describe('Mutation.recordMentoringSession', () => {
  let programme: string;
  beforeAll(async () => {
    programme = await fx.programme('UNTAN');
  });

  it('records a session with its mentors (shown to the university itself) and regencies in code order', async () => {
    const input = {
      programmeId: programme,
      heldOn: '2026-01-05',
      mode: 'HYBRID',
      topic: ' Penyusunan rencana aksi ',
      participantCount: 25,
      mentorNames: ['Dr. Rina Mentorwati'],
      regencyCodes: ['61.71', '61.01'],
      sources: ['Notulen pendampingan'],
    };
    const result = await api.run(RECORD_SESSION, { input }, VIEWERS.untan);
    expect(result.body).toEqual({
      data: {
        recordMentoringSession: {
          session: {
            id: expect.any(String),
            heldOn: '2026-01-05',
            mode: 'HYBRID',
            topic: 'Penyusunan rencana aksi',
            participantCount: 25,
            mentorNames: ['Dr. Rina Mentorwati'],
            regencies: [{ code: '61.01' }, { code: '61.71' }],
            programme: { id: programme },
            version: 1,
            provenance: { dataset: 'IMPORTED', confidence: 'REPORTED', sources: [{ label: 'Notulen pendampingan', url: null }], note: null },
          },
          userErrors: [],
          replayed: false,
        },
      },
    });
  });

  const INVALID: [string, () => Record<string, unknown>, [string | null, string][]][] = [
    ['an unknown programme', () => ({ programmeId: toGlobalId('MentoringProgramme', 99999) }), [['input.programmeId', 'NOT_FOUND']]],
    ['a malformed programme id', () => ({ programmeId: '%%' }), [['input.programmeId', 'BAD_USER_INPUT']]],
    ['a programme id of another type', () => ({ programmeId: toGlobalId('University', 1) }), [['input.programmeId', 'BAD_USER_INPUT']]],
    ['a blank topic', () => ({ topic: ' ' }), [['input.topic', 'BAD_USER_INPUT']]],
    ['a negative participant count', () => ({ participantCount: -1 }), [['input.participantCount', 'BAD_USER_INPUT']]],
    ['a blank mentor name', () => ({ mentorNames: ['Dr. Ada', ''] }), [['input.mentorNames[1]', 'BAD_USER_INPUT']]],
    ['a malformed regency code', () => ({ regencyCodes: ['61.7'] }), [['input.regencyCodes[0]', 'BAD_USER_INPUT']]],
    ['an unknown regency', () => ({ regencyCodes: ['61.71', '61.99'] }), [['input.regencyCodes', 'NOT_FOUND']]],
    ['a blank source', () => ({ sources: [' '] }), [['input.sources[0]', 'BAD_USER_INPUT']]],
  ];

  it.each(INVALID)('refuses %s with userErrors naming the field, and writes nothing', async (_name, change, errors) => {
    const before = await fx.picture();
    const result = await api.run(RECORD_SESSION, { input: { programmeId: programme, heldOn: '2026-01-05', mode: 'ONLINE', topic: 'Klinik', ...change() } }, VIEWERS.untan);
    expect(result.body).toEqual(failed('recordMentoringSession', 'session', errors));
    expect(await fx.picture()).toEqual(before);
  });
});
