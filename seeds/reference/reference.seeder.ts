// Seeds the reference data: the official regions and every curated fact, with sources and confidence.
// Idempotent: re-running changes nothing; a corrected fact in the seed files updates its row.
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { idsByKey, upsert, type Row } from '../upsert';
import { describeChanges, systemActor } from '../../src/changes/change-actor';
import { InstitutionBook } from '../../src/modules/institution/institution.kinds';
import { loadReferenceData, type ReferenceConfidence, type ReferenceData, type ReferenceReplication } from './reference-data';
import { packageVersion, readProvinces, readRegencies, titleCase } from './regions';
import { seedBrowserReference } from './browser-reference';

export interface SeedResult {
  changed: number;
  tables: Record<string, number>;
}

const REFERENCE = 'REFERENCE';

/** Records the reference file does not grade are REPORTED: stated by a source, not confirmed. */
function grade(confidence: ReferenceConfidence | undefined): string {
  return (confidence ?? 'reported').toUpperCase();
}

function provenance(confidence: ReferenceConfidence | undefined, sources: string[], note?: string | null): Row {
  return { dataset: REFERENCE, confidence: grade(confidence), sources, note: note ?? null };
}

export async function seedReference(orm: MikroORM): Promise<SeedResult> {
  const { reference, ministryHubs } = loadReferenceData();
  const tables: Record<string, number> = {};
  await orm.em.fork().transactional(async (em) => {
    await em.execute(`select pg_advisory_xact_lock(hashtext('jipp-reference-seed'))`);
    await describeChanges(em, systemActor('reference seed'), 'scope');
    tables.province = await seedRegions(em, tables);
    tables.legal_instrument = await seedLegalInstruments(em, reference);
    const regencyNames = new Map(readRegencies().map((r) => [r.code, titleCase(r.name)]));
    tables.institution = await seedInstitutions(em, reference, ministryHubs, regencyNames);
    tables.hub = await seedHubs(em, reference, ministryHubs);
    tables.innovation = await seedInnovations(em, reference);
    tables.award = await seedAwards(em, reference);
    tables.university = await seedUniversities(em, reference);
    tables.mentoring_programme = await seedProgrammes(em, reference);
    tables.replication = await seedReplications(em, reference, regencyNames);
    Object.assign(tables, await seedBrowserReference(em));
  });
  return { changed: Object.values(tables).reduce((a, b) => a + b, 0), tables };
}

async function seedRegions(em: EntityManager, tables: Record<string, number>): Promise<number> {
  const source = `idn-area-data ${packageVersion()} (official Kemendagri area codes)`;
  const official = { dataset: REFERENCE, confidence: 'CONFIRMED', sources: [source], note: null };
  const provinces = readProvinces().map((p) => ({ code: p.code, name: p.name, ...official }));
  const changed = await upsert(em, { table: 'province', conflict: ['code'] }, provinces);
  const regencies = readRegencies().map((r) => ({
    code: r.code,
    province_code: r.provinceCode,
    name: r.name,
    kind: r.name.startsWith('KOTA ') ? 'KOTA' : 'KABUPATEN',
    ...official,
  }));
  tables.regency = await upsert(em, { table: 'regency', conflict: ['code'] }, regencies);
  return changed;
}

async function seedLegalInstruments(em: EntityManager, reference: ReferenceData): Promise<number> {
  const row = (i: ReferenceData['legalInstruments'][number], basisId: number | null): Row => ({
    key: i.key,
    kind: i.kind,
    number: i.number,
    year: i.year,
    title: i.title,
    issuer: i.issuer,
    legal_basis_id: basisId,
    ...provenance(i.confidence, i.sources, i.note),
  });
  const table = { table: 'legal_instrument', conflict: ['key'] };
  let changed = await upsert(em, table, reference.legalInstruments.filter((i) => !i.legalBasis).map((i) => row(i, null)));
  const ids = await idsByKey(em, 'legal_instrument', 'key');
  const dependent = reference.legalInstruments.filter((i) => i.legalBasis);
  changed += await upsert(em, table, dependent.map((i) => row(i, required(ids, i.legalBasis!, 'legal instrument'))));
  return changed;
}

function adopterUnitName(unit: string, regencyCode: string, regencyNames: Map<string, string>): string {
  return `${unit} ${required(regencyNames, regencyCode, 'regency')}`;
}

async function seedInstitutions(
  em: EntityManager,
  reference: ReferenceData,
  ministryHubs: ReturnType<typeof loadReferenceData>['ministryHubs'],
  regencyNames: Map<string, string>,
): Promise<number> {
  const book = new InstitutionBook();
  for (const innovation of reference.innovations) book.add(innovation.owner, innovation.regionCode, innovation.sources);
  for (const replication of reference.replications) {
    const { adopter } = replication;
    if ('regencyCode' in adopter && adopter.unit) {
      book.add(adopterUnitName(adopter.unit, adopter.regencyCode, regencyNames), adopter.regencyCode, replication.sources);
    }
  }
  const commitment = ministryHubSources(reference);
  for (const hub of ministryHubs.hubs) book.add(hub.name, null, commitment, hub.kind as never);
  const rows = book.all().map((i) => ({
    name: i.name,
    kind: i.kind,
    province_code: i.provinceCode,
    regency_code: i.regencyCode,
    ...provenance(undefined, [...i.sources]),
  }));
  return upsert(em, { table: 'institution', conflict: ['name'] }, rows);
}

function ministryHubSources(reference: ReferenceData): string[] {
  const total = reference.hubTotals.find((t) => t.asOf === '2023-10-20');
  if (!total) throw new Error('jipp-reference.json: the hub total of 2023-10-20 (ministry hubs) is missing');
  return total.sources;
}

async function seedHubs(
  em: EntityManager,
  reference: ReferenceData,
  ministryHubs: ReturnType<typeof loadReferenceData>['ministryHubs'],
): Promise<number> {
  const instruments = await idsByKey(em, 'legal_instrument', 'key');
  const instrumentSources = new Map(reference.legalInstruments.map((i) => [i.key, i.sources]));
  const provinceHubs = reference.hubDesignations.map((h) => {
    const notes = [h.note, h.readinessMeetingOn ? `Readiness meeting on ${h.readinessMeetingOn}.` : null].filter(Boolean);
    const sources = h.sources?.length ? h.sources : (h.instrument ? instrumentSources.get(h.instrument) : undefined) ?? [];
    return {
      province_code: h.provinceCode,
      cohort_year: h.cohortYear,
      stage: h.stage,
      is_pilot: h.pilot ?? false,
      instrument_id: h.instrument ? required(instruments, h.instrument, 'legal instrument') : null,
      committed_on: h.committedOn ?? null,
      ...provenance(h.confidence, sources, notes.length ? notes.join(' ') : null),
    };
  });
  let changed = await upsert(em, { table: 'hub', conflict: ['province_code'], versioned: true }, provinceHubs);
  const institutions = await idsByKey(em, 'institution', 'name');
  const sources = ministryHubSources(reference);
  const ministryRows = ministryHubs.hubs.map((h) => ({
    institution_id: required(institutions, h.name, 'institution'),
    cohort_year: ministryHubs.cohortYear,
    stage: 'COMMITTED',
    is_pilot: false,
    instrument_id: null,
    committed_on: ministryHubs.committedOn,
    // One regional news report names the twelve: reported, not confirmed.
    ...provenance('reported', sources, `Named "${h.abbreviation}" in the joint commitment of ${ministryHubs.committedOn}.`),
  }));
  changed += await upsert(em, { table: 'hub', conflict: ['institution_id'], versioned: true }, ministryRows);
  return changed;
}

async function seedInnovations(em: EntityManager, reference: ReferenceData): Promise<number> {
  const institutions = await idsByKey(em, 'institution', 'name');
  const rows = reference.innovations.map((i) => ({
    reference_key: i.key,
    title: i.title,
    owner_id: required(institutions, i.owner, 'institution'),
    province_code: i.regionCode ? i.regionCode.slice(0, 2) : null,
    regency_code: i.regionCode && i.regionCode.length === 5 ? i.regionCode : null,
    ...provenance(i.confidence, i.sources, i.note),
  }));
  return upsert(em, { table: 'innovation', conflict: ['reference_key'], versioned: true }, rows);
}

async function seedAwards(em: EntityManager, reference: ReferenceData): Promise<number> {
  const innovations = await idsByKey(em, 'innovation', 'reference_key');
  const rows = reference.innovations.flatMap((i) =>
    i.awards.map((a) => ({
      innovation_id: required(innovations, i.key, 'innovation'),
      competition: a.competition,
      year: a.year,
      tier: a.tier,
      ...provenance(a.confidence, i.sources),
    })),
  );
  return upsert(em, { table: 'award', conflict: ['innovation_id', 'competition', 'year', 'tier'] }, rows);
}

async function seedUniversities(em: EntityManager, reference: ReferenceData): Promise<number> {
  const rows = reference.universities.map((u) => {
    const mentions = reference.mentoringProgrammes.filter((p) => p.partner === u.key).flatMap((p) => p.sources ?? []);
    return { acronym: u.key, name: u.name, province_code: u.provinceCode, ...provenance(undefined, [...new Set(mentions)]) };
  });
  return upsert(em, { table: 'university', conflict: ['acronym'] }, rows);
}

export function programmeKey(year: number, provinceCode: string, partner: string | null): string {
  return `${year}-${provinceCode}-${partner ?? 'partner-not-public'}`;
}

function lastDayOfMonth(month: string): string {
  const [year, m] = month.split('-').map(Number);
  const day = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(day).padStart(2, '0')}`;
}

async function seedProgrammes(em: EntityManager, reference: ReferenceData): Promise<number> {
  const universities = await idsByKey(em, 'university', 'acronym');
  const rows = reference.mentoringProgrammes.map((p) => {
    const hasSources = (p.sources?.length ?? 0) > 0;
    const note = hasSources
      ? p.note
      : [p.note, 'The reference file gives no source of its own; the sources are those of the 2021 mentoring scope.']
          .filter(Boolean)
          .join('. ');
    return {
      reference_key: programmeKey(p.year, p.provinceCode, p.partner),
      year: p.year,
      province_code: p.provinceCode,
      university_id: p.partner ? required(universities, p.partner, 'university') : null,
      period_start: p.period ? `${p.period.from}-01` : null,
      period_end: p.period ? lastDayOfMonth(p.period.to) : null,
      period_precision: p.period ? 'month' : null,
      commitment_signed_on: p.commitmentSignedOn ?? null,
      recommended_by: p.recommendedBy ?? null,
      ...provenance(p.confidence, hasSources ? p.sources! : reference.mentoringContext.sources, note),
    };
  });
  return upsert(em, { table: 'mentoring_programme', conflict: ['reference_key'], versioned: true }, rows);
}

export function replicationKey(r: ReferenceReplication): string {
  const a = r.adopter;
  const adopter =
    'scope' in a ? 'NATIONAL' : 'provinceCode' in a ? `${a.provinceCode}${a.allRegencies ? '*' : ''}` : `${a.regencyCode}${a.unit ? `/${a.unit}` : ''}`;
  return `${r.source}>${adopter}:${r.kind}:${r.year}`;
}

async function seedReplications(em: EntityManager, reference: ReferenceData, regencyNames: Map<string, string>): Promise<number> {
  const innovations = await idsByKey(em, 'innovation', 'reference_key');
  const institutions = await idsByKey(em, 'institution', 'name');
  const hubs = await idsByKey(em, 'hub', 'province_code');
  const programmes = await idsByKey(em, 'mentoring_programme', 'reference_key');
  const rows = reference.replications.map((r) => {
    const a = r.adopter;
    const scope = 'scope' in a ? 'NATIONAL' : 'provinceCode' in a ? (a.allRegencies ? 'PROVINCE_WIDE' : 'PROVINCE') : 'REGENCY';
    const regencyCode = 'regencyCode' in a ? a.regencyCode : null;
    const provinceCode = 'provinceCode' in a ? a.provinceCode : regencyCode ? regencyCode.slice(0, 2) : null;
    const unit = 'regencyCode' in a && a.unit ? adopterUnitName(a.unit, a.regencyCode, regencyNames) : null;
    const mentoring = r.mentoredBy
      ? required(programmes, programmeKey(r.year, r.facilitatingHub ?? provinceCode ?? '', r.mentoredBy), 'mentoring programme')
      : null;
    return {
      reference_key: replicationKey(r),
      source_id: required(innovations, r.source, 'innovation'),
      adopter_scope: scope,
      adopter_province_code: provinceCode,
      adopter_regency_code: regencyCode,
      adopter_institution_id: unit ? required(institutions, unit, 'institution') : null,
      kind: r.kind,
      status: r.status,
      year: r.year,
      implementation_year: r.implementationYear ?? null,
      committed_on: r.committedOn ?? null,
      facilitating_hub_id: r.facilitatingHub ? required(hubs, r.facilitatingHub, 'hub') : null,
      mentoring_programme_id: mentoring,
      adopted_as_id: r.adoptedAs ? required(innovations, r.adoptedAs, 'innovation') : null,
      ...provenance(r.confidence, r.sources, r.note),
    };
  });
  return upsert(em, { table: 'replication', conflict: ['reference_key'], versioned: true }, rows);
}

function required<V>(map: Map<string, V>, key: string, what: string): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`Reference data names an unknown ${what}: "${key}"`);
  return value;
}
