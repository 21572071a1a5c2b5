// Transactions that lose a deadlock (or a serialization conflict) to a concurrent writer are rolled back by
// PostgreSQL and are safe to run again from the start. Writers meet on the rollup rows (see the Rollups
// migration): two import batches that insert and update overlapping region-years can lock them in
// opposite orders. Such a transaction is retried a few times, after a short random pause.
import { DeadlockException } from '@mikro-orm/core';

export const MAX_TRANSACTION_ATTEMPTS = 4;

export function isTransactionConflict(error: unknown): boolean {
  return error instanceof DeadlockException;
}

export async function retryConflicts<T>(run: () => Promise<T>, attempts = MAX_TRANSACTION_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!isTransactionConflict(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
