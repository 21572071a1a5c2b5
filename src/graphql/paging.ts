// Keyset paging arguments: first/after or last/before, checked, with cursors decoded for the ordering they
// were made for. Pages themselves are cut in SQL (src/graphql/sql/connection.ts).
import type { SqlFragment } from '../db/sql';
import { BadUserInputError } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export interface SortKey {
  /** SQL expression over the list's table alias; never null (wrap nullable columns in coalesce). */
  sql: SqlFragment;
  type: 'number' | 'string';
}

export interface Ordering {
  /** Name stored in cursors, so a cursor of one ordering is never used with another. */
  name: string;
  direction: 'asc' | 'desc';
  /** Sort keys; the last one must be unique (the primary key). */
  keys: SortKey[];
}

export interface PageRequest {
  limit: number;
  backward: boolean;
  cursor: (string | number)[] | null;
}

export function pageRequest(args: PageArgs, ordering: Ordering): PageRequest {
  const { first, last, after, before } = args;
  if (first != null && last != null) {
    throw new BadUserInputError('Pass either first or last, not both.', 'first');
  }
  if (after != null && before != null) {
    throw new BadUserInputError('Pass either after or before, not both.', 'after');
  }
  for (const [name, value] of [['first', first], ['last', last]] as const) {
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new BadUserInputError(`${name} must be between 0 and ${MAX_PAGE_SIZE}; got ${value}.`, name);
    }
  }
  const backward = last != null || (before != null && first == null);
  if (backward && after != null) {
    throw new BadUserInputError('last pages backwards; combine it with before, not after.', 'after');
  }
  if (!backward && before != null) {
    throw new BadUserInputError('first pages forwards; combine it with after, not before.', 'before');
  }
  const cursorText = backward ? before : after;
  const cursor = cursorText == null ? null : decodeCursor(cursorText, ordering, backward ? 'before' : 'after');
  return { limit: (backward ? last : first) ?? DEFAULT_PAGE_SIZE, backward, cursor };
}

/** A cursor as the connection's SQL writes it: base64url of JSON [ordering name, ...sort keys]. */
export function encodeCursor(ordering: Ordering, values: (string | number)[]): string {
  return Buffer.from(JSON.stringify([ordering.name, ...values]), 'utf8').toString('base64url');
}

function decodeCursor(text: string, ordering: Ordering, argument: string): (string | number)[] {
  const invalid = () => new BadUserInputError(`"${text.slice(0, 80)}" is not a valid cursor for this list.`, argument);
  if (text.length > 1024 || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(parsed) || parsed.length !== ordering.keys.length + 1 || parsed[0] !== ordering.name) {
    throw invalid();
  }
  const values = parsed.slice(1);
  ordering.keys.forEach((key, i) => {
    const value = values[i];
    const ok =
      key.type === 'number'
        ? typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
        : typeof value === 'string' && value.length <= 512 && !value.includes('\u0000');
    if (!ok) throw invalid();
  });
  return values as (string | number)[];
}
