// Compiles a selection into one SQL expression whose value is its JSON answer, built by PostgreSQL (the
// way PostGraphile and Join Monster answer): each field contributes the SQL declared on it (field-sql.ts).
// Selections are read as graphql-js reads them (collectFields: fragments, aliases, @skip/@include).
//
// A field whose compiler refuses its input (a coded error such as BAD_USER_INPUT) does not stop the others:
// its value is null, and the error is kept by the field's static path (response names from the root) for
// the resolver that graphql-js calls at that field when it walks the answer (reads.ts), so errors get their
// concrete paths and null propagation from graphql-js itself.
import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isObjectType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';
import type { Viewer } from '../../auth/viewer';
import { sql, type SqlFragment } from '../../db/sql';
import { fieldSql, type FieldCall, type FieldCompiler, type TableDeclaration } from './field-sql';

/** The key an answer graphql-js walks carries on objects of abstract fields (node), for resolveType. */
export const TYPE_KEY = '$type';

/** json_build_object takes at most 100 arguments: 50 key and value pairs. */
const MAX_PAIRS = 50;
/** PostgreSQL truncates longer column names (NAMEDATALEN). */
const MAX_COLUMN_NAME = 63;

export interface Compilers {
  field(type: GraphQLObjectType, name: string): FieldCompiler | undefined;
  table(type: GraphQLObjectType): TableDeclaration | undefined;
}

export interface PlannerOptions {
  schema: GraphQLSchema;
  compilers: Compilers;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
  viewer: Viewer;
  /** The answer will be walked by graphql-js (a resolver-answered root, an error, a mutation's record). */
  walk: boolean;
  /** Response names leading to the selection compiled (a mutation's record field), for error paths. */
  pathPrefix?: readonly string[];
}

/** What a root selection compiles to: the data object's SQL, and the root fields SQL does not answer. */
export interface RootPlan {
  data: SqlFragment | null;
  sqlRoots: string[];
  /** The keys of the data object, in order (the SQL roots and any __typename). */
  dataKeys: string[];
  resolverRoots: string[];
}

export class Planner {
  private readonly ctes: string[] = [];
  private readonly cteNames = new Map<string, string>();
  private aliases = 0;
  private readonly path: string[];
  private readonly contexts = new Map<string, Map<string, unknown>>();
  private viewerRead = false;
  private oneOff = false;
  private weighted = false;
  /** Errors of fields that could not be compiled, by static path ("a.b.c"). */
  readonly errors = new Map<string, GraphQLError>();

  constructor(private readonly options: PlannerOptions) {
    this.path = [...(options.pathPrefix ?? [])];
  }

  get schema(): GraphQLSchema {
    return this.options.schema;
  }

  get fragments(): Readonly<Record<string, FragmentDefinitionNode>> {
    return this.options.fragments;
  }

  /** The caller: a field that reads it makes its plan the caller's own (cached per caller, not shared). */
  get viewer(): Viewer {
    this.viewerRead = true;
    return this.options.viewer;
  }

  get dependsOnViewer(): boolean {
    return this.viewerRead;
  }

  get walk(): boolean {
    return this.options.walk;
  }

  /** Whether the statement should not be kept prepared (a page after a cursor is one of many). */
  get isOneOff(): boolean {
    return this.oneOff;
  }

  markOneOff(): void {
    this.oneOff = true;
  }

  /** Whether a field that declares a weight (analytics, a search) is in the statement: a heavy statement. */
  get isHeavy(): boolean {
    return this.weighted;
  }

  /** A fresh table alias (t1, t2, ...), never one the modules' own fragments use. */
  alias(): SqlFragment {
    return sql.raw(`t${++this.aliases}`);
  }

  /** Something a compiler left on a row alias for the fields compiled over that row (its keys, its page). */
  setContext(row: SqlFragment, key: string, value: unknown): void {
    let map = this.contexts.get(row.text);
    if (!map) this.contexts.set(row.text, (map = new Map()));
    map.set(key, value);
  }

  context<T>(row: SqlFragment, key: string): T | undefined {
    return this.contexts.get(row.text)?.get(key) as T | undefined;
  }

  /**
   * Adds a CTE (after those added before it, which it may read) and returns its name; the same body twice
   * is one CTE. PostgreSQL folds a CTE read once into the query that reads it; `materialized` computes it
   * once instead, for a body no condition can narrow (a walk).
   */
  cte(body: SqlFragment, materialized = false): SqlFragment {
    const definition = `${materialized ? 'materialized ' : ''}(${body.text})`;
    let name = this.cteNames.get(definition);
    if (!name) {
      name = `cte${this.ctes.length + 1}`;
      this.cteNames.set(definition, name);
      this.ctes.push(`${name} as ${definition}`);
    }
    return sql.raw(name);
  }

  /** The JSON object for the selection `nodes` make on `type`, over the row aliased `row`. */
  object(type: GraphQLObjectType, nodes: readonly FieldNode[], row: SqlFragment): SqlFragment {
    return this.build(type, this.subfields(type, nodes), row);
  }

  /** As object, for an abstract field's value (node): a walked answer says its type for resolveType. */
  abstractObject(type: GraphQLObjectType, nodes: readonly FieldNode[], row: SqlFragment): SqlFragment {
    const fields = this.subfields(type, nodes);
    return this.build(type, fields, row, this.walk ? [[TYPE_KEY, sql`${type.name}::text`]] : []);
  }

  /** The fields a selection of `type` asks for, by response name. */
  subfields(type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, readonly FieldNode[]> {
    return collectSubfields(this.schema, this.fragments, this.options.variables, type, nodes);
  }

  /** The names of the fields a selection asks for (aliases folded), e.g. to compute only what is selected. */
  selectedNames(type: GraphQLObjectType, nodes: readonly FieldNode[]): Set<string> {
    return new Set([...this.subfields(type, nodes).values()].map((fieldNodes) => fieldNodes[0].name.value));
  }

  objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    if (!isObjectType(type)) throw new TypeError(`${name} is not an object type`);
    return type;
  }

  /** The object type a field returns, lists and non-nulls unwrapped. */
  returnType(call: Pick<FieldCall, 'field'>): GraphQLObjectType {
    return namedObjectType(call.field.type);
  }

  table(type: GraphQLObjectType): TableDeclaration {
    const table = this.options.compilers.table(type);
    if (!table) throw new TypeError(`${type.name} is not declared as a table (@SqlTable)`);
    return table;
  }

  /** A call of a field of `type` by name, for compilers that build a child selection themselves. */
  call(type: GraphQLObjectType, responseName: string, nodes: readonly FieldNode[]): FieldCall {
    const field = type.getFields()[nodes[0].name.value];
    return { responseName, field, parentType: type, args: getArgumentValues(field, nodes[0], this.options.variables), nodes };
  }

  /**
   * The root selection: every field with SQL goes into the data object; the others are the resolvers'. A
   * root field that cannot be compiled (its input refused) stays out of the statement: its resolver raises
   * the error, and a query with nothing else to read runs no statement.
   */
  root(type: GraphQLObjectType, selectionSet: SelectionSetNode): RootPlan {
    const fields = collectFields(this.schema, this.fragments, this.options.variables, type, selectionSet);
    const entries: (readonly [string, SqlFragment])[] = [];
    const sqlRoots: string[] = [];
    const resolverRoots: string[] = [];
    for (const [responseName, nodes] of fields) {
      const name = nodes[0].name.value;
      if (name === '__typename') {
        entries.push([responseName, sql`${type.name}::text`]);
      } else if (name.startsWith('__') || !this.options.compilers.field(type, name)) {
        resolverRoots.push(responseName);
      } else {
        const value = this.compileField(type, responseName, nodes, sql.raw(''));
        if (value) {
          entries.push([responseName, value]);
          sqlRoots.push(responseName);
        } else {
          resolverRoots.push(responseName);
        }
      }
    }
    if (!sqlRoots.length) return { data: null, sqlRoots: [], dataKeys: [], resolverRoots: [...fields.keys()] };
    return { data: this.pairs(entries), sqlRoots, dataKeys: entries.map(([key]) => key), resolverRoots };
  }

  /** The statement: `select <data>::text as data`, the JSON as text, with the CTEs the fields added. */
  statement(data: SqlFragment): string {
    return `${this.ctes.length ? `with ${this.ctes.join(', ')} ` : ''}select (${data.text})::text as data`;
  }

  /** A JSON object from (response name, SQL value) pairs, in selection order. */
  pairs(entries: readonly (readonly [string, SqlFragment])[]): SqlFragment {
    if (entries.length <= MAX_PAIRS) {
      return sql`json_build_object(${sql.join(entries.map(([key, value]) => sql`${key}, ${value}`))})`;
    }
    // More fields than json_build_object takes: a row's columns, named by response name, keep their order.
    for (const [key] of entries) {
      if (Buffer.byteLength(key) > MAX_COLUMN_NAME) {
        throw new GraphQLError(`An object with more than ${MAX_PAIRS} fields cannot have a response name longer than ${MAX_COLUMN_NAME} bytes.`, {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      }
    }
    const columns = entries.map(([key, value]) => sql`${value} as ${sql.raw(`"${key}"`)}`);
    const r = this.alias();
    return sql`(select row_to_json(${r}) from (select ${sql.join(columns)}) ${r})`;
  }

  private build(
    type: GraphQLObjectType,
    fields: Map<string, readonly FieldNode[]>,
    row: SqlFragment,
    extra: (readonly [string, SqlFragment])[] = [],
  ): SqlFragment {
    const entries: (readonly [string, SqlFragment])[] = [...extra];
    for (const [responseName, nodes] of fields) {
      if (nodes[0].name.value === '__typename') entries.push([responseName, sql`${type.name}::text`]);
      else entries.push([responseName, this.compileField(type, responseName, nodes, row) ?? sql`null`]);
    }
    return this.pairs(entries);
  }

  /** A field's SQL over `row`, or null when it cannot be compiled (its error is kept by its static path). */
  private compileField(type: GraphQLObjectType, responseName: string, nodes: readonly FieldNode[], row: SqlFragment): SqlFragment | null {
    this.path.push(responseName);
    try {
      const compile = this.options.compilers.field(type, nodes[0].name.value);
      if (!compile) throw new TypeError(`${type.name}.${nodes[0].name.value} has no SQL`);
      const call = this.call(type, responseName, nodes);
      const weight = fieldSql(call.field)?.cost?.weight;
      if (weight && (typeof weight === 'number' || weight((name) => call.args[name]) > 0)) this.weighted = true;
      return compile(call, row, this);
    } catch (error) {
      this.errors.set(this.path.join('.'), error instanceof GraphQLError ? error : new GraphQLError(String(error), { originalError: error as Error }));
      return null;
    } finally {
      this.path.pop();
    }
  }
}

/** The object type inside a field type's lists and non-nulls. */
export function namedObjectType(type: GraphQLOutputType): GraphQLObjectType {
  const named = getNamedType(type);
  if (!isObjectType(named)) throw new TypeError(`${named.name} is not an object type`);
  return named;
}

export type { FieldCall, FieldCompiler, GraphQLField };
