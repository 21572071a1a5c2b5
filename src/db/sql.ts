// The one way SQL is composed: the `sql` tagged template. The rule for values, written down once:
//
//   A value interpolated into `sql` becomes an escaped literal in the text (pg's escapeLiteral for
//   strings); an interpolated fragment (SqlFragment) is embedded as it is. Nothing else reaches the text.
//
// Why literals, not bound parameters: the reads are a few statement shapes asked again and again with the
// same values (a dashboard's questions). With its values in the text, a statement is planned for those
// values once per connection and kept prepared (src/db/read-pool.ts); bound, PostgreSQL either re-planned
// it on every run or settled on one generic plan, which on this skewed data was slower for the large
// provinces (measured in docs/performance.md). Identifiers of the schema are written as text in the code
// (`sql.raw`) and never come from a request.
import { escapeLiteral } from 'pg';
import { BadUserInputError } from '../errors';

/** A piece of SQL text, safe to embed: made only by the `sql` template and the helpers below. */
export class SqlFragment {
  /** @internal Use the template; a plain string is never SQL. */
  constructor(readonly text: string) {}

  toString(): string {
    return this.text;
  }
}

export type SqlValue = string | number | bigint | boolean | null | undefined | Date;

/** A value as a SQL literal. A string with a NUL character cannot be one: that is the caller's input. */
export function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not a SQL number`);
    // Parenthesised, so that a negative number after a minus sign cannot start a comment (--).
    return value < 0 || Object.is(value, -0) ? `(${value})` : String(value);
  }
  if (value instanceof Date) return escapeLiteral(value.toISOString());
  if (typeof value === 'string') {
    if (value.includes('\u0000')) throw new BadUserInputError('Text values must not contain the NUL character (U+0000).');
    return escapeLiteral(value);
  }
  throw new TypeError(`a value of type ${typeof value} cannot be written into SQL`);
}

export function sql(strings: TemplateStringsArray, ...values: (SqlFragment | SqlValue)[]): SqlFragment {
  let text = strings[0];
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i];
    text += (value instanceof SqlFragment ? value.text : literal(value)) + strings[i + 1];
  }
  return new SqlFragment(text);
}

/** Trusted SQL text written in the code: table and column names, keywords. Never a request's value. */
sql.raw = (text: string): SqlFragment => new SqlFragment(text);

/** Fragments joined by a separator (', ' by default); an empty list is empty text. */
sql.join = (parts: readonly SqlFragment[], separator = ', '): SqlFragment => new SqlFragment(parts.map((p) => p.text).join(separator));

/** A typed array literal, e.g. array['35','36']::text[] (an empty array needs its type). */
sql.array = (values: readonly SqlValue[], type: 'text' | 'int'): SqlFragment => new SqlFragment(`array[${values.map(literal).join(', ')}]::${type}[]`);

/** Conditions joined with `and`; `true` when there are none. */
sql.and = (conditions: readonly SqlFragment[]): SqlFragment => (conditions.length ? sql.join(conditions.map((c) => sql`(${c})`), ' and ') : sql`true`);

export const EMPTY = sql``;
