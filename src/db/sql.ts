// Small SQL helpers shared by the modules' hand-written queries.
import type { EntityManager, EntityName, Knex } from '@mikro-orm/postgresql';
import { ReferenceKind, type EntityProperty } from '@mikro-orm/core';

const columnCache = new WeakMap<object, string[]>();

/** The stored columns of an entity (lazy ones such as search vectors left out), qualified by alias. */
export function entityColumns(em: EntityManager, entity: EntityName<object>, alias: string): string[] {
  const meta = em.getMetadata().get(entity);
  let columns = columnCache.get(meta);
  if (!columns) {
    columns = (Object.values(meta.properties) as EntityProperty[])
      .filter((p) => !p.lazy && p.persist !== false && p.kind !== ReferenceKind.ONE_TO_MANY && p.kind !== ReferenceKind.MANY_TO_MANY)
      .filter((p) => p.kind !== ReferenceKind.ONE_TO_ONE || p.owner)
      .flatMap((p) => p.fieldNames ?? []);
    columnCache.set(meta, columns);
  }
  return columns.map((c) => `${alias}.${c}`);
}

/** select <alias>.<columns> from <table> as <alias>: the starting point of a list query. */
export function selectEntity(em: EntityManager, entity: EntityName<object>, alias: string): Knex.QueryBuilder {
  const meta = em.getMetadata().get(entity);
  return em.getKnex()(`${meta.tableName} as ${alias}`).select(entityColumns(em, entity, alias));
}

/**
 * A PostgreSQL array literal ('{"a","b"}'), bound as one text parameter and cast in SQL (?::text[]):
 * knex would otherwise expand a JS array into a list of parameters.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
