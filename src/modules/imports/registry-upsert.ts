// Set-based upsert by (registry, external_id), a few statements per batch whatever its size: new keys are
// inserted, IMPORTED rows whose values differ are updated (version bumped), equal rows are left alone (no
// new version, no new updated_at), and rows of curated or synthetic data are refused.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RowError } from './import-rows';

export type ColumnType = 'text' | 'int' | 'boolean' | 'text[]';
type Scalar = string | number | boolean | null;

export interface Column<T> {
  name: string;
  type: ColumnType;
  value: (row: T) => Scalar | readonly string[];
}

export interface UpsertCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

interface Keyed {
  registry: string;
  externalId: string;
}

/**
 * One PostgreSQL array literal per column, bound as a single parameter and unnested in SQL: knex would
 * expand a JS array into one parameter per element, and thousands of parameters are slow to bind.
 */
export function arrayLiteral(values: readonly Scalar[]): string {
  return `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(',')}}`;
}

function columnLiteral<T>(column: Column<T>, rows: T[]): string {
  return arrayLiteral(
    rows.map((row) => {
      const value = column.value(row);
      // A list travels as its own array literal inside a text[] and is cast back per row.
      return Array.isArray(value) ? arrayLiteral(value) : (value as Scalar);
    }),
  );
}

/**
 * select <columns> of the rows of <table> stored under the given keys. One index lookup per key: as a
 * plain join, the planner sees a thousand keys and hashes the whole table instead (100 ms at 100,000 rows).
 */
export async function selectByRegistryKeys<R>(em: EntityManager, table: string, columns: string, keys: Keyed[]): Promise<R[]> {
  if (keys.length === 0) return [];
  return em.execute<R[]>(
    `select t.* from unnest(?::text[], ?::text[]) as k(registry, external_id)
       cross join lateral (select ${columns} from ${table} t where t.registry = k.registry and t.external_id = k.external_id limit 1) t`,
    [arrayLiteral(keys.map((r) => r.registry)), arrayLiteral(keys.map((r) => r.externalId))],
  );
}

/** Rows already stored under the batch's keys: their dataset and province. */
async function storedRows(em: EntityManager, table: string, scopeColumn: string, rows: Keyed[]) {
  const found = await selectByRegistryKeys<{ registry: string; external_id: string; dataset: string; province: string | null }>(
    em,
    table,
    `t.registry, t.external_id, t.dataset, t.${scopeColumn} as province`,
    rows,
  );
  return new Map(found.map((f) => [`${f.registry}|${f.external_id}`, f]));
}

/**
 * Refuses rows whose key is stored as REFERENCE or DEMO data (CONFLICT) or in a province the caller may not
 * write (FORBIDDEN: a hub operator cannot take over another province's record by moving it); returns the rest.
 */
export async function refuseStored<T extends Keyed>(
  em: EntityManager,
  table: string,
  scope: { column: string; mayChange: (storedProvince: string | null) => boolean },
  rows: { line: number; row: T }[],
  errors: RowError[],
): Promise<{ line: number; row: T }[]> {
  if (rows.length === 0) return [];
  const stored = await storedRows(em, table, scope.column, rows.map((r) => r.row));
  return rows.filter(({ line, row }) => {
    const existing = stored.get(`${row.registry}|${row.externalId}`);
    if (!existing) return true;
    if (existing.dataset !== 'IMPORTED') {
      errors.push({ line, field: 'externalId', code: 'CONFLICT', message: `${row.registry} ${row.externalId} is a ${existing.dataset} record; imports do not change it.` });
      return false;
    }
    if (!scope.mayChange(existing.province)) {
      errors.push({
        line,
        field: 'externalId',
        code: 'FORBIDDEN',
        message: `${row.registry} ${row.externalId} is stored in province ${existing.province ?? '(national)'}, which your key may not write.`,
      });
      return false;
    }
    return true;
  });
}

export async function upsertByRegistryId<T extends Keyed>(
  em: EntityManager,
  table: 'innovation' | 'replication',
  columns: Column<T>[],
  rows: T[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  // A steady key order makes concurrent imports of overlapping files lock rows in the same order.
  const sorted = [...rows].sort((a, b) => (`${a.registry}|${a.externalId}` < `${b.registry}|${b.externalId}` ? -1 : 1));
  const all: Column<T>[] = [
    { name: 'registry', type: 'text', value: (r) => r.registry },
    { name: 'external_id', type: 'text', value: (r) => r.externalId },
    ...columns,
  ];
  const names = columns.map((c) => c.name);
  // ON CONFLICT, not the lookup in refuseStored, decides insert or update, so two imports racing on a new
  // key cannot fail on the unique index; the WHERE leaves equal rows and other datasets untouched.
  const written = await em.execute<{ inserted: boolean }[]>(
    `insert into ${table} as t (${all.map((c) => c.name).join(', ')}, dataset)
     select ${all.map((c) => (c.type === 'text[]' ? `v.${c.name}::text[]` : `v.${c.name}`)).join(', ')}, 'IMPORTED'
       from unnest(${all.map((c) => `?::${c.type === 'text[]' ? 'text' : c.type}[]`).join(', ')}) as v(${all.map((c) => c.name).join(', ')})
     on conflict (registry, external_id) do update
        set ${names.map((n) => `${n} = excluded.${n}`).join(', ')}, version = t.version + 1, updated_at = now()
      where t.dataset = 'IMPORTED'
        and (${names.map((n) => `t.${n}`).join(', ')}) is distinct from (${names.map((n) => `excluded.${n}`).join(', ')})
     returning (t.xmax = 0) as inserted`,
    all.map((c) => columnLiteral(c, sorted)) as never[],
  );
  const inserted = written.filter((w) => w.inserted).length;
  return { inserted, updated: written.length - inserted, unchanged: rows.length - written.length };
}
