// Idempotent bulk upsert: inserts new rows, updates rows whose values differ, leaves equal rows alone,
// so re-running a seed changes nothing. Returns the number of rows inserted or changed.
import type { EntityManager } from '@mikro-orm/postgresql';
import { pgArray } from '../src/db/sql';

export interface UpsertOptions {
  table: string;
  /** Columns of the unique constraint that identifies a row. */
  conflict: string[];
  /** Bumped on change, for tables with optimistic locking. */
  versioned?: boolean;
}

export type Row = Record<string, unknown>;

export async function upsert(em: EntityManager, options: UpsertOptions, rows: Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const knex = em.getKnex();
  const columns = Object.keys(rows[0]);
  const updatable = columns.filter((c) => !options.conflict.includes(c));
  const target = (c: string) => `${options.table}.${c}`;
  let changed = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((row) => columns.map((c) => sqlValue(row[c])));
    const placeholders = chunk.map((values) => `(${values.map(() => '?').join(', ')})`).join(', ');
    const sets = [
      ...updatable.map((c) => `${c} = excluded.${c}`),
      'updated_at = now()',
      ...(options.versioned ? [`version = ${options.table}.version + 1`] : []),
    ];
    const differs = updatable.length
      ? `where (${updatable.map(target).join(', ')}) is distinct from (${updatable.map((c) => `excluded.${c}`).join(', ')})`
      : 'where false';
    const sql =
      `insert into ${options.table} (${columns.join(', ')}) values ${placeholders} ` +
      `on conflict (${options.conflict.join(', ')}) do update set ${sets.join(', ')} ${differs} returning 1`;
    const result = await em.execute(knex.raw(sql, chunk.flat() as never[]));
    changed += result.length;
  }
  return changed;
}

/** Reads back the generated ids of rows by their natural key. */
export async function idsByKey(em: EntityManager, table: string, keyColumn: string): Promise<Map<string, number>> {
  const rows = await em.execute<{ id: number; key: string }[]>(
    em.getKnex()(table).select('id', `${keyColumn} as key`).whereNotNull(keyColumn),
  );
  return new Map(rows.map((r) => [String(r.key), r.id]));
}

/** knex expands JS arrays into lists, so arrays travel as PostgreSQL array literals instead. */
function sqlValue(value: unknown): unknown {
  return Array.isArray(value) ? pgArray(value) : value;
}
