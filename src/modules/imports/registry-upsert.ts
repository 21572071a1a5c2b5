// Set-based upsert by (registry, external_id), a few statements per batch whatever its size: new keys are
// inserted, IMPORTED rows in the caller's scope whose values differ are updated (version bumped), equal rows
// are left alone (no new version, no new updated_at), and rows of curated or synthetic data, or outside the
// caller's scope, are refused. The upsert itself decides: a look at the stored rows beforehand cannot see
// rows a concurrent import has not committed yet.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RowError } from './import-rows';
import type { LineRow } from './import-target';

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
 * Which stored rows the caller may change: its province column (named in refusals), and an SQL condition on
 * the stored row (alias t) with its parameters, from the authorization rules.
 */
export interface StoredScope {
  column: string;
  writable: { sql: string; params: (string | null)[] };
}

const keyOf = (row: Keyed) => `${row.registry}|${row.externalId}`;

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
export async function selectByRegistryKeys<R>(
  em: EntityManager,
  table: string,
  columns: string,
  keys: Keyed[],
  columnParams: (string | null)[] = [],
): Promise<R[]> {
  if (keys.length === 0) return [];
  return em.execute<R[]>(
    `select t.* from unnest(?::text[], ?::text[]) as k(registry, external_id)
       cross join lateral (select ${columns} from ${table} t where t.registry = k.registry and t.external_id = k.external_id limit 1) t`,
    [arrayLiteral(keys.map((r) => r.registry)), arrayLiteral(keys.map((r) => r.externalId)), ...columnParams],
  );
}

/** Rows already stored under the batch's keys: their dataset, province, and whether the caller may change them. */
async function storedRows(em: EntityManager, table: string, scope: StoredScope, rows: Keyed[]) {
  const found = await selectByRegistryKeys<{ registry: string; external_id: string; dataset: string; province: string | null; writable: boolean }>(
    em,
    table,
    `t.registry, t.external_id, t.dataset, t.${scope.column} as province, coalesce(${scope.writable.sql}, false) as writable`,
    rows,
    scope.writable.params,
  );
  return new Map(found.map((f) => [`${f.registry}|${f.external_id}`, f]));
}

/**
 * Refuses rows whose key is stored as REFERENCE or DEMO data (CONFLICT) or outside the caller's scope
 * (FORBIDDEN: a hub operator cannot take over another province's record by moving it); returns the rest.
 * Run before the work of a batch, it spares that work for rows refused already; run on the rows the upsert
 * left alone, it says why (under the upsert's row locks, so it sees what the upsert saw).
 */
export async function refuseStored<T extends Keyed>(
  em: EntityManager,
  table: string,
  scope: StoredScope,
  rows: LineRow<T>[],
  errors: RowError[],
): Promise<LineRow<T>[]> {
  if (rows.length === 0) return [];
  const stored = await storedRows(em, table, scope, rows.map((r) => r.row));
  return rows.filter(({ line, row }) => {
    const existing = stored.get(keyOf(row));
    if (!existing) return true;
    if (existing.dataset !== 'IMPORTED') {
      errors.push({ line, field: 'externalId', code: 'CONFLICT', message: `${row.registry} ${row.externalId} is a ${existing.dataset} record; imports do not change it.` });
      return false;
    }
    if (!existing.writable) {
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

/**
 * Inserts new keys and updates stored IMPORTED rows in the caller's scope, in one statement whose ON CONFLICT
 * condition carries the scope: a row another import inserted a moment ago (uncommitted when this batch
 * looked) is changed only if the caller may change it. Rows the statement left alone are refused by
 * refuseStored or, when it finds nothing wrong, were equal to what is stored.
 */
export async function upsertByRegistryId<T extends Keyed>(
  em: EntityManager,
  table: 'innovation' | 'replication',
  scope: StoredScope,
  columns: Column<T>[],
  rows: LineRow<T>[],
  errors: RowError[],
): Promise<UpsertCounts> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  // A steady key order makes concurrent imports of overlapping files lock rows in the same order.
  const sorted = rows.map((r) => r.row).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
  const all: Column<T>[] = [
    { name: 'registry', type: 'text', value: (r) => r.registry },
    { name: 'external_id', type: 'text', value: (r) => r.externalId },
    ...columns,
  ];
  const names = columns.map((c) => c.name);
  // ON CONFLICT, not the lookup in refuseStored, decides insert or update, so two imports racing on a new
  // key cannot fail on the unique index; the WHERE leaves equal rows, other datasets and rows outside the
  // caller's scope untouched (PostgreSQL still locks them, so the refusal below reads them as they are).
  const written = await em.execute<{ registry: string; external_id: string; inserted: boolean }[]>(
    `insert into ${table} as t (${all.map((c) => c.name).join(', ')}, dataset)
     select ${all.map((c) => (c.type === 'text[]' ? `v.${c.name}::text[]` : `v.${c.name}`)).join(', ')}, 'IMPORTED'
       from unnest(${all.map((c) => `?::${c.type === 'text[]' ? 'text' : c.type}[]`).join(', ')}) as v(${all.map((c) => c.name).join(', ')})
     on conflict (registry, external_id) do update
        set ${names.map((n) => `${n} = excluded.${n}`).join(', ')}, version = t.version + 1, updated_at = now()
      where t.dataset = 'IMPORTED'
        and (${scope.writable.sql})
        and (${names.map((n) => `t.${n}`).join(', ')}) is distinct from (${names.map((n) => `excluded.${n}`).join(', ')})
     returning t.registry, t.external_id, (t.xmax = 0) as inserted`,
    [...all.map((c) => columnLiteral(c, sorted)), ...scope.writable.params] as never[],
  );
  const done = new Set(written.map((w) => `${w.registry}|${w.external_id}`));
  const left = rows.filter(({ row }) => !done.has(keyOf(row)));
  const unchanged = await refuseStored(em, table, scope, left, errors);
  const inserted = written.filter((w) => w.inserted).length;
  return { inserted, updated: written.length - inserted, unchanged: unchanged.length };
}
