// SQL twins of the statistics fields of Province, Regency and Hub (see src/graphql/compiled/sql-json.ts):
// the resolvers' own statement (statisticsSql) over every row the parent stands for (a list's rows, a
// lookup's one row), as a CTE joined by key, and each selected field read from its JSON as
// toRegionStatistics reads it. A parent whose rows are not known as a set (a reference from another
// row) is left to the resolvers, which batch such keys into one statement.
import type { GraphQLObjectType } from 'graphql';
import { yearRangeArgs } from '../../graphql/codes';
import { NotCompilable, type CompilerMap, type FieldCall, type SqlJson } from '../../graphql/compiled/sql-json';
import { statisticsSql, type StatisticsScope } from './statistics.service';

/** The keys of every row `row` stands for, selecting `column`; NotCompilable when they are not known. */
function keysOf(q: SqlJson, row: string): (column: string) => string {
  const keys = q.rowKeys.get(row);
  if (!keys) throw new NotCompilable('statistics of a row that is not one of a known set');
  return keys;
}

/** RegionStatistics of `scope` for the row whose key is `rowKey`, computed for all of `keys` in one CTE. */
function statistics(scope: StatisticsScope, keys: string, rowKey: string, call: FieldCall, q: SqlJson): string {
  const yearFrom = (call.args.yearFrom as number | null | undefined) ?? null;
  const yearTo = (call.args.yearTo as number | null | undefined) ?? null;
  yearRangeArgs(yearFrom, yearTo, '');
  const type = q.returnType(call);
  const fields = q.subfields(type, call.nodes);
  const names = new Set([...fields.values()].map((nodes) => nodes[0].name.value));
  const parts = {
    series: names.has('series'),
    adopting: names.has('adoptingRegencies') || names.has('adoptionRate'),
    reach: names.has('reachRegencies'),
    top: names.has('topInnovations'),
  };
  const text = statisticsSql(scope, { yearFrom, yearTo }, parts, 'query').split('?');
  if (text.length !== 2) throw new NotCompilable('unexpected placeholders in the statistics statement');
  const stats = q.cte(text.join(keys));
  const s = q.alias();
  const value = (key: string) => `(${s}.stats->'${key}')`;
  const int = (key: string) => `(${s}.stats->>'${key}')::int`;
  const entries = [...fields].map(([responseName, nodes]): [string, string] => {
    const name = nodes[0].name.value;
    switch (name) {
      case '__typename':
        return [responseName, `'${type.name}'::text`];
      case 'yearFrom':
        return [responseName, yearFrom === null ? 'null::int' : `${q.bind(yearFrom)}::int`];
      case 'yearTo':
        return [responseName, yearTo === null ? 'null::int' : `${q.bind(yearTo)}::int`];
      case 'innovations':
      case 'replicationsOut':
      case 'replicationsIn':
      case 'provinceWideCommitments':
      case 'memberRegencies':
        return [responseName, value(name)];
      case 'adoptingRegencies':
        return [responseName, `coalesce(${int('adoptingRegencies')}, 0)`];
      case 'reachRegencies':
        return [responseName, `coalesce(${int('reachRegencies')}, 0)`];
      case 'adoptionRate':
        // The same IEEE division as JavaScript's: one double over an integer.
        return [responseName, `case when ${int('memberRegencies')} > 0 then coalesce(${int('adoptingRegencies')}, 0)::float8 / ${int('memberRegencies')} end`];
      case 'series':
        return [responseName, elements(q, type, name, nodes, value('series'), (e, field) => `(${e}->'${field}')`)];
      case 'topInnovations':
        return [
          responseName,
          elements(q, type, name, nodes, value('top'), (e, field, fieldCall) => {
            if (field === 'adoptions') return `(${e}->'adoptions')`;
            if (field === 'innovation') {
              const t = q.alias();
              return `(select ${q.object(q.returnType(fieldCall), fieldCall.nodes, t)} from innovation ${t} where ${t}.id = (${e}->>'innovationId')::int)`;
            }
            throw new NotCompilable(`TopInnovation.${field}`);
          }),
        ];
      default:
        throw new NotCompilable(`RegionStatistics.${name}`);
    }
  });
  return `(select ${q.pairs(entries)} from ${stats} ${s} where ${s}.k = ${rowKey})`;
}

/** A JSON array of objects from the statistics, rebuilt for the selection (aliases, a subset, __typename). */
function elements(
  q: SqlJson,
  parentType: GraphQLObjectType,
  name: string,
  nodes: FieldCall['nodes'],
  array: string,
  field: (element: string, field: string, call: FieldCall) => string,
): string {
  const listField = parentType.getFields()[name];
  const call: FieldCall = { responseName: name, field: listField, args: {}, nodes };
  const type = q.returnType(call);
  const e = q.alias();
  const entries = [...q.subfields(type, nodes)].map(([responseName, fieldNodes]): [string, string] => {
    const fieldName = fieldNodes[0].name.value;
    if (fieldName === '__typename') return [responseName, `'${type.name}'::text`];
    const fieldDef = type.getFields()[fieldName];
    if (!fieldDef || fieldDef.args.length) throw new NotCompilable(`${type.name}.${fieldName}`);
    return [responseName, field(`${e}.v`, fieldName, { responseName, field: fieldDef, args: {}, nodes: fieldNodes })];
  });
  return `(select coalesce(json_agg(${q.pairs(entries)} order by ${e}.n), '[]') from json_array_elements(coalesce(${array}, '[]')) with ordinality ${e}(v, n))`;
}

export const statisticsCompilers: CompilerMap = {
  Province: { statistics: (call, row, q) => statistics('province', keysOf(q, row)('code'), `${row}.code`, call, q) },
  Regency: { statistics: (call, row, q) => statistics('regency', keysOf(q, row)('code'), `${row}.code`, call, q) },
  // As the resolver: a province hub's are its province's; a ministry hub's, its institution's.
  Hub: {
    statistics: (call, row, q) => {
      const keys = keysOf(q, row);
      const province = statistics('province', keys('province_code'), `${row}.province_code`, call, q);
      const institution = statistics('institution', keys('institution_id'), `${row}.institution_id::text`, call, q);
      return `(case when ${row}.province_code is not null then ${province} else ${institution} end)`;
    },
  },
};
