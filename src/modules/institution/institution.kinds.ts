// Institutions named in the reference facts: owners of innovations, adopting units, ministry hubs.
// The kind follows the name, the way Indonesian public bodies are named.
import { InstitutionKind } from './institution.entity';

const RULES: [RegExp, InstitutionKind][] = [
  [/^Pemerintah Kabupaten\b/, InstitutionKind.REGENCY_GOVERNMENT],
  [/^Pemerintah Kota\b/, InstitutionKind.CITY_GOVERNMENT],
  [/^Pemerintah (Provinsi|Daerah)\b/, InstitutionKind.PROVINCIAL_GOVERNMENT],
  [/^Kementerian\b/, InstitutionKind.MINISTRY],
  [/^(Kepolisian|Polres|Polda)\b/, InstitutionKind.POLICE_UNIT],
  [/^(RSUD|Rumah Sakit)\b/, InstitutionKind.HOSPITAL],
  [/^(Dinas|Balai|Badan .* (Provinsi|Kabupaten|Kota)\b)/, InstitutionKind.REGIONAL_AGENCY],
  [/^(Badan|Lembaga|Mahkamah|Kejaksaan)\b/, InstitutionKind.AGENCY],
  [/^Universitas\b/, InstitutionKind.UNIVERSITY],
];

export function classifyInstitution(name: string): InstitutionKind {
  return RULES.find(([pattern]) => pattern.test(name))?.[1] ?? InstitutionKind.OTHER;
}

export interface InstitutionDraft {
  name: string;
  kind: InstitutionKind;
  provinceCode: string | null;
  regencyCode: string | null;
  sources: Set<string>;
  note: string | null;
}

/** Collects institutions by name, merging the sources of every record that names one. */
export class InstitutionBook {
  private readonly byName = new Map<string, InstitutionDraft>();

  add(name: string, regionCode: string | null, sources: string[], kind = classifyInstitution(name)): void {
    const existing = this.byName.get(name);
    if (existing) {
      sources.forEach((s) => existing.sources.add(s));
      return;
    }
    this.byName.set(name, {
      name,
      kind,
      provinceCode: regionCode ? regionCode.slice(0, 2) : null,
      regencyCode: regionCode && regionCode.length === 5 ? regionCode : null,
      sources: new Set(sources),
      note: null,
    });
  }

  all(): InstitutionDraft[] {
    return [...this.byName.values()];
  }
}
