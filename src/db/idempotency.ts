// Transactional writes with optional idempotency keys. The key's row is inserted first in the write's own
// transaction: a concurrent duplicate waits on the unique index until the first commits, then replays
// its stored result. The same key with another input is a CONFLICT; a rolled-back write frees its key.
// A write refused with userErrors is rolled back whole: nothing it staged (a new owner, a new decree)
// survives, and its key stays free for the corrected retry.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changeActor, describeChanges } from '../changes/change-actor';
import type { Actor } from '../modules/audit/audit.service';
import { BadUserInputError, ConflictError } from '../errors';
import { hasNul } from '../writes/text-limits';
import { retryConflicts } from './retry';

export interface IdempotentWrite<R> {
  /** Who owns the key space, e.g. "key:12". */
  owner: string;
  /** Who writes: recorded on the write's change events. */
  actor: Actor;
  operation: string;
  key: string | null | undefined;
  input: unknown;
  work: (em: EntityManager) => Promise<R>;
  /** What to store for replays (ids, not entities). */
  save: (result: R) => Record<string, unknown>;
  /** Rebuilds the result of the first call from what was stored. */
  restore: (stored: Record<string, unknown>, em: EntityManager) => Promise<R>;
}

export const MAX_IDEMPOTENCY_KEY = 200;

export function canonicalHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Carries a refused result out of the transaction, so the transaction rolls back. */
class Refused<R> extends Error {
  constructor(readonly result: R) {
    super('write refused with userErrors');
  }
}

const isRefused = (result: unknown): boolean => ((result as { userErrors?: unknown[] } | null)?.userErrors?.length ?? 0) > 0;

/**
 * Refuses a key that cannot be stored: empty, too long, or holding a NUL (which PostgreSQL text cannot
 * hold, so it would fail the insert as a 500). Also for writes that only audit the key (a dry run).
 */
export function checkIdempotencyKey(key: string | null | undefined): void {
  if (key != null && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY || hasNul(key))) {
    throw new BadUserInputError(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY} characters, none of them NUL (U+0000).`, 'idempotencyKey');
  }
}

export async function writeOnce<R>(em: EntityManager, write: IdempotentWrite<R>): Promise<R & { replayed: boolean }> {
  const key = write.key ?? null;
  checkIdempotencyKey(key);
  const hash = canonicalHash(write.input);
  return retryConflicts(() => transact(em, write, key, hash)).catch((error: unknown) => {
    if (error instanceof Refused) return { ...(error.result as R), replayed: false };
    throw error;
  });
}

function transact<R>(em: EntityManager, write: IdempotentWrite<R>, key: string | null, hash: string): Promise<R & { replayed: boolean }> {
  return em.transactional(async (tx) => {
    await describeChanges(tx, changeActor(write.actor), 'row');
    if (key !== null) {
      const claimed = await tx.execute(
        `insert into idempotency_record (owner, operation, key, request_hash) values (?, ?, ?, ?)
         on conflict (owner, operation, key) do nothing returning id`,
        [write.owner, write.operation, key, hash],
      );
      if (claimed.length === 0) {
        const [first] = await tx.execute<{ request_hash: string; response: Record<string, unknown> | null }[]>(
          'select request_hash, response from idempotency_record where owner = ? and operation = ? and key = ?',
          [write.owner, write.operation, key],
        );
        if (first.request_hash !== hash) {
          throw new ConflictError('This idempotencyKey was already used with a different input.', 'idempotencyKey');
        }
        return { ...(await write.restore(first.response ?? {}, tx)), replayed: true };
      }
    }
    const result = await write.work(tx);
    if (isRefused(result)) throw new Refused(result);
    await tx.flush();
    if (key !== null) {
      await tx.execute('update idempotency_record set response = ?::jsonb where owner = ? and operation = ? and key = ?', [
        JSON.stringify(write.save(result)),
        write.owner,
        write.operation,
        key,
      ]);
    }
    return { ...result, replayed: false };
  });
}
