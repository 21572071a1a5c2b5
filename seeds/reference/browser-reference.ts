// Reference data for dashboards: a sourced map point per province and regency (region-centroids.json),
// and the published counts of the innovation system (jipp-reference.json, competitionVolumes), each row
// with its sources, confidence and what the source does not say.
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { upsert, type Row } from '../upsert';
import { readJson, seedFile } from './reference-data';

const point = z.tuple([z.number().min(-12).max(7), z.number().min(94).max(142)]);

const centroidFile = z.object({
  about: z.object({ source: z.string().url(), commit: z.string().regex(/^[0-9a-f]{40}$/), method: z.string(), confidence: z.string() }),
  provinces: z.record(z.string().regex(/^\d{2}$/), point),
  regencies: z.record(z.string().regex(/^\d{2}\.\d{2}$/), point),
});

const grade = z.enum(['confirmed', 'reported', 'unconfirmed']).optional();

const volumes = z.object({
  KIPP: z.array(
    z.object({ year: z.number().int(), registered: z.number().int().nullable().optional(), passedAdministration: z.number().int().optional(), confidence: grade, note: z.string().optional() }),
  ),
  IGA: z.array(
    z.object({ year: z.number().int(), reportingGovernments: z.number().int(), innovations: z.number().int(), confidence: grade, note: z.string().optional() }),
  ),
  JIPPNas: z.object({ launchedOn: z.string(), records: z.number().int(), sources: z.array(z.string()), updatedBy2024_10: z.number().int(), continuing: z.number().int(), stopped: z.number().int() }),
  sources: z.array(z.string().url()).min(1),
});

/** Seeds both tables; returns the rows inserted or changed per table. */
export async function seedBrowserReference(em: EntityManager): Promise<Record<string, number>> {
  return { region_centroid: await seedCentroids(em), reference_count: await seedCounts(em) };
}

async function seedCentroids(em: EntityManager): Promise<number> {
  const file = centroidFile.parse(readJson(seedFile('region-centroids.json')));
  const source = `${file.about.source}/tree/${file.about.commit}`;
  const note = `The lat and lng columns of the source's db/prov and db/kab files (MIT licence). ${file.about.method}`;
  const rows = [...Object.entries(file.provinces), ...Object.entries(file.regencies)].map(([code, [lat, lon]]) => ({
    code,
    lat,
    lon,
    // One maintained public data set, not an official gazetteer.
    dataset: 'REFERENCE',
    confidence: 'REPORTED',
    sources: [source],
    note,
  }));
  return upsert(em, { table: 'region_centroid', conflict: ['code'] }, rows);
}

async function seedCounts(em: EntityManager): Promise<number> {
  const reference = readJson(seedFile('jipp-reference.json')) as { competitionVolumes: unknown };
  const v = volumes.parse(reference.competitionVolumes);
  const whole = 'jipp-reference.json gives these sources for the competition volumes as a whole, not per year.';
  const row = (measure: string, year: number | null, value: number, confidence: string | undefined, note: string | null): Row => ({
    reference_key: `${measure}:${year ?? 'undated'}`,
    measure,
    year,
    value,
    dataset: 'REFERENCE',
    // Figures the file does not grade are REPORTED, as everywhere in the reference seed.
    confidence: (confidence ?? 'reported').toUpperCase(),
    sources: v.sources,
    note: [note, whole].filter(Boolean).join(' '),
  });
  const rows: Row[] = [];
  for (const k of v.KIPP) {
    if (k.registered != null) rows.push(row('KIPP_REGISTRATIONS', k.year, k.registered, k.confidence, k.note ?? null));
    if (k.passedAdministration != null) rows.push(row('KIPP_PASSED_ADMINISTRATION', k.year, k.passedAdministration, k.confidence, k.note ?? null));
  }
  for (const i of v.IGA) {
    rows.push(row('IGA_INNOVATIONS', i.year, i.innovations, i.confidence, i.note ?? null));
    rows.push(row('IGA_REPORTING_GOVERNMENTS', i.year, i.reportingGovernments, i.confidence, null));
  }
  const j = v.JIPPNas;
  rows.push(
    row(
      'JIPPNAS_RECORDS',
      null,
      j.records,
      undefined,
      `JIPPNas was launched on ${j.launchedOn} with records from ${j.sources.join(', ')}; the source gives no date for this count. By October 2024, ${j.updatedBy2024_10} records were updated: ${j.continuing} continuing, ${j.stopped} stopped.`,
    ),
  );
  return upsert(em, { table: 'reference_count', conflict: ['reference_key'] }, rows);
}
