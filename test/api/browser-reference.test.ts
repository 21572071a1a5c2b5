// The reference data dashboards need: sourced map points for every province and regency, the published
// counts (KIPP registrations, JIPPNas records), and the audit log reachable by id for the ministry only.
import fs from 'node:fs';
import path from 'node:path';
import { toGlobalId } from '../../src/graphql/global-id';
import { dataOf, openTestApi, type TestApi } from '../support/harness';
import { VIEWERS } from '../support/viewers';

let api: TestApi;

const CENTROIDS = JSON.parse(fs.readFileSync(path.join(__dirname, '../../seeds/reference/region-centroids.json'), 'utf8')) as {
  about: { source: string; commit: string };
  provinces: Record<string, [number, number]>;
  regencies: Record<string, [number, number]>;
};
const SOURCE = `${CENTROIDS.about.source}/tree/${CENTROIDS.about.commit}`;

beforeAll(async () => {
  api = await openTestApi();
});

afterAll(async () => {
  await api.close();
});

describe('Province.centroid and Regency.centroid', () => {
  it('places every province and every regency at the point of the seed file, with its source, in one statement', async () => {
    const result = await api.run(`{
      provinces { code centroid { lat lon } regencies { code centroid { lat lon } } }
    }`);
    const provinces = dataOf(result).provinces as { code: string; centroid: { lat: number; lon: number }; regencies: { code: string; centroid: { lat: number; lon: number } }[] }[];
    expect(result.statements).toBe(1);
    expect(provinces).toHaveLength(38);
    const provincePoints = Object.fromEntries(provinces.map((p) => [p.code, [p.centroid.lat, p.centroid.lon]]));
    const regencyPoints = Object.fromEntries(provinces.flatMap((p) => p.regencies.map((r) => [r.code, [r.centroid.lat, r.centroid.lon]])));
    expect(provincePoints).toEqual(CENTROIDS.provinces);
    expect(regencyPoints).toEqual(CENTROIDS.regencies);
    expect(Object.keys(regencyPoints)).toHaveLength(514);
  });

  it('says where a point comes from and how sure it is', async () => {
    const result = await api.run(`{ regency(code: "35.25") { name centroid { lat lon provenance { dataset confidence sources { label url } note } } } }`);
    expect(result.body).toEqual({
      data: {
        regency: {
          name: 'KABUPATEN GRESIK',
          centroid: {
            lat: -6.926257,
            lon: 112.558646,
            provenance: { dataset: 'REFERENCE', confidence: 'REPORTED', sources: [{ label: SOURCE, url: SOURCE }], note: expect.stringContaining('centroid') },
          },
        },
      },
    });
  });

  it('is null for a region without a sourced point', async () => {
    await api.sql(`delete from region_centroid where code = '51'`);
    try {
      const result = await api.run(`{ province(code: "51") { name centroid { lat } } }`);
      expect(result.body).toEqual({ data: { province: { name: 'BALI', centroid: null } } });
    } finally {
      await api.sql(`insert into region_centroid (code, lat, lon, dataset, confidence) values ('51', -8.36977, 115.131675, 'REFERENCE', 'REPORTED')`);
    }
  });

  it('refuses a point outside Indonesia', async () => {
    await expect(api.sql(`insert into region_centroid (code, lat, lon, dataset) values ('99', 48.85, 2.35, 'DEMO')`)).rejects.toThrow(/region_centroid_in_indonesia/);
  });
});

describe('Query.referenceCounts', () => {
  it('gives the KIPP registrations per year and the JIPPNas record count, sourced, in one statement', async () => {
    const result = await api.run(`{
      referenceCounts(filter: { measures: [KIPP_REGISTRATIONS, JIPPNAS_RECORDS] }) { measure year value provenance { confidence } }
    }`);
    expect(result.statements).toBe(1);
    const kipp = (year: number, value: number) => ({ measure: 'KIPP_REGISTRATIONS', year, value, provenance: { confidence: 'REPORTED' } });
    expect(result.body).toEqual({
      data: {
        referenceCounts: [
          { measure: 'JIPPNAS_RECORDS', year: null, value: 2928, provenance: { confidence: 'REPORTED' } },
          kipp(2014, 515),
          kipp(2015, 1189),
          kipp(2016, 2476),
          kipp(2017, 3054),
          kipp(2018, 2824),
          kipp(2019, 3156),
          kipp(2020, 3059),
          kipp(2022, 2454),
          kipp(2023, 3110),
        ],
      },
    });
  });

  it('keeps the sources and what the source does not say', async () => {
    const result = await api.run(`{ referenceCounts(filter: { measures: [IGA_INNOVATIONS], yearFrom: 2020, yearTo: 2020 }) { id value provenance { sources { url } note } } }`);
    const [count] = dataOf(result).referenceCounts as { id: string; value: number; provenance: { sources: { url: string }[]; note: string } }[];
    expect(count.value).toBe(17779);
    expect(count.provenance.note).toContain('another source says 14,897');
    expect(count.provenance.sources.map((s) => s.url)).toContain('https://daelpos.com/?p=117267');
    const byId = await api.run(`query($id: ID!) { node(id: $id) { ... on ReferenceCount { measure year value } } }`, { id: count.id });
    expect(byId.body).toEqual({ data: { node: { measure: 'IGA_INNOVATIONS', year: 2020, value: 17779 } } });
  });

  it('refuses an empty list of measures as BAD_USER_INPUT', async () => {
    const result = await api.run(`{ referenceCounts(filter: { measures: [] }) { value } }`);
    expect(result.body).toEqual({
      data: null,
      errors: [
        {
          message: 'filter.measures, when given, names at least one measure.',
          locations: [{ line: 1, column: 3 }],
          path: ['referenceCounts'],
          extensions: { code: 'BAD_USER_INPUT', argument: 'filter.measures' },
        },
      ],
    });
  });
});

describe('AuditEvent as a Node', () => {
  let id: string;

  beforeAll(async () => {
    const [row] = await api.sql<{ id: number }>(`insert into audit_event (role, action, entity_type, entity_id) values ('MINISTRY_ADMIN', 'test.audit', 'Province', 'x') returning id`);
    id = toGlobalId('AuditEvent', row.id);
  });

  it('is reachable by its global id for the ministry, the id it lists it under', async () => {
    const listed = await api.run(`{ auditEvents(first: 1) { nodes { id action } } }`, {}, VIEWERS.ministry);
    expect(listed.body).toEqual({ data: { auditEvents: { nodes: [{ id, action: 'test.audit' }] } } });
    const result = await api.run(`query($id: ID!) { node(id: $id) { __typename id ... on AuditEvent { action entityType } } }`, { id }, VIEWERS.ministry);
    expect(result.body).toEqual({ data: { node: { __typename: 'AuditEvent', id, action: 'test.audit', entityType: 'Province' } } });
  });

  it.each([
    ['anonymous callers', 'public', 'UNAUTHENTICATED'],
    ['a hub operator', 'jatimOperator', 'FORBIDDEN'],
    ['an integration', 'integration', 'FORBIDDEN'],
  ] as const)('is refused to %s by id as by list', async (_who, viewer, code) => {
    const result = await api.run(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [id] }, VIEWERS[viewer]);
    expect(result.body).toEqual({
      data: null,
      errors: [{ message: expect.any(String), locations: [{ line: 1, column: 23 }], path: ['nodes'], extensions: { code } }],
    });
  });
});
