// Read-only records for what a request only reads. MikroORM's em.map makes a managed entity per row: it
// defines change-tracking accessors on every instance, creates a managed reference for every relation and
// snapshots the row, about 50 µs a row on these machines (a third of the CPU of a 20-row page). Lists,
// lookups and references that are only read become instances of the same entity class (so type-graphql
// and the getters see the same type) that the ORM does not manage: a few µs a row. Writes never use them:
// they load managed entities with em.findOne.
import { ReferenceKind, type EntityMetadata, type EntityProperty, type Platform } from '@mikro-orm/core';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Context } from '../context';
import { pgArray, runRead, whereAny } from './sql';

type Row = Record<string, unknown>;
type EntityClass<T> = abstract new (...args: never[]) => T;

interface Column {
  field: string;
  prop: string;
  convert?: (value: unknown) => unknown;
  /** Set for many-to-one and owning one-to-one relations: the entity the column points at. */
  target?: EntityClass<object>;
  targetPk?: string;
}

interface Shape {
  proto: object;
  columns: Column[];
  pk: string;
  pkField: string;
  /** The SQL of recordJson, built once per entity. */
  json?: { sql: string; fields: string[] };
}

const shapes = new WeakMap<object, Shape>();

function shapeOf(em: EntityManager, entity: EntityClass<object>): Shape {
  const meta = em.getMetadata().get(entity.name) as EntityMetadata<object>;
  let shape = shapes.get(meta);
  if (shape) return shape;
  const platform = em.getPlatform();
  const columns: Column[] = [];
  for (const prop of meta.props as EntityProperty<object>[]) {
    if (prop.persist === false || prop.lazy || !prop.fieldNames?.length) continue;
    if (prop.kind === ReferenceKind.SCALAR) {
      columns.push({ field: prop.fieldNames[0], prop: prop.name, convert: converter(prop, platform) });
    } else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
      const targetMeta = prop.targetMeta!;
      if (targetMeta.primaryKeys.length !== 1 || prop.fieldNames.length !== 1) {
        throw new Error(`read-rows: ${meta.className}.${prop.name} points at a composite key, which is not supported`);
      }
      columns.push({ field: prop.fieldNames[0], prop: prop.name, target: targetMeta.class as EntityClass<object>, targetPk: targetMeta.primaryKeys[0] });
    }
  }
  // Own writable data properties on the prototype shadow the ORM's tracking setters (defined on the entity
  // prototype), so assigning a column stores a plain value instead of defining accessors on the instance.
  const descriptors: PropertyDescriptorMap = {};
  for (const prop of meta.props) descriptors[prop.name] = { value: undefined, writable: true, enumerable: true, configurable: true };
  const pk = meta.primaryKeys[0];
  shape = {
    proto: Object.create(meta.class.prototype as object, descriptors),
    columns,
    pk,
    pkField: (meta.properties as Record<string, EntityProperty<object>>)[pk].fieldNames[0],
  };
  shapes.set(meta, shape);
  return shape;
}

function converter(prop: EntityProperty<object>, platform: Platform): ((value: unknown) => unknown) | undefined {
  if (prop.customType) {
    const type = prop.customType;
    return (value) => (value == null ? value : type.convertToJSValue(value, platform));
  }
  if (prop.runtimeType === 'Date') return (value) => (typeof value === 'string' ? platform.parseDate(value) : value);
  return undefined;
}

/**
 * A many-to-one reference of a read-only record: what field resolvers use of the ORM's Ref (load, unwrap,
 * the primary key), loading the target as a read-only record through a per-request batch.
 */
export class RowRef<T extends object> {
  [key: string]: unknown;

  constructor(
    private readonly ctx: Context,
    private readonly entity: EntityClass<T>,
    private readonly key: string | number,
    pk: string,
  ) {
    this[pk] = key;
  }

  load(): Promise<T | null> {
    return rowsByPrimaryKey(this.ctx, this.entity).load(this.key);
  }

  /** A reference entity of the ORM with just the key, for code that reads the key through unwrap(). */
  unwrap(): T {
    return this.ctx.em.getReference(this.entity as never, this.key as never) as T;
  }
}

/**
 * Turns rows selected with selectEntity (or any select of the entity's columns) into read-only records.
 * Each record also primes the request's lookup by primary key, so a reference to it costs no statement
 * (what the ORM's identity map did).
 */
export function readRows<T extends object>(ctx: Context, entity: EntityClass<T>, rows: readonly Row[]): T[] {
  const byKey = rowsByPrimaryKey(ctx, entity);
  return rows.map((row) => record(ctx, entity, row, byKey));
}

/** One record from a row holding the entity's columns. */
export function readRow<T extends object>(ctx: Context, entity: EntityClass<T>, row: Row): T {
  return record(ctx, entity, row, rowsByPrimaryKey(ctx, entity));
}

/**
 * A record's columns as one JSON object (null where alias matched no row). pg builds a row object with a
 * parser per column, which for wide rows cost more than PostgreSQL's whole statement; one JSON value per
 * record is parsed natively and yields the same values (text[] as arrays, jsonb as objects, timestamps as
 * ISO text that converts to the same Date).
 */
function recordJson(em: EntityManager, entity: EntityClass<object>, alias: string): Knex.Raw {
  const shape = shapeOf(em, entity);
  if (!shape.json) {
    // json_build_object takes at most 100 arguments: a name and a value per column.
    if (shape.columns.length > 50) throw new Error(`read-rows: ${entity.name} has more than 50 columns`);
    const pairs = shape.columns.map((c) => `'${c.field}', ??.??`).join(', ');
    shape.json = { sql: `case when ??.?? is null then null else json_build_object(${pairs}) end`, fields: shape.columns.map((c) => c.field) };
  }
  const bindings = [alias, shape.pkField, ...shape.json.fields.flatMap((field) => [alias, field])];
  return em.getKnex().raw(shape.json.sql, bindings);
}

/**
 * Left-joins into a query, as alias, the record whose key (its primary key, or another unique column)
 * equals column ("<alias>.<column>" of the query), selected as one JSON value "<alias>__record"; readJoined reads
 * it back from the rows, priming the lookup by primary key.
 */
export function joinRecord(
  em: EntityManager,
  qb: Knex.QueryBuilder,
  entity: EntityClass<object>,
  alias: string,
  column: string,
  uniqueColumn = shapeOf(em, entity).pkField,
): void {
  const meta = em.getMetadata().get(entity.name);
  qb.leftJoin(`${meta.tableName} as ${alias}`, `${alias}.${uniqueColumn}`, column).select(recordColumn(em, entity, alias, `${alias}__record`));
}

/** The record of the table aliased alias in a query, selected as one JSON column (name); readRow reads it back. */
export function recordColumn(em: EntityManager, entity: EntityClass<object>, alias: string, name: string): Knex.Raw {
  return em.getKnex().raw('? as ??', [recordJson(em, entity, alias), name]);
}

/** The record joinRecord joined as alias into a row, or null where the reference is empty. */
export function readJoined<T extends object>(ctx: Context, entity: EntityClass<T>, row: Row, alias: string): T | null {
  const json = row[`${alias}__record`] as Row | null;
  if (json == null) return null;
  const key = json[shapeOf(ctx.em, entity).pkField] as string | number;
  // A page's rows often point at the same few records (20 innovations, 3 provinces): read each once.
  const byKey = rowsByPrimaryKey(ctx, entity);
  return byKey.records.get(key) ?? record(ctx, entity, json, byKey);
}

/**
 * The lookup by primary key of one entity for one request, and the records it was primed with (the first
 * read of each key, shared by the rows that point at it). clearAll, run when the request ends, drops both.
 */
export class RecordLoader<T> extends DataLoader<string | number, T | null> {
  readonly records = new Map<string | number, T>();

  override clearAll(): this {
    this.records.clear();
    return super.clearAll();
  }
}

function record<T extends object>(ctx: Context, entity: EntityClass<T>, row: Row, byKey: RecordLoader<T>): T {
  const shape = shapeOf(ctx.em, entity);
  const record = Object.create(shape.proto) as Row;
  for (const column of shape.columns) {
    const value = row[column.field];
    if (column.target) {
      record[column.prop] = value == null ? null : new RowRef(ctx, column.target, value as string | number, column.targetPk!);
    } else {
      record[column.prop] = column.convert ? column.convert(value) : value;
    }
  }
  const key = record[shape.pk] as string | number;
  byKey.prime(key, record as T);
  if (!byKey.records.has(key)) byKey.records.set(key, record as T);
  return record as T;
}

const lookupTexts = new Map<string, string>();

/** Reads records of an entity whose column is one of the keys, in the given order. */
export async function readWhereIn<T extends object>(
  ctx: Context,
  entity: EntityClass<T>,
  column: string,
  keys: readonly (string | number)[],
  orderBy?: string,
): Promise<T[]> {
  // The text depends only on the entity, the column and the order (the keys are bound): built once.
  const textKey = `${entity.name}|${column}|${orderBy ?? ''}`;
  let text = lookupTexts.get(textKey);
  if (text === undefined) {
    const meta = ctx.em.getMetadata().get(entity.name);
    const qb = whereAny(ctx.em.getKnex()(`${meta.tableName} as t`).select(recordColumn(ctx.em, entity, 't', 'record')), `t.${column}`, keys);
    if (orderBy) qb.orderByRaw(orderBy);
    text = qb.toSQL().sql;
    lookupTexts.set(textKey, text);
  }
  const rows = await runRead<{ record: Row }>(ctx.em, text, [pgArray(keys)]);
  const byKey = rowsByPrimaryKey(ctx, entity);
  return rows.map((row) => record(ctx, entity, row.record, byKey));
}

/** The record behind each key of one entity, one statement per batch; null where there is none. */
export function rowsByPrimaryKey<T extends object>(ctx: Context, entity: EntityClass<T>): RecordLoader<T> {
  // The registry hands back what create made under this name: always a RecordLoader.
  return ctx.loaders.get(`rows.byPrimaryKey|${entity.name}`, () =>
    new RecordLoader<T>(async (keys) => {
      const shape = shapeOf(ctx.em, entity);
      const found = new Map<unknown, T>();
      for (const record of await readWhereIn(ctx, entity, shape.pkField, keys)) found.set((record as Row)[shape.pk], record);
      return keys.map((key) => found.get(key) ?? null);
    }, { maxBatchSize: 1000 }),
  ) as RecordLoader<T>;
}
