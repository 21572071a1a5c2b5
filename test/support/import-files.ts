// Generated import files for tests and measurements: deterministic, valid rows spread over real regencies.
import fs from 'node:fs';

const REGENCIES = ['35.25', '35.15', '33.74', '32.75', '51.08', '73.22', '61.71', '13.71', '19.05', '76.05'];

export type ImportRecord = Record<string, string | number>;

export function innovationRecord(i: number): ImportRecord {
  const regency = REGENCIES[i % REGENCIES.length];
  return {
    registry: 'IGA',
    externalId: `IGA-${String(i).padStart(7, '0')}`,
    title: `Inovasi Impor ${i}`,
    owner: `Pemerintah Uji Impor ${regency}`,
    regencyCode: regency,
    launchYear: 2015 + (i % 10),
    stage: ['INISIATIF', 'UJI_COBA', 'PENERAPAN'][i % 3],
    isDigital: i % 2 === 0 ? 'true' : 'false',
    sources: 'https://iga.example/laporan|Laporan IGA',
  };
}

/** Replication i adopts innovation i (see innovationRecord) in a regency three places further on. */
export function replicationRecord(i: number): ImportRecord {
  const adopter = REGENCIES[(i + 3) % REGENCIES.length];
  return {
    registry: 'JIPPNAS',
    externalId: `R-${String(i).padStart(7, '0')}`,
    sourceRegistry: 'IGA',
    sourceExternalId: `IGA-${String(i).padStart(7, '0')}`,
    adopterScope: 'REGENCY',
    adopterRegencyCode: adopter,
    kind: 'REPLICATION',
    status: ['PROPOSED', 'COMMITTED', 'IMPLEMENTED'][i % 3],
    year: 2020 + (i % 5),
    facilitatingHubCode: adopter.slice(0, 2),
    sources: 'https://jippnas.example/replikasi',
  };
}

/** The same record as a mutation takes it: typed values, sources as a list. */
export function asMutationRow(record: ImportRecord): Record<string, unknown> {
  const { isDigital, sources, ...rest } = record;
  return { ...rest, ...(isDigital === undefined ? {} : { isDigital: isDigital === 'true' }), sources: String(sources).split('|') };
}

export function writeCsv(file: string, records: ImportRecord[]): void {
  const columns = Object.keys(records[0]);
  const escape = (v: unknown) => (/[",\n]/.test(String(v ?? '')) ? `"${String(v).replace(/"/g, '""')}"` : String(v ?? ''));
  const lines = [columns.join(','), ...records.map((r) => columns.map((c) => escape(r[c])).join(','))];
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

export function writeJsonl(file: string, records: object[]): void {
  fs.writeFileSync(file, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
}
