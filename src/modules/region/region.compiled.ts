// SQL twins of the region resolvers (see src/graphql/compiled/sql-json.ts).
import { provinceCodeArg, regencyCodeArg } from '../../graphql/codes';
import { filteredList } from '../../graphql/compiled/connection-sql';
import { byKey, column, globalId, list, matchesList, reference, type CompilerMap } from '../../graphql/compiled/sql-json';
import type { ProvinceFilter } from './region.inputs';
import { provinceQuery, REGENCY_ORDERING, regencyQuery } from './region.queries';

export const regionCompilers: CompilerMap = {
  Query: {
    provinces: matchesList<ProvinceFilter>(provinceQuery, (t) => `${t}.code`),
    province: (call, _row, q) => byKey('province', 'code', provinceCodeArg(call.args.code as string, 'code'), call, q),
    regency: (call, _row, q) => byKey('regency', 'code', regencyCodeArg(call.args.code as string, 'code'), call, q),
    regencies: filteredList(regencyQuery, REGENCY_ORDERING),
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
