import type { Ref } from '@mikro-orm/core';

/**
 * Loads a many-to-one reference, one statement per batch: through the ORM's per-request dataloader for a
 * managed entity, through the request's lookup by key for a read-only record (src/db/read-rows.ts).
 */
export async function loadRef<T extends object>(ref: Ref<T> | null | undefined): Promise<T | null> {
  if (!ref) return null;
  return ((await ref.load()) as T | null) ?? null;
}
