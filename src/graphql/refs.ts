import type { Ref } from '@mikro-orm/core';

/** Loads a many-to-one reference through the ORM's per-request dataloader (one query per batch). */
export async function loadRef<T extends object>(ref: Ref<T> | null | undefined): Promise<T | null> {
  if (!ref) return null;
  return ((await ref.load()) as T | null) ?? null;
}
