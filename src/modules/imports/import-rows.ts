// The rows an import accepts, from CSV (all text) or JSON Lines (typed): checked and coerced with zod, so
// every bad value is reported with its field.
import { z } from 'zod';

const blankToUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);
const text = (max: number) => z.preprocess(blankToUndefined, z.string().trim().min(1).max(max));
const optionalText = (max: number) => z.preprocess(blankToUndefined, z.string().trim().min(1).max(max).optional());
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
  z.array(z.string().min(1).max(500)).min(1).max(20),
);
const provinceCode = z.preprocess(blankToUndefined, z.string().regex(/^\d{2}$/, 'a two-digit province code such as "35"').optional());
const regencyCode = z.preprocess(blankToUndefined, z.string().regex(/^\d{2}\.\d{2}$/, 'a regency code such as "35.25"').optional());
const registry = z.enum(['KIPP', 'IGA', 'INOLAN', 'JIPPNAS', 'OTHER']);
const confidence = z.preprocess((v) => blankToUndefined(typeof v === 'string' ? v.toUpperCase() : v), z.enum(['CONFIRMED', 'REPORTED', 'UNCONFIRMED']).default('REPORTED'));

export const innovationRow = z.object({
  registry,
  externalId: text(200),
  title: text(300),
  summary: optionalText(5000),
  owner: text(300),
  provinceCode,
  regencyCode,
  launchYear: optionalInteger(1945, 2100),
  stage: z.preprocess(blankToUndefined, z.enum(['INISIATIF', 'UJI_COBA', 'PENERAPAN']).optional()),
  isDigital: optionalBoolean,
  category: optionalText(200),
  sustainability: z.preprocess(blankToUndefined, z.enum(['CONTINUING', 'STOPPED']).optional()),
  sources,
  confidence,
  note: optionalText(2000),
});
export type InnovationRow = z.infer<typeof innovationRow>;

export const replicationRow = z.object({
  registry,
  externalId: text(200),
  sourceRegistry: registry,
  sourceExternalId: text(200),
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
  note: optionalText(2000),
});
export type ReplicationRow = z.infer<typeof replicationRow>;

export type ImportKind = 'innovations' | 'replications';

export interface RowError {
  line: number;
  field: string | null;
  code: 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN';
  message: string;
}

export function parseRow<T>(schema: z.ZodType<T>, line: number, raw: unknown): { row: T } | { errors: RowError[] } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { row: parsed.data };
  return {
    errors: parsed.error.issues.map((issue) => ({
      line,
      field: issue.path.join('.') || null,
      code: 'BAD_USER_INPUT' as const,
      message: issue.message,
    })),
  };
}
