// Idempotent bulk upsert: inserts new rows, updates rows whose values differ, leaves equal rows alone,
// so re-running a seed changes nothing. Returns the number of rows inserted or changed.
import type { EntityManager } from '@mikro-orm/postgresql';

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
  // Only rows whose key is new are inserted: "insert ... on conflict do update" would draw a sequence value
  // for every row on every run, so ids would jump each time the seed is re-applied.
  const existing = new Set(
    (await em.execute<Row[]>(knex(options.table).select(options.conflict))).map((row) => keyOf(options.conflict, row)),
  );
  let changed = 0;
  let types: Map<string, string> | undefined;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    const fresh = chunk.filter((row) => !existing.has(keyOf(options.conflict, row)));
    const known = chunk.filter((row) => existing.has(keyOf(options.conflict, row)));
    if (fresh.length) {
      const values = fresh.map((row) => columns.map((c) => sqlValue(row[c])));
      const placeholders = values.map((v) => `(${v.map(() => '?').join(', ')})`).join(', ');
      const sql = `insert into ${options.table} (${columns.join(', ')}) values ${placeholders} returning 1`;
      changed += (await em.execute(knex.raw(sql, values.flat() as never[]))).length;
    }
    if (known.length && updatable.length) {
      types ??= await columnTypes(em, options.table);
      const casts = columns.map((c) => `?::${types!.get(c)}`).join(', ');
      const values = known.map((row) => columns.map((c) => sqlValue(row[c])));
      const placeholders = values.map(() => `(${casts})`).join(', ');
      const sets = [
        ...updatable.map((c) => `${c} = v.${c}`),
        'updated_at = now()',
        ...(options.versioned ? [`version = ${options.table}.version + 1`] : []),
      ];
      const sql =
        `update ${options.table} set ${sets.join(', ')} from (values ${placeholders}) as v (${columns.join(', ')}) ` +
        `where ${options.conflict.map((c) => `${target(c)} = v.${c}`).join(' and ')} ` +
        `and (${updatable.map(target).join(', ')}) is distinct from (${updatable.map((c) => `v.${c}`).join(', ')}) returning 1`;
      changed += (await em.execute(knex.raw(sql, values.flat() as never[]))).length;
    }
  }
  return changed;
}

/** Column types of a table, so the values of an update-from-values are typed like the columns. */
async function columnTypes(em: EntityManager, table: string): Promise<Map<string, string>> {
  const rows = await em.execute<{ name: string; type: string }[]>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
     where attrelid = ?::regclass and attnum > 0 and not attisdropped`,
    [table],
  );
  return new Map(rows.map((r) => [r.name, r.type]));
}

function keyOf(columns: string[], row: Row): string {
  return JSON.stringify(columns.map((c) => (row[c] === null || row[c] === undefined ? null : String(row[c]))));
}

/** Reads back the generated ids of rows by their natural key. */
export async function idsByKey(em: EntityManager, table: string, keyColumn: string): Promise<Map<string, number>> {
  const rows = await em.execute<{ id: number; key: string }[]>(
    em.getKnex()(table).select('id', `${keyColumn} as key`).whereNotNull(keyColumn),
  );
  return new Map(rows.map((r) => [String(r.key), r.id]));
}

/** knex expands JS arrays into lists, so arrays travel as PostgreSQL array literals ('{"a","b"}') instead. */
function sqlValue(value: unknown): unknown {
  return Array.isArray(value) ? `{${value.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}` : value;
}
