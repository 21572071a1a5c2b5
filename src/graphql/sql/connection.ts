// Relay connections in SQL: the list field cuts its page by keyset (ordering, cursor, first or last + 1
// rows), and the connection's own fields (edges, nodes, pageInfo, totalCount, and an edge's cursor and
// node) are compiled over that page's rows, reading what the list field left on the page's alias.
import { sql, type SqlFragment } from '../../db/sql';
import { pageRequest, type Ordering, type PageArgs, type PageRequest } from '../paging';
import { base64url, knownRows } from './compilers';
import type { FieldCall, FieldCompiler } from './field-sql';
import type { Planner } from './planner';

/** What a list field answers from: its rows, their filter, their order and how many there are. */
export interface ListSql {
  /** The list's table and alias, e.g. sql`innovation i`. */
  from: SqlFragment;
  /** That alias: the page's rows carry its columns. */
  alias: SqlFragment;
  /** Conditions over the alias (the filter and, for a nested list, its parent). */
  where: SqlFragment;
  ordering: Ordering;
  /** totalCount: the matches over all pages (a nested list's: of its parent). */
  total: SqlFragment;
  /** A nested list's rows depend on the parent row and cannot be selected as a set on their own. */
  nested: boolean;
}

interface Page {
  ordering: Ordering;
  request: PageRequest;
  total: SqlFragment;
  /** Whether the page read one row more than it shows, and numbered its rows (pageInfo, cursors). */
  paged: boolean;
}

const PAGE = 'page';

function pageOf(q: Planner, row: SqlFragment): Page {
  const page = q.context<Page>(row, PAGE);
  if (!page) throw new TypeError('a connection field compiled outside its list');
  return page;
}

const key = (i: number) => sql.raw(`__k${i}`);

/** The list field: a page of the list `spec` gives, as a connection object. */
export function connection(spec: (call: FieldCall, row: SqlFragment, q: Planner) => ListSql): FieldCompiler {
  return (call, row, q) => {
    const list = spec(call, row, q);
    const type = q.returnType(call);
    const names = q.selectedNames(type, call.nodes);
    names.delete('__typename');
    const p = q.alias();
    if (names.size === 1 && names.has('totalCount')) {
      // Only the count: no page is read (the page arguments are still checked).
      q.setContext(p, PAGE, { ordering: list.ordering, request: pageRequest(call.args as PageArgs, list.ordering), total: list.total, paged: false });
      return q.object(type, call.nodes, p);
    }
    const request = pageRequest(call.args as PageArgs, list.ordering);
    const { ordering } = list;
    // A backward page (last, before) reads the rows in the other direction; they are listed turned back.
    const dir = sql.raw((ordering.direction === 'asc') !== request.backward ? 'asc' : 'desc');
    const paged = names.has('pageInfo') || names.has('edges');
    const conditions = [list.where];
    if (request.cursor) {
      q.markOneOff();
      const tuple = sql.join(ordering.keys.map((k) => k.sql));
      conditions.push(sql`(${tuple}) ${sql.raw(dir.text === 'asc' ? '>' : '<')} (${sql.join(request.cursor.map((v) => sql`${v}`))})`);
    }
    const keys = sql.join(ordering.keys.map((k, i) => sql`${k.sql} as ${key(i)}`));
    const order = sql.join(ordering.keys.map((k) => sql`${k.sql} ${dir}`));
    const inner = sql`select ${list.alias}.*, ${keys} from ${list.from} where ${sql.and(conditions)} order by ${order} limit ${paged ? request.limit + 1 : request.limit}`;
    if (!list.nested) {
      const k = q.alias();
      knownRows(q, p, (column) => sql`select ${k}.${sql.raw(column)} from (${inner}) ${k}`);
    }
    const m = q.alias();
    const keyOrder = sql.join(ordering.keys.map((_, i) => sql`${m}.${key(i)} ${dir}`));
    // __rn numbers the rows in the order read; __n is how many were read (the page, and one more if any).
    const rows = paged
      ? sql`(select ${m}.*, row_number() over (order by ${keyOrder}) as __rn, count(*) over () as __n from (${inner}) ${m}) ${p}`
      : sql`(${inner}) ${p}`;
    q.setContext(p, PAGE, { ordering, request, total: list.total, paged });
    return sql`(select ${q.object(type, call.nodes, p)} from ${rows})`;
  };
}

/** The order the page's rows are listed in, and the filter that keeps the row read past the page out. */
function listing(q: Planner, row: SqlFragment): { order: SqlFragment; kept: SqlFragment } {
  const { ordering, request, paged } = pageOf(q, row);
  if (!paged) return { order: sql.join(ordering.keys.map((_, i) => sql`${row}.${key(i)} ${sql.raw(ordering.direction)}`)), kept: sql`` };
  return { order: sql`${row}.__rn ${sql.raw(request.backward ? 'desc' : 'asc')}`, kept: sql` filter (where ${row}.__rn <= ${request.limit})` };
}

/** A page row's cursor, as encodeCursor writes it: base64url of JSON [ordering name, ...keys]. */
function cursorSql(ordering: Ordering, row: SqlFragment): SqlFragment {
  const keys = ordering.keys.map((k, i) => (k.type === 'number' ? sql`(${row}.${key(i)})::text` : sql`to_json(${row}.${key(i)})::text`));
  return base64url(sql`${`${JSON.stringify([ordering.name]).slice(0, -1)},`} || ${sql.join(keys, " || ',' || ")} || ']'`);
}

/** An array of the page's rows as objects the field's type builds (nodes, or edges). */
const rowsAs: FieldCompiler = (call, row, q) => {
  const { order, kept } = listing(q, row);
  return sql`coalesce(json_agg(${q.object(q.returnType(call), call.nodes, row)} order by ${order})${kept}, '[]')`;
};

/** The compilers of a connection type's fields, over the page's rows (see Connection in ../connection.ts). */
export const connectionFields = {
  totalCount: ((_call, row, q) => pageOf(q, row).total) as FieldCompiler,
  nodes: rowsAs,
  edges: rowsAs,
  pageInfo: ((call, row, q) => q.object(q.returnType(call), call.nodes, row)) as FieldCompiler,
};

export const edgeFields = {
  cursor: ((_call, row, q) => cursorSql(pageOf(q, row).ordering, row)) as FieldCompiler,
  node: ((call, row, q) => q.object(q.returnType(call), call.nodes, row)) as FieldCompiler,
};

/** PageInfo over the page's rows, which it aggregates: whether rows lie beyond, and the cursors of its ends. */
export const pageInfoFields: Record<'hasNextPage' | 'hasPreviousPage' | 'startCursor' | 'endCursor', FieldCompiler> = {
  hasNextPage: (_call, row, q) => {
    const { request } = pageOf(q, row);
    return request.backward ? sql`${request.cursor !== null}` : sql`count(*) > ${request.limit}`;
  },
  hasPreviousPage: (_call, row, q) => {
    const { request } = pageOf(q, row);
    return request.backward ? sql`count(*) > ${request.limit}` : sql`${request.cursor !== null}`;
  },
  startCursor: (_call, row, q) => {
    const { ordering, request } = pageOf(q, row);
    return sql`min(${cursorSql(ordering, row)}) filter (where ${request.backward ? lastKept(row, request) : firstRead(row, request)})`;
  },
  endCursor: (_call, row, q) => {
    const { ordering, request } = pageOf(q, row);
    return sql`min(${cursorSql(ordering, row)}) filter (where ${request.backward ? firstRead(row, request) : lastKept(row, request)})`;
  },
};

/** The first row read, when it is on the page (a page of 0 shows none). */
const firstRead = (row: SqlFragment, request: PageRequest) => sql`${row}.__rn = 1 and ${row}.__rn <= ${request.limit}`;
/** The last row the page shows. */
const lastKept = (row: SqlFragment, request: PageRequest) => sql`${row}.__rn = least(${row}.__n, ${request.limit})`;
