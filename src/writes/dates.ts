// Dates a write stores. The LocalDate scalar checks the form (YYYY-MM-DD, a day that exists), not the era:
// PostgreSQL refuses year 0, and the statement failed as a 500. Writes take the years the domain has.
import type { Checks } from '../graphql/user-errors';

export const DATE_RANGE = { from: '1900-01-01', to: '2100-12-31' } as const;

/** A date input: absent is fine; present, it lies within DATE_RANGE (YYYY-MM-DD compares as text). */
export function checkDate(checks: Checks, field: string, value: string | null | undefined): void {
  if (value == null || (value >= DATE_RANGE.from && value <= DATE_RANGE.to)) return;
  checks.fail(field, `${field} must be a date from ${DATE_RANGE.from} to ${DATE_RANGE.to}; got ${value.slice(0, 20)}.`);
}
