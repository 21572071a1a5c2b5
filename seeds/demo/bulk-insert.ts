// Bulk INSERT ... SELECT FROM unnest(): one statement per batch of thousands of rows, each column sent as
// one array parameter. Nearly as fast as COPY, needs no extra package, and runs in the caller's transaction.
import type { ClientBase, QueryResultRow } from 'pg';
import { DEMO_CONFIDENCE, DEMO_DATASET } from './provenance';

export type ColumnType = 'text' | 'int' | 'bool' | 'date';
export type ColumnValue = string | number | boolean | null;

export interface Column<T> {
  name: string;
  type: ColumnType;
  value: (row: T) => ColumnValue;
}

export interface InsertSpec<T> {
  table: string;
  columns: readonly Column<T>[];
  /** The provenance every row carries; dataset and confidence are always DEMO and UNCONFIRMED. */
  sources: readonly string[];
  returning?: string;
}

export const BATCH_SIZE = 10_000;

export function column<T>(name: string, type: ColumnType, value: (row: T) => ColumnValue): Column<T> {
  return { name, type, value };
}

export async function insertBatch<T, R extends QueryResultRow = QueryResultRow>(
  client: ClientBase,
  spec: InsertSpec<T>,
  rows: readonly T[],
): Promise<R[]> {
  const names = spec.columns.map((c) => c.name).join(', ');
  const params: unknown[] = [DEMO_DATASET, DEMO_CONFIDENCE, spec.sources];
  const arrays = spec.columns.map((c) => {
    params.push(rows.map(c.value));
    return `$${params.length}::${c.type}[]`;
  });
  const returning = spec.returning ? ` returning ${spec.returning}` : '';
  const sql =
    `insert into ${spec.table} (dataset, confidence, sources, ${names}) ` +
    `select $1, $2, $3::text[], ${names} from unnest(${arrays.join(', ')}) as t(${names})${returning}`;
  const result = await client.query<R>(sql, params);
  return result.rows;
}

/** Inserts `rows` in batches, reporting each batch; returns the RETURNING rows of all batches. */
export async function bulkInsert<T, R extends QueryResultRow = QueryResultRow>(
  client: ClientBase,
  spec: InsertSpec<T>,
  rows: readonly T[],
  onBatch: (rows: number) => void,
): Promise<R[]> {
  const returned: R[] = [];
  for (let start = 0; start < rows.length; start += BATCH_SIZE) {
    const batch = rows.slice(start, start + BATCH_SIZE);
    const out = await insertBatch<T, R>(client, spec, batch);
    for (const row of out) returned.push(row);
    onBatch(batch.length);
  }
  return returned;
}
