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
/** Digits only, as text or as a number: "2015" and 2015, never "20x5", "2e3", "0x7DF" or " 2,015". */
const digits = (value: unknown) => {
  const v = blankToUndefined(value);
  return typeof v === 'string' && /^\s*-?\d{1,9}\s*$/.test(v) ? Number(v) : v;
};
const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? 'is required' : `must be a whole number from ${min} to ${max}`) })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be from ${min} to ${max}` })
    .max(max, { error: `must be from ${min} to ${max}` });
const integer = (min: number, max: number) => z.preprocess(digits, wholeNumber(min, max));
const optionalInteger = (min: number, max: number) => z.preprocess(digits, wholeNumber(min, max).optional());
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
  /** The value at fault as the row gave it (as text, shortened), when one field is at fault. */
  value?: string | null;
}

const MAX_ECHO = 100;

/** A row's value as text for a report: strings as they are, anything else as JSON; long ones shortened. */
export function echo(value: unknown): string | null {
  if (value === undefined) return null;
  // A NUL shown as the six characters \u0000: an idempotent import keeps its report in PostgreSQL, which
  // stores no NUL (a text or a JSON string holding one failed the whole call with a 500).
  const text = (typeof value === 'string' ? value : JSON.stringify(value)).replaceAll('\u0000', '\\u0000');
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

function sentence(field: string, message: string): string {
  const text = /^[a-z]/.test(message) ? `${field} ${message}` : `${field}: ${message}`;
  return text.endsWith('.') ? text : `${text}.`;
}

export function parseRow<T>(schema: z.ZodType<T>, line: number, raw: unknown): { row: T } | { errors: RowError[] } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { row: parsed.data };
  const valueAt = (key: PropertyKey | undefined) =>
    key !== undefined && raw !== null && typeof raw === 'object' ? echo((raw as Record<PropertyKey, unknown>)[key]) : null;
  return {
    errors: parsed.error.issues.flatMap((issue): RowError[] => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ line, field: key, code: 'BAD_USER_INPUT', message: `Unknown field "${key}".`, value: valueAt(key) }));
      }
      const field = issue.path.map(String).join('.') || null;
      const value = valueAt(issue.path[0]);
      // Messages name the field, so that they read on their own (a log line, a rejects file).
      const message =
        field === null ? issue.message : value === null && issue.path.length === 1 ? `${field} is required.` : sentence(field, issue.message);
      return [{ line, field, code: 'BAD_USER_INPUT', message, value }];
    }),
  };
}
