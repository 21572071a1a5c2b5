// Removes the DEMO network: every DEMO row, children first, in one transaction, and nothing else. It
// refuses (changing nothing) when a non-DEMO row points at a DEMO row, because deleting would then
// cascade into or null out that row.
import { escapeIdentifier, type ClientBase } from 'pg';
import { changeSettings, systemActor } from '../../src/changes/change-actor';
import { compactAfterBulkLoad, withSpreadRebuiltAfter } from '../../src/db/rollups';
import { DEMO_DATASET } from './provenance';

/** Tables that can hold DEMO rows, each after the tables that reference it. */
export const DEMO_TABLES = [
  'replication',
  'award',
  'mentoring_session',
  'mentoring_programme',
  'innovation',
  'hub',
  'university',
  'institution',
] as const;

export const DEMO_LOCK = `select pg_advisory_xact_lock(hashtext('jipp-demo-network'))`;

export interface Reference {
  table: string;
  column: string;
  referenced: string;
  rows: number;
}

export class DemoStillReferencedError extends Error {
  constructor(readonly references: Reference[]) {
    super(
      `Not removing the DEMO network: non-DEMO rows point at DEMO rows (${references
        .map((r) => `${r.rows} in ${r.table}.${r.column} -> ${r.referenced}`)
        .join('; ')}). Delete or re-point those rows first.`,
    );
    this.name = 'DemoStillReferencedError';
  }
}

export async function removeDemo(client: ClientBase): Promise<Record<string, number>> {
  await client.query('begin');
  try {
    await client.query(DEMO_LOCK);
    const references = await nonDemoReferences(client);
    if (references.length) throw new DemoStillReferencedError(references);
    const describe = changeSettings(systemActor('DEMO removal'), 'scope');
    await client.query(describe.text, describe.values);
    const removed: Record<string, number> = {};
    await withSpreadRebuiltAfter(
      (sql) => client.query(sql),
      async () => {
        for (const table of DEMO_TABLES) {
          const result = await client.query(`delete from ${table} where dataset = $1`, [DEMO_DATASET]);
          removed[table] = result.rowCount ?? 0;
        }
      },
    );
    await client.query('commit');
    await compactAfterBulkLoad((sql) => client.query(sql));
    return removed;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

/** Foreign keys into the DEMO tables, from any table with a dataset column, that non-DEMO rows use. */
async function nonDemoReferences(client: ClientBase): Promise<Reference[]> {
  const keys = await client.query<{ table: string; column: string; referenced: string; referencedColumn: string }>(
    `select c.conrelid::regclass::text as "table", a.attname as "column",
            c.confrelid::regclass::text as referenced, fa.attname as "referencedColumn"
       from pg_constraint c
       join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
       join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[1]
      where c.contype = 'f' and cardinality(c.conkey) = 1 and c.confrelid = any($1::regclass[])
        and exists (select 1 from pg_attribute d where d.attrelid = c.conrelid and d.attname = 'dataset' and not d.attisdropped)
      order by 1, 2`,
    [DEMO_TABLES],
  );
  const found: Reference[] = [];
  for (const key of keys.rows) {
    const count = await client.query<{ rows: number }>(
      `select count(*)::int as rows from ${key.table} r
        where r.dataset <> $1 and r.${escapeIdentifier(key.column)} in
              (select t.${escapeIdentifier(key.referencedColumn)} from ${key.referenced} t where t.dataset = $1)`,
      [DEMO_DATASET],
    );
    if (count.rows[0].rows > 0) found.push({ table: key.table, column: key.column, referenced: key.referenced, rows: count.rows[0].rows });
  }
  return found;
}
