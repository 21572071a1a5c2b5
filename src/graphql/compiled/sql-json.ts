// Compiles a read-only operation into one SQL statement whose single value is the operation's `data`,
// built as JSON by PostgreSQL (the way PostGraphile and Hasura answer). Only fields with a compiler of
// their own take part; any other field, argument or shape makes the whole operation NotCompilable, and
// the resolvers answer it as before. A compiler is the SQL twin of its resolver: the differential tests
// run every compiled query both ways and compare whole responses.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import {
  getArgumentValues,
  getNamedType,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  isObjectType,
  type OperationDefinitionNode,
} from 'graphql';
import { collectFields, collectSubfields } from 'graphql/execution/collectFields';

/** Thrown when a selection has something no compiler answers; the operation then runs through resolvers. */
export class NotCompilable extends Error {}

export interface FieldCall {
  responseName: string;
  field: GraphQLField<unknown, unknown>;
  /** Coerced arguments, defaults applied, as the resolver would receive them (plain objects for inputs). */
  args: Record<string, unknown>;
  nodes: readonly FieldNode[];
}

/** Returns a SQL expression of the field's JSON value; `row` is the alias of the parent's row. */
export type FieldCompiler = (call: FieldCall, row: string, q: SqlJson) => string;

/** Compilers by GraphQL type name, then by field name. */
export type CompilerMap = Record<string, Record<string, FieldCompiler>>;

/** json_build_object takes at most 100 arguments: 50 key and value pairs. */
const MAX_PAIRS = 50;

export class SqlJson {
  private readonly values: unknown[] = [];
  private readonly ctes: string[] = [];
  private readonly cteNames = new Map<string, string>();
  private aliases = 0;
  private oneOff = false;
  /**
   * For a row alias: a query selecting one column of every row the alias stands for (each row of a list,
   * the one row of a lookup by key), so that a field can be computed for all of them at once in a CTE (see
   * cte) instead of once per row. Set before the row's object is compiled.
   */
  readonly rowKeys = new Map<string, (column: string) => string>();

  constructor(
    readonly em: EntityManager,
    private readonly schema: GraphQLSchema,
    readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly compilers: CompilerMap,
  ) {}

  /** A placeholder for a value (written into the text by statement()); in any order. */
  bind(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }

  /** A fresh table alias (t1, t2, ...), never one the modules' own query builders use. */
  alias(): string {
    return `t${++this.aliases}`;
  }

  /**
   * Adds a CTE to the statement (after those added before it, which it may read) and returns its name.
   * PostgreSQL folds a CTE read once into the query that reads it, where a condition on the reading row
   * can reach it; `materialized` computes it once instead, for a body no condition can narrow (a walk).
   */
  cte(body: string, materialized = false): string {
    // The same text twice (an innovation's ancestors and its origin walk the same chains) is one CTE.
    const definition = `${materialized ? 'materialized ' : ''}(${body})`;
    let name = this.cteNames.get(definition);
    if (!name) {
      name = `cte${this.ctes.length + 1}`;
      this.cteNames.set(definition, name);
      this.ctes.push(`${name} as ${definition}`);
    }
    return name;
  }

  /** Embeds a knex query (written with ? placeholders) with its values bound here. */
  embed(qb: Knex.QueryBuilder | Knex.Raw): string {
    const { sql, bindings } = qb.toSQL();
    let i = 0;
    const text = sql.replace(/\?/g, () => this.bind(bindings[i++]));
    if (i !== bindings.length) throw new NotCompilable('unexpected placeholders in an embedded query');
    return text;
  }

  /** The JSON object for the selection `nodes` make on `type`, over the row aliased `row`. */
  object(type: GraphQLObjectType, fieldNodes: readonly FieldNode[], row: string): string {
    return this.build(type, this.subfields(type, fieldNodes), row);
  }

  /** The fields a selection of `type` asks for, by response name (fragments and @skip/@include applied). */
  subfields(type: GraphQLObjectType, fieldNodes: readonly FieldNode[]): Map<string, readonly FieldNode[]> {
    return collectSubfields(this.schema, this.fragments, this.variables, type, fieldNodes);
  }

  /** The operation's `data` object. */
  root(type: GraphQLObjectType, operation: OperationDefinitionNode): string {
    const fields = collectFields(this.schema, this.fragments, this.variables, type, operation.selectionSet);
    // { __typename } alone needs no database: graphql-js answers it faster than a statement could.
    if ([...fields.values()].every((nodes) => nodes[0].name.value === '__typename')) throw new NotCompilable('nothing to read');
    return this.build(type, fields, '');
  }

  /** An object type of the schema by name (the runtime type of an interface field such as node). */
  objectType(name: string): GraphQLObjectType {
    const type = this.schema.getType(name);
    if (!isObjectType(type)) throw new NotCompilable(`${name} is not an object type`);
    return type;
  }

  /** The object type a field returns (lists and non-null unwrapped); unions and interfaces are not compiled. */
  returnType(call: FieldCall): GraphQLObjectType {
    return namedObjectType(call.field.type);
  }

  /**
   * The statement, `select <data>::text as data` (the JSON as text: parsed only if needed, see
   * compiled-reads-plugin.ts), with its values written into the text, as the floor writes
   * them. Bound values left PostgreSQL to choose between planning every run (0.3 ms for the innovations
   * page) and one generic plan, and at x10 it kept planning every run: the page took 0.79 ms where the same
   * statement with a generic plan took 0.48 ms and the floor 0.43 ms. With values in the text a statement is
   * planned for its values once per connection (prepared.ts). A statement that starts after a cursor is
   * one page of many: it is sent unnamed, so pages do not fill a connection's prepared statements.
   */
  statement(data: string): string {
    const text = `${this.ctes.length ? `with ${this.ctes.join(', ')} ` : ''}select (${data})::text as data`.replace(/\$(\d+)/g, (_, n: string) =>
      literal(this.values[Number(n) - 1]),
    );
    return this.oneOff ? `/* one page */ ${text}` : text;
  }

  /** Marks the statement as one of a kind (a page after a cursor): it is not kept prepared. */
  markOneOff(): void {
    this.oneOff = true;
  }

  /** A JSON object from (response name, SQL value) pairs, in selection order. */
  pairs(entries: [string, string][]): string {
    if (entries.length > MAX_PAIRS) throw new NotCompilable('too many fields for one JSON object');
    return `json_build_object(${entries.map(([key, value]) => `'${key}', ${value}`).join(', ')})`;
  }

  private build(type: GraphQLObjectType, fields: Map<string, readonly FieldNode[]>, row: string): string {
    const compilers = this.compilers[type.name];
    const entries: [string, string][] = [];
    for (const [responseName, nodes] of fields) {
      const name = nodes[0].name.value;
      if (name === '__typename') {
        entries.push([responseName, `'${type.name}'::text`]);
        continue;
      }
      const compile = compilers?.[name];
      const field = type.getFields()[name];
      if (!compile || !field) throw new NotCompilable(`${type.name}.${name} has no compiler`);
      const args = getArgumentValues(field, nodes[0], this.variables);
      entries.push([responseName, compile({ responseName, field, args, nodes }, row, this)]);
    }
    return this.pairs(entries);
  }
}

/** The object type inside a field type's lists and non-nulls; anything else is not compiled. */
export function namedObjectType(type: GraphQLOutputType): GraphQLObjectType {
  const named = getNamedType(type);
  if (!isObjectType(named)) throw new NotCompilable(`${named.name} is not an object type`);
  return named;
}

/** A column of the parent row, written into JSON as PostgreSQL types it (text, integer, boolean, date, arrays). */
export const column =
  (name: string): FieldCompiler =>
  (_call, row) =>
    `${row}.${name}`;

/** base64url(`Type:key`) without padding, as src/graphql/global-id.ts writes a global id. */
export function globalIdSql(type: string, keySql: string): string {
  return base64url(`'${type}:' || ${keySql}`);
}

export const globalId =
  (type: string, key: string): FieldCompiler =>
  (_call, row) =>
    globalIdSql(type, `${row}.${key}`);

/** base64url of a text, without padding or the line breaks encode() puts every 76 characters. */
export function base64url(textSql: string): string {
  return `translate(encode(convert_to(${textSql}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;
}

/** A root field's object by its key (null when there is none), the key already checked by the caller. */
export function byKey(table: string, key: string, value: string | number, call: FieldCall, q: SqlJson, type = q.returnType(call)): string {
  const t = q.alias();
  const bound = q.bind(value);
  q.rowKeys.set(t, (column) => `select ${column} from ${table} where ${key} = ${bound}`);
  return `(select ${q.object(type, call.nodes, t)} from ${table} ${t} where ${t}.${key} = ${bound})`;
}

/**
 * A plain (unpaged) top-level list of a filtered query's matches, ordered by `orderBy` over a row's alias:
 * the matches are a CTE, so the rows are known as a set (rowKeys) to fields computed over all of them.
 */
export const matchesList =
  <F>(query: (em: EntityManager, filter: F | undefined) => Knex.QueryBuilder, orderBy: (row: string) => string): FieldCompiler =>
  (call, _row, q) => {
    const matches = q.cte(q.embed(query(q.em, call.args.filter as F | undefined)));
    const t = q.alias();
    q.rowKeys.set(t, (column) => `select ${column} from ${matches}`);
    return `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${orderBy(t)}), '[]') from ${matches} ${t})`;
  };

/** A many-to-one reference: the object of `table` whose `key` equals the parent row's `column` (null when none). */
export const reference =
  (table: string, key: string, column: string): FieldCompiler =>
  (call, row, q) => {
    const t = q.alias();
    return `(select ${q.object(q.returnType(call), call.nodes, t)} from ${table} ${t} where ${t}.${key} = ${row}.${column})`;
  };

/**
 * A list of `table` rows whose `key` equals the parent row's `column`, ordered by `orderBy` (columns of the
 * listed table); `where` adds conditions over the listed row's alias.
 */
export const list =
  (table: string, key: string, column: string, orderBy: string[], where?: (call: FieldCall, t: string, q: SqlJson) => string): FieldCompiler =>
  (call, row, q) => {
    const t = q.alias();
    const parentKeys = q.rowKeys.get(row);
    if (parentKeys) {
      q.rowKeys.set(t, (keyColumn) => {
        const k = q.alias();
        const condition = where ? where(call, k, q) : '';
        return `select ${k}.${keyColumn} from ${table} ${k} where ${k}.${key} in (${parentKeys(column)})${condition ? ` and ${condition}` : ''}`;
      });
    }
    const extra = where ? where(call, t, q) : '';
    const order = orderBy.map((c) => `${t}.${c}`).join(', ');
    return (
      `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${order}), '[]') ` +
      `from ${table} ${t} where ${t}.${key} = ${row}.${column}${extra ? ` and ${extra}` : ''})`
    );
  };

/** A value as a SQL literal; anything but text, finite numbers, booleans and null is not compiled. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // Parenthesised, so that a negative number after a minus sign cannot make a comment (--).
  if (typeof value === 'number' && Number.isFinite(value)) return `(${value})`;
  if (typeof value === 'string') {
    const quoted = `'${value.replace(/'/g, "''")}'`;
    // Backslashes are literal in standard strings; an escape string says so whatever the server's setting.
    return value.includes('\\') ? `E${quoted.replace(/\\/g, '\\\\')}` : quoted;
  }
  throw new NotCompilable(`a value of type ${typeof value}`);
}
