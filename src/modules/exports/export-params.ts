// What can be exported, and the filters of each: the same names as the GraphQL list filters (query
// parameters over HTTP, --kebab-case options on the command line). Kept free of the ORM and the schema,
// so that `jipp export --help` loads nothing else; export-specs.ts checks the values.

export const EXPORT_KINDS = ['innovations', 'replications', 'mentoring-programmes'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export type ParamKind = 'text' | 'int' | 'bool' | 'list' | 'time';

export interface ExportParam {
  /** The query parameter, as the GraphQL filter names it. */
  name: string;
  kind: ParamKind;
  description: string;
}

const updatedSince: ExportParam = {
  name: 'updatedSince',
  kind: 'time',
  description: 'only records changed at or after this time (ISO 8601), to pull what changed since the last export',
};

export const EXPORT_PARAMS: Record<ExportKind, ExportParam[]> = {
  innovations: [
    { name: 'search', kind: 'text', description: 'full-text search of title and summary (Indonesian)' },
    { name: 'provinceCode', kind: 'text', description: 'located in this province, e.g. 35' },
    { name: 'regencyCode', kind: 'text', description: 'located in this regency or city, e.g. 35.25' },
    { name: 'registry', kind: 'text', description: 'KIPP, IGA, INOLAN, JIPPNAS or OTHER' },
    { name: 'yearFrom', kind: 'int', description: 'launched in or after this year' },
    { name: 'yearTo', kind: 'int', description: 'launched in or before this year' },
    { name: 'hasAward', kind: 'bool', description: 'true: with an award; false: without' },
    { name: 'awardTier', kind: 'text', description: 'with an award of this tier, e.g. TOP_99' },
    { name: 'hasReplications', kind: 'bool', description: 'true: replicated at least once; false: never' },
    { name: 'dataset', kind: 'text', description: 'REFERENCE, IMPORTED or DEMO' },
    updatedSince,
  ],
  replications: [
    { name: 'sourceProvinceCode', kind: 'text', description: 'province of the source innovation' },
    { name: 'sourceRegencyCode', kind: 'text', description: 'regency of the source innovation' },
    { name: 'adopterProvinceCode', kind: 'text', description: 'province of the adopter (regency adopters included)' },
    { name: 'adopterRegencyCode', kind: 'text', description: 'regency of the adopter' },
    { name: 'adopterScope', kind: 'list', description: 'NATIONAL, PROVINCE, PROVINCE_WIDE, REGENCY; several separated by commas' },
    { name: 'kind', kind: 'list', description: 'REPLICATION, SCALING_UP, DISSEMINATION; several separated by commas' },
    { name: 'status', kind: 'list', description: 'PROPOSED, COMMITTED, IMPLEMENTED, INSTITUTIONALIZED, DISCONTINUED; several separated by commas' },
    { name: 'yearFrom', kind: 'int', description: 'in or after this year' },
    { name: 'yearTo', kind: 'int', description: 'in or before this year' },
    { name: 'facilitatingHubCode', kind: 'text', description: 'province code of the facilitating hub' },
    { name: 'dataset', kind: 'text', description: 'REFERENCE, IMPORTED or DEMO' },
    updatedSince,
  ],
  'mentoring-programmes': [
    { name: 'year', kind: 'int', description: 'programmes of this year' },
    { name: 'provinceCode', kind: 'text', description: 'hub province mentored, e.g. 61' },
    { name: 'universityId', kind: 'text', description: 'global id of the partner university (universities { id acronym })' },
    updatedSince,
  ],
};

/** The command-line option of a parameter: provinceCode -> --province, sourceRegencyCode -> --source-regency. */
export function flagOf(param: ExportParam): string {
  return param.name.replace(/Code$/, '').replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** What a record of each export is, for messages and file names. */
export const EXPORT_TITLES: Record<ExportKind, string> = {
  innovations: 'innovations',
  replications: 'replications',
  'mentoring-programmes': 'mentoring programmes with their sessions',
};
