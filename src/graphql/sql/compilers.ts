// The field compilers most fields are made of: a column, a global id, a reference, a list of related rows,
// a lookup by key, the object over the same row. Compilers of one feature live beside its fields.
import type { GraphQLObjectType } from 'graphql';
import { sql, type SqlFragment } from '../../db/sql';
import type { FieldCall, FieldCompiler } from './field-sql';
import type { Planner } from './planner';

/** The context key under which a row alias keeps how to select its rows as a set (see rowsOf). */
const ROW_KEYS = 'keys';

/** Selects `column` of every row an alias stands for: all of a list's rows, the one row of a lookup. */
export type RowKeys = (column: string) => SqlFragment;

/**
 * Records that `row` stands for a known set of rows, so that fields computed over many rows at once
 * (statistics, diffusion, ancestors) can run one CTE over all of them instead of one subquery per row.
 */
export function knownRows(q: Planner, row: SqlFragment, keys: RowKeys): void {
  q.setContext(row, ROW_KEYS, keys);
}

/** The set `row` stands for, when known. */
export function rowsOf(q: Planner, row: SqlFragment): RowKeys | undefined {
  return q.context<RowKeys>(row, ROW_KEYS);
}

/** A column of the parent row, written into JSON as PostgreSQL types it. */
export const column =
  (name: string): FieldCompiler =>
  (_call, row) =>
    sql`${row}.${sql.raw(name)}`;

/** base64url of a text, without padding or the line breaks encode() puts every 76 characters. */
export function base64url(text: SqlFragment): SqlFragment {
  return sql`translate(encode(convert_to(${text}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
}

/** base64url(`Type:key`) without padding, as src/graphql/global-id.ts writes a global id. */
export function globalIdSql(type: string, key: SqlFragment): SqlFragment {
  return base64url(sql`${`${type}:`} || ${key}`);
}

/** Node.id of any table type: its type name and key column (from @SqlTable). */
export const nodeId: FieldCompiler = (call, row, q) => globalIdSql(call.parentType.name, sql`${row}.${sql.raw(q.table(call.parentType).key)}`);

/** The object the field returns, over the parent's own row (a record's provenance, a replication's adopter). */
export const ownRow: FieldCompiler = (call, row, q) => q.object(q.returnType(call), call.nodes, row);

/**
 * The object of the field's return type (a @SqlTable) whose `targetColumn` (its key, unless given) equals
 * the parent row's `column`; null when there is none.
 */
export const reference =
  (column: string, targetColumn?: string): FieldCompiler =>
  (call, row, q) => {
    const type = q.returnType(call);
    const { table, key } = q.table(type);
    const t = q.alias();
    return sql`(select ${q.object(type, call.nodes, t)} from ${sql.raw(table)} ${t} where ${t}.${sql.raw(targetColumn ?? key)} = ${row}.${sql.raw(column)})`;
  };

export interface ByKeyOptions {
  /** The type to look up (default: the field's return type). */
  type?: GraphQLObjectType;
  /** The field is abstract (node): a walked answer names the object's type. */
  abstract?: boolean;
  /** Other keys looked up beside this one (nodes(ids:)): fields computed over a set run once for all. */
  siblings?: readonly (string | number)[];
}

/** A root field's object by key (null when there is none); the key already checked by the caller. */
export function byKey(call: FieldCall, q: Planner, value: string | number, options: ByKeyOptions = {}): SqlFragment {
  const type = options.type ?? q.returnType(call);
  const { table, key } = q.table(type);
  const t = q.alias();
  const set = options.siblings ?? [value];
  const where = set.length === 1 ? sql`${sql.raw(key)} = ${set[0]}` : sql`${sql.raw(key)} in (${sql.join(set.map((v) => sql`${v}`))})`;
  knownRows(q, t, (keyColumn) => sql`select ${sql.raw(keyColumn)} from ${sql.raw(table)} where ${where}`);
  const object = options.abstract ? q.abstractObject(type, call.nodes, t) : q.object(type, call.nodes, t);
  return sql`(select ${object} from ${sql.raw(table)} ${t} where ${t}.${sql.raw(key)} = ${value})`;
}

/** A JSON array of objects over `from` (rows aliased `t`), ordered; '[]' when empty. */
export function jsonArray(q: Planner, call: FieldCall, t: SqlFragment, from: SqlFragment, orderBy: SqlFragment): SqlFragment {
  return sql`(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${orderBy}), '[]') from ${from})`;
}

/**
 * A list of the return type's rows whose `foreignKey` equals the parent row's `column`, ordered by columns
 * of the listed rows; `where` narrows it over the listed row's alias.
 */
export const list =
  (foreignKey: string, column: string, orderBy: readonly string[], where?: (call: FieldCall, t: SqlFragment) => SqlFragment | null): FieldCompiler =>
  (call, row, q) => {
    const { table } = q.table(q.returnType(call));
    const t = q.alias();
    const parentKeys = rowsOf(q, row);
    if (parentKeys) {
      knownRows(q, t, (keyColumn) => {
        const k = q.alias();
        const extra = where?.(call, k);
        return sql`select ${k}.${sql.raw(keyColumn)} from ${sql.raw(table)} ${k} where ${k}.${sql.raw(foreignKey)} in (${parentKeys(column)})${extra ? sql` and ${extra}` : sql``}`;
      });
    }
    const extra = where?.(call, t);
    const order = sql.join(orderBy.map((c) => sql`${t}.${sql.raw(c)}`));
    return jsonArray(q, call, t, sql`${sql.raw(table)} ${t} where ${t}.${sql.raw(foreignKey)} = ${row}.${sql.raw(column)}${extra ? sql` and ${extra}` : sql``}`, order);
  };

/**
 * A plain (unpaged) top-level list of a filtered query's rows, `matches` selecting every column of the
 * table under `alias`: the rows are a CTE, known as a set to the fields computed over all of them.
 */
export function matchesList(call: FieldCall, q: Planner, matches: SqlFragment, orderBy: (row: SqlFragment) => SqlFragment): SqlFragment {
  const cte = q.cte(matches);
  const t = q.alias();
  knownRows(q, t, (keyColumn) => sql`select ${sql.raw(keyColumn)} from ${cte}`);
  return jsonArray(q, call, t, sql`${cte} ${t}`, orderBy(t));
}

/** A field whose value is a constant of the plan (an argument echoed back, a value of the caller). */
export const constant = (value: string | number | boolean | null, type: 'text' | 'int' | 'boolean'): SqlFragment =>
  sql`${value}::${sql.raw(type)}`;
