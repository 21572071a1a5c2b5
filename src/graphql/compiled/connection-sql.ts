// The SQL twin of list-loader.ts: a Relay connection as one JSON value, its page cut by the same keyset
// (ordering, cursor, first or last + 1 rows) and its cursors encoded as paging.ts encodes them.
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { FieldNode, GraphQLObjectType } from 'graphql';
import type { PageArgs } from '../connection';
import { pageRequest, type Ordering } from '../paging';
import { base64url, namedObjectType, NotCompilable, type FieldCall, type FieldCompiler, type SqlJson } from './sql-json';

export interface ConnectionSql {
  /** select <entity columns> from <table> as <alias> where <filters>: every match, unordered. */
  base: Knex.QueryBuilder;
  /** The sort keys over the base's alias, as the list's resolver orders it. */
  ordering: Ordering;
  /** A SQL expression for totalCount (matches of this parent over all pages). */
  total: () => string;
  /** For a nested list: the base's parent column equals this SQL expression over the parent row. */
  parent?: { column: string; equals: string };
}

/** A top-level list of a filtered query's matches (its filter argument is `filter`), counted by countOf. */
export function filteredList<F>(query: (em: EntityManager, filter: F | undefined) => Knex.QueryBuilder, ordering: Ordering): FieldCompiler {
  return (call, row, q) => {
    const filter = call.args.filter as F | undefined;
    return connectionSql(call, row, q, { base: query(q.em, filter), ordering, total: () => countOf(q, query(q.em, filter)) });
  };
}

/** totalCount as the number of the base query's matches (lists without a rollup to count from). */
export function countOf(q: SqlJson, base: Knex.QueryBuilder): string {
  return `(${q.embed(base.clearSelect().select(q.em.getKnex().raw('count(*)::int')))})`;
}

/** The cursor of a page row, as encodeCursor writes it: JSON [ordering name, ...keys], base64url. */
function cursorSql(ordering: Ordering, row: string): string {
  const keys = ordering.keys.map((key, i) => (key.type === 'number' ? `(${row}.__k${i})::text` : `to_json(${row}.__k${i})::text`));
  return base64url(`'${JSON.stringify([ordering.name]).slice(0, -1)},' || ${keys.join(` || ',' || `)} || ']'`);
}

export function connectionSql(call: FieldCall, row: string, q: SqlJson, spec: ConnectionSql): string {
  const type = q.returnType(call);
  const request = pageRequest(call.args as PageArgs, spec.ordering);
  const fields = q.subfields(type, call.nodes);
  const names = new Set([...fields.values()].map((nodes) => nodes[0].name.value));
  names.delete('__typename');
  if (names.size === 1 && names.has('totalCount')) return q.pairs(connectionPairs(type.name, fields, () => spec.total()));

  const { limit, backward } = request;
  // A backward page (last, before) reads the rows in the other direction and lists them turned back.
  const dir = (spec.ordering.direction === 'asc') !== backward ? 'asc' : 'desc';
  // Only pageInfo and edges' cursors need the row after the page and each row's place in it.
  const paged = names.has('pageInfo') || names.has('edges');
  const qb = spec.base.clone();
  spec.ordering.keys.forEach((key, i) => qb.select(q.em.getKnex().raw(`${key.sql} as __k${i}`)));
  if (spec.parent) qb.whereRaw(`${spec.parent.column} = ${spec.parent.equals}`);
  if (request.cursor) {
    q.markOneOff();
    const tuple = spec.ordering.keys.map((k) => k.sql).join(', ');
    qb.whereRaw(`(${tuple}) ${dir === 'asc' ? '>' : '<'} (${spec.ordering.keys.map(() => '?').join(', ')})`, request.cursor);
  }
  qb.orderByRaw(spec.ordering.keys.map((k) => `${k.sql} ${dir}`).join(', ')).limit(paged ? limit + 1 : limit);
  const matches = q.alias();
  const page = q.alias();
  // A top-level page's rows as a set, for fields computed over all of them at once (statistics, diffusion):
  // the page's own query (with the row after it, if read), which a nested list's condition on its parent
  // row keeps from standing alone.
  if (!spec.parent) {
    const k = q.alias();
    q.rowKeys.set(page, (column) => `select ${k}.${column} from (${q.embed(qb)}) ${k}`);
  }
  const keyOrder = (alias: string, direction: string) => spec.ordering.keys.map((_, i) => `${alias}.__k${i} ${direction}`).join(', ');
  // __rn numbers the rows in the order read; __n is how many were read (the page, and one more if any).
  const rows = paged
    ? `(select ${matches}.*, row_number() over (order by ${keyOrder(matches, dir)}) as __rn, count(*) over () as __n ` +
      `from (${q.embed(qb)}) ${matches}) ${page}`
    : `(${q.embed(qb)}) ${page}`;
  const listOrder = paged ? `${page}.__rn ${backward ? 'desc' : 'asc'}` : keyOrder(page, spec.ordering.direction);
  const kept = paged ? ` filter (where ${page}.__rn <= ${limit})` : '';
  // The first row read and the last one kept: the page's ends in reading order.
  const firstRead = `(${page}.__rn = 1 and ${page}.__rn <= ${limit})`;
  const lastKept = `${page}.__rn = least(${page}.__n, ${limit})`;
  const more = `count(*) > ${limit}`;
  const cursorGiven = request.hasCursor ? 'true' : 'false';

  const cursor = cursorSql(spec.ordering, page);
  const node = (nodes: readonly FieldNode[], nodeType: GraphQLObjectType) => q.object(nodeType, nodes, page);
  const value = (name: string, nodes: readonly FieldNode[]): string => {
    const field = type.getFields()[name];
    switch (name) {
      case 'totalCount':
        return spec.total();
      case 'nodes':
        return `coalesce(json_agg(${node(nodes, namedObjectType(field.type))} order by ${listOrder})${kept}, '[]')`;
      case 'edges': {
        const edgeType = namedObjectType(field.type);
        const edge = connectionPairs(edgeType.name, q.subfields(edgeType, nodes), (edgeField, edgeNodes) => {
          if (edgeField === 'cursor') return cursor;
          if (edgeField === 'node') return node(edgeNodes, namedObjectType(edgeType.getFields().node.type));
          throw new NotCompilable(`${edgeType.name}.${edgeField}`);
        });
        return `coalesce(json_agg(${q.pairs(edge)} order by ${listOrder})${kept}, '[]')`;
      }
      case 'pageInfo': {
        const infoType = namedObjectType(field.type);
        const info = connectionPairs(infoType.name, q.subfields(infoType, nodes), (infoField) => {
          switch (infoField) {
            case 'hasNextPage':
              return backward ? cursorGiven : more;
            case 'hasPreviousPage':
              return backward ? more : cursorGiven;
            case 'startCursor':
              return `min(${cursor}) filter (where ${backward ? lastKept : firstRead})`;
            case 'endCursor':
              return `min(${cursor}) filter (where ${backward ? firstRead : lastKept})`;
            default:
              throw new NotCompilable(`PageInfo.${infoField}`);
          }
        });
        return q.pairs(info);
      }
      default:
        throw new NotCompilable(`${type.name}.${name}`);
    }
  };
  return `(select ${q.pairs(connectionPairs(type.name, fields, value))} from ${rows})`;
}

/** (response name, SQL) pairs of a selection, __typename answered with the type's name. */
function connectionPairs(
  typeName: string,
  fields: Map<string, readonly FieldNode[]>,
  value: (name: string, nodes: readonly FieldNode[]) => string,
): [string, string][] {
  return [...fields].map(([responseName, nodes]) => {
    const name = nodes[0].name.value;
    return [responseName, name === '__typename' ? `'${typeName}'::text` : value(name, nodes)];
  });
}
