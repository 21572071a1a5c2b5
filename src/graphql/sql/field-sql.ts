// How a field declares its SQL, on the field itself: `@Sql(compiler)` beside `@Field`, and `@SqlTable` on an
// entity's object type so that its column fields need nothing more (their column is the entity's). The
// read engine (planner.ts) reads these declarations from the built schema's extensions.
import type { FieldNode, GraphQLField, GraphQLObjectType } from 'graphql';
import { Extensions } from 'type-graphql';
import type { Viewer } from '../../auth/viewer';
import type { SqlFragment } from '../../db/sql';
import type { Planner } from './planner';

export interface FieldCall {
  responseName: string;
  field: GraphQLField<unknown, unknown>;
  parentType: GraphQLObjectType;
  /** Coerced arguments, defaults applied (plain objects for inputs). */
  args: Record<string, unknown>;
  nodes: readonly FieldNode[];
}

/** The SQL expression of a field's JSON value; `row` is the alias of the parent's row. */
export type FieldCompiler = (call: FieldCall, row: SqlFragment, q: Planner) => SqlFragment;

/**
 * What a field costs (src/limits/cost.ts): `weight` for a field that runs an aggregate of its own (a number,
 * or one worked out from the arguments as given, for work that depends on them), `listSize` for a plain
 * list of records (its bound or typical length).
 */
export interface FieldCost {
  weight?: number | ((argument: (name: string) => unknown) => number);
  listSize?: number;
}

export interface FieldSqlDeclaration {
  compile: FieldCompiler;
  cost?: FieldCost;
  /** Declared on a resolver method (a field with arguments, or one of another module's type), not a property. */
  onMethod: boolean;
}

export interface TableDeclaration {
  table: string;
  /** The key column a global id encodes. */
  key: string;
  /** The entity whose columns answer the type's column fields (its MikroORM metadata names them). */
  entity: () => abstract new (...args: never[]) => object;
  /** Who may read the type's records at all; throws a coded error for anyone else (node(id:) asks it). */
  authorize?: (viewer: Viewer, what: string) => void;
}

export const FIELD_SQL = 'sql';
export const TABLE_SQL = 'sqlTable';

/** Declares a field's SQL (and, for aggregates and lists, its cost). */
export function Sql(compile: FieldCompiler, cost?: FieldCost): MethodDecorator & PropertyDecorator {
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    const declaration: FieldSqlDeclaration = { compile, ...(cost ? { cost } : {}), onMethod: typeof descriptor?.value === 'function' };
    Extensions({ [FIELD_SQL]: declaration })(target, key, descriptor!);
  };
}

/** Declares an object type as rows of a table; a field without @Sql is the entity property's column. */
export function SqlTable(table: string, key: string, entity: TableDeclaration['entity'], options: Pick<TableDeclaration, 'authorize'> = {}): ClassDecorator {
  const declaration: TableDeclaration = { table, key, entity, ...options };
  return Extensions({ [TABLE_SQL]: declaration });
}

export function fieldSql(field: GraphQLField<unknown, unknown>): FieldSqlDeclaration | undefined {
  return field.extensions?.[FIELD_SQL] as FieldSqlDeclaration | undefined;
}

export function tableSql(type: GraphQLObjectType): TableDeclaration | undefined {
  return type.extensions?.[TABLE_SQL] as TableDeclaration | undefined;
}
