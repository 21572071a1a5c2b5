// What the import engine needs to know about one kind of record: its row schema, where its region is, the
// checks that need the database, and the columns it writes.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { Viewer } from '../../auth/viewer';
import type { ImportKind, RowError } from './import-rows';
import type { Column } from './registry-upsert';

/** Codes that rows are checked against, loaded once per import. */
export interface Reference {
  provinces: Set<string>;
  regencies: Set<string>;
  /** Hub id by province code. */
  hubs: Map<string, number>;
}

export interface LineRow<T> {
  line: number;
  row: T;
}

/** What a target's database checks work with: the codes loaded once, the caller, and the report's errors. */
export interface PrepareContext {
  reference: Reference;
  viewer: Viewer;
  errors: RowError[];
}

export interface ImportTarget<T extends { registry: string; externalId: string }> {
  kind: ImportKind;
  table: 'innovation' | 'replication';
  entityType: string;
  schema: z.ZodType<T>;
  /** The row fields that name its region (checked against the reference and the caller's scope). */
  regionFields: { province: keyof T & string; regency: keyof T & string };
  /** The stored column whose province decides who may change an existing row. */
  scopeColumn: string;
  /**
   * Checks that need the database (including the records a row points at, against the caller's scope);
   * reports failures into the context's errors and returns the rows to write.
   */
  prepare(em: EntityManager, rows: LineRow<T>[], context: PrepareContext): Promise<{ ready: LineRow<T>[]; columns: Column<T>[] }>;
}

export async function loadReference(em: EntityManager): Promise<Reference> {
  // One after another: inside a transaction they share one connection.
  const provinces = await em.execute<{ code: string }[]>('select code from province');
  const regencies = await em.execute<{ code: string }[]>('select code from regency');
  const hubs = await em.execute<{ code: string; id: number }[]>('select province_code as code, id from hub where province_code is not null');
  return {
    provinces: new Set(provinces.map((p) => p.code)),
    regencies: new Set(regencies.map((r) => r.code)),
    hubs: new Map(hubs.map((h) => [h.code, h.id])),
  };
}
