// The rows an import accepts, from CSV (all text), JSON Lines (typed) or the import mutations: checked and
// coerced with zod, so every bad value is reported with its field. Unknown fields are errors, not ignored:
// a misspelt column would otherwise import rows without the value it was meant to carry.
import { z } from 'zod';
import { hasNul, LIST_LIMITS, NUL_MESSAGE, TEXT_LIMITS as MAX } from '../../writes/text-limits';

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);
// PostgreSQL text cannot hold NUL: without this check one such value would fail its whole batch.
const string = (max: number) => z.string().trim().min(1).max(max).refine((s) => !hasNul(s), NUL_MESSAGE);
const text = (max: number) => z.preprocess(blankToUndefined, string(max));
const optionalText = (max: number) => z.preprocess(blankToUndefined, string(max).optional());
const integer = (min: number, max: number) => z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max));
const optionalInteger = (min: number, max: number) => z.preprocess(blankToUndefined, z.coerce.number().int().min(min).max(max).optional());
const optionalBoolean = z.preprocess((v) => {
  const value = blankToUndefined(v);
  if (typeof value === 'string') return { true: true, false: false, '1': true, '0': false }[value.toLowerCase()] ?? value;
  return value;
}, z.boolean().optional());
/** A list in JSON, or '|'-separated in a CSV cell. */
const sources = z.preprocess(
  (v) => (typeof v === 'string' ? v.split('|').map((s) => s.trim()).filter(Boolean) : v),
  z.array(string(MAX.source)).min(1).max(LIST_LIMITS.sources),
);
const optionalEnum = <T extends readonly [string, ...string[]]>(values: T) => z.preprocess(blankToUndefined, z.enum(values).optional());
const provinceCode = z.preprocess(blankToUndefined, z.string().regex(/^\d{2}$/, 'a two-digit province code such as "35"').optional());
const regencyCode = z.preprocess(blankToUndefined, z.string().regex(/^\d{2}\.\d{2}$/, 'a regency code such as "35.25"').optional());
const registry = z.enum(['KIPP', 'IGA', 'INOLAN', 'JIPPNAS', 'OTHER']);
const confidence = z.preprocess(
  (v) => blankToUndefined(typeof v === 'string' ? v.toUpperCase() : v),
  z.enum(['CONFIRMED', 'REPORTED', 'UNCONFIRMED']).default('REPORTED'),
);

export const innovationRow = z.strictObject({
  registry,
  externalId: text(MAX.externalId),
  title: text(MAX.title),
  summary: optionalText(MAX.summary),
  owner: text(MAX.institutionName),
  provinceCode,
  regencyCode,
  launchYear: optionalInteger(1945, 2100),
  stage: optionalEnum(['INISIATIF', 'UJI_COBA', 'PENERAPAN']),
  isDigital: optionalBoolean,
  category: optionalText(MAX.category),
  sustainability: optionalEnum(['CONTINUING', 'STOPPED']),
  sources,
  confidence,
  note: optionalText(MAX.note),
});
export type InnovationRow = z.infer<typeof innovationRow>;

export const replicationRow = z.strictObject({
  registry,
  externalId: text(MAX.externalId),
  sourceRegistry: registry,
  sourceExternalId: text(MAX.externalId),
  adopterScope: z.enum(['NATIONAL', 'PROVINCE', 'PROVINCE_WIDE', 'REGENCY']),
  adopterProvinceCode: provinceCode,
  adopterRegencyCode: regencyCode,
  kind: z.enum(['REPLICATION', 'SCALING_UP', 'DISSEMINATION']),
  status: z.preprocess(blankToUndefined, z.enum(['PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED']).default('PROPOSED')),
  year: integer(1990, 2100),
  implementationYear: optionalInteger(1990, 2100),
  facilitatingHubCode: provinceCode,
  sources,
  confidence,
  note: optionalText(MAX.note),
});
export type ReplicationRow = z.infer<typeof replicationRow>;

export type ImportKind = 'innovations' | 'replications';

export const ROW_SCHEMAS = { innovations: innovationRow, replications: replicationRow } as const;

/** The fields of a kind, and which of them a row must have (a CSV header must name those). */
export function rowFields(kind: ImportKind): { known: string[]; required: string[] } {
  const shape: Record<string, z.ZodType> = ROW_SCHEMAS[kind].shape;
  const known = Object.keys(shape);
  return { known, required: known.filter((name) => !shape[name].safeParse(undefined).success) };
}

export type RowErrorCode = 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN';

export interface RowError {
  line: number;
  field: string | null;
  code: RowErrorCode;
  message: string;
}

export function parseRow<T>(schema: z.ZodType<T>, line: number, raw: unknown): { row: T } | { errors: RowError[] } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { row: parsed.data };
  return {
    errors: parsed.error.issues.flatMap((issue): RowError[] =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => ({ line, field: key, code: 'BAD_USER_INPUT', message: `Unknown field "${key}".` }))
        : [{ line, field: issue.path.join('.') || null, code: 'BAD_USER_INPUT', message: issue.message }],
    ),
  };
}
