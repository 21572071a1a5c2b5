// SQL twins of the region resolvers (see src/graphql/compiled/sql-json.ts).
import { provinceCodeArg } from '../../graphql/codes';
import type { ProvinceFilter } from './region.inputs';
import { provinceQuery } from './region.queries';
import { column, globalId, list, reference, type CompilerMap } from '../../graphql/compiled/sql-json';

export const regionCompilers: CompilerMap = {
  Query: {
    provinces: (call, _row, q) => {
      const matches = q.cte(q.embed(provinceQuery(q.em, call.args.filter as ProvinceFilter | undefined)));
      const t = q.alias();
      q.listKeys.set(t, `select code from ${matches}`);
      return `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, t)} order by ${t}.code), '[]') from ${matches} ${t})`;
    },
    province: (call, _row, q) => {
      const t = q.alias();
      const code = provinceCodeArg(call.args.code as string, 'code');
      return `(select ${q.object(q.returnType(call), call.nodes, t)} from province ${t} where ${t}.code = ${q.bind(code)})`;
    },
  },
  Province: {
    id: globalId('Province', 'code'),
    code: column('code'),
    name: column('name'),
    regencies: list('regency', 'province_code', 'code', ['code'], (call, t, q) =>
      call.args.kind == null ? '' : `${t}.kind = ${q.bind(call.args.kind)}`,
    ),
    regencyCount: (_call, row, q) => {
      const t = q.alias();
      return `(select count(*)::int from regency ${t} where ${t}.province_code = ${row}.code)`;
    },
  },
  Regency: {
    id: globalId('Regency', 'code'),
    code: column('code'),
    name: column('name'),
    kind: column('kind'),
    province: reference('province', 'code', 'province_code'),
  },
};
