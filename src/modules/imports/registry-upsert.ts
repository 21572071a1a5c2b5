// Set-based upsert by (registry, external_id): new keys are inserted, IMPORTED rows whose values differ are
// updated (version bumped), equal rows are left alone, and rows owned by another dataset are refused.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RowError } from './import-rows';

export interface Column<T> {
  name: string;
  type: 'text' | 'varchar' | 'int' | 'boolean' | 'text[]';
  value: (row: T) => unknown;
}

export async function upsertByRegistryId<T extends { registry: string; externalId: string }>(
  em: EntityManager,
  table: 'innovation' | 'replication',
  columns: Column<T>[],
  rows: { line: number; row: T }[],
  errors: RowError[],
): Promise<{ inserted: number; updated: number; unchanged: number }> {
  if (rows.length === 0) return { inserted: 0, updated: 0, unchanged: 0 };
  const existing = await em.execute<{ key: string; dataset: string }[]>(
    `select registry || '|' || external_id as key, dataset from ${table}
     where registry is not null and registry || '|' || external_id = any(?::text[])`,
    [`{${rows.map(({ row }) => `"${`${row.registry}|${row.externalId}`.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`],
  );
  const datasets = new Map(existing.map((e) => [e.key, e.dataset]));
  const fresh: T[] = [];
  const known: T[] = [];
  for (const { line, row } of rows) {
    const dataset = datasets.get(`${row.registry}|${row.externalId}`);
    if (dataset === undefined) fresh.push(row);
    else if (dataset === 'IMPORTED') known.push(row);
    else errors.push({ line, field: 'externalId', code: 'CONFLICT', message: `${row.registry} ${row.externalId} is a ${dataset} record; imports do not change it.` });
  }
  const all: Column<T>[] = [
    { name: 'registry', type: 'text', value: (r) => r.registry },
    { name: 'external_id', type: 'text', value: (r) => r.externalId },
    ...columns,
  ];
  const tuple = `(${all.map((c) => `?::${c.type}`).join(', ')})`;
  const bindings = (list: T[]) => list.flatMap((row) => all.map((c) => c.value(row))) as never[];
  let inserted = 0;
  if (fresh.length) {
    const result = await em.execute(
      `insert into ${table} (${all.map((c) => c.name).join(', ')}, dataset) select *, 'IMPORTED' from (values ${fresh.map(() => tuple).join(', ')}) v returning 1`,
      bindings(fresh),
    );
    inserted = result.length;
  }
  let updated = 0;
  if (known.length) {
    const names = columns.map((c) => c.name);
    const result = await em.execute(
      `update ${table} t set ${names.map((n) => `${n} = v.${n}`).join(', ')}, version = t.version + 1, updated_at = now()
       from (values ${known.map(() => tuple).join(', ')}) as v (${all.map((c) => c.name).join(', ')})
       where t.registry = v.registry and t.external_id = v.external_id and t.dataset = 'IMPORTED'
         and (${names.map((n) => `t.${n}`).join(', ')}) is distinct from (${names.map((n) => `v.${n}`).join(', ')})
       returning 1`,
      bindings(known),
    );
    updated = result.length;
  }
  return { inserted, updated, unchanged: known.length - updated };
}
