// One limit per stored text, for every way in: the mutations check their inputs and the import rows their
// fields against the same numbers, so a value one path refuses the other cannot store. No text may hold a
// NUL character (U+0000): PostgreSQL text cannot store one, and it used to fail the statement as a 500.
import type { Checks } from '../graphql/user-errors';

/** Characters a stored text may hold, by what it is. */
export const TEXT_LIMITS = {
  title: 300,
  summary: 5000,
  category: 200,
  note: 2000,
  externalId: 200,
  source: 500,
  institutionName: 300,
  otherPartner: 300,
  recommendedBy: 300,
  output: 500,
  topic: 500,
  mentorName: 200,
  instrumentNumber: 20,
  instrumentTitle: 500,
  instrumentIssuer: 200,
  keyLabel: 200,
} as const;
export type TextKind = keyof typeof TEXT_LIMITS;

/** Items a list of texts may hold. */
export const LIST_LIMITS = { sources: 20, outputs: 20, mentorNames: 50 } as const;

export const NUL_MESSAGE = 'must not contain NUL characters (U+0000)';

export function hasNul(value: string): boolean {
  return value.includes('\u0000');
}

/** A text input: absent is fine unless required; present, it is not blank, not over its limit, and has no NUL. */
export function checkText(checks: Checks, field: string, value: string | null | undefined, kind: TextKind, options: { required?: boolean } = {}): void {
  if (value != null && hasNul(value)) checks.fail(field, `${field} ${NUL_MESSAGE}.`);
  else checks.text(field, value, { required: options.required, max: TEXT_LIMITS[kind] });
}

/** A list of texts: at most `max` items (at least `min`), each checked as checkText does, named by position. */
export function checkTextList(
  checks: Checks,
  field: string,
  values: readonly string[] | null | undefined,
  kind: TextKind,
  counts: { min?: number; max: number },
): void {
  if (values == null) return;
  if (values.length < (counts.min ?? 0)) checks.fail(field, `${field} needs at least ${counts.min} item(s).`);
  if (values.length > counts.max) checks.fail(field, `${field} takes at most ${counts.max} items; got ${values.length}.`);
  else values.forEach((value, i) => checkText(checks, `${field}[${i}]`, value, kind, { required: true }));
}

/** Where the facts come from: one to LIST_LIMITS.sources web addresses or citations. */
export function checkSources(checks: Checks, field: string, values: readonly string[] | null | undefined): void {
  checkTextList(checks, field, values, 'source', { min: 1, max: LIST_LIMITS.sources });
}
