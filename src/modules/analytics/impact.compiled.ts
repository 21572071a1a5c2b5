// SQL twin of Query.hubImpact (see src/graphql/compiled/sql-json.ts): the resolver's own CTEs
// (impactCtes), means included, with the selection built over their rows.
import type { Dataset } from '../../db/fact.entity';
import { column, type CompilerMap } from '../../graphql/compiled/sql-json';
import { impactArgs, impactCtes } from './impact.service';

export const impactCompilers: CompilerMap = {
  Query: {
    hubImpact: (call, _row, q) => {
      const { provinceCode, window } = impactArgs(call.args.provinceCode as string, call.args.window as number);
      const ctes = impactCtes(provinceCode, window, (call.args.dataset as Dataset | null | undefined) ?? null);
      const text = q.embed(q.em.getKnex().raw(ctes.sql, ctes.bindings as never[]));
      const s = q.alias();
      // The hub's rows for fields computed over a set of them (Hub.statistics): hub_row, as the statement
      // at the top can see it (the CTEs above are this subquery's own).
      const code = q.bind(provinceCode);
      q.rowKeys.set(s, (keyColumn) => `select ${keyColumn} from hub where province_code = ${code}`);
      return `(${text} select ${q.object(q.returnType(call), call.nodes, s)} from summary ${s})`;
    },
  },
  HubImpact: {
    hub: (call, row, q) => {
      const h = q.alias();
      const keys = q.rowKeys.get(row);
      if (keys) q.rowKeys.set(h, keys);
      return `(select ${q.object(q.returnType(call), call.nodes, h)} from hub_row ${h})`;
    },
    activeYear: column('active_year'),
    window: column('"window"'),
    years: (call, _row, q) => {
      const y = q.alias();
      return `(select coalesce(json_agg(${q.object(q.returnType(call), call.nodes, y)} order by ${y}.year), '[]') from years ${y})`;
    },
    comparisonProvinceCodes: column('comparison_codes'),
    hubBefore: column('hub_before'),
    hubAfter: column('hub_after'),
    comparisonBefore: column('comparison_before'),
    comparisonAfter: column('comparison_after'),
    difference: column('difference'),
  },
  ImpactYear: {
    year: column('year'),
    period: column('period'),
    hub: column('hub'),
    comparisonMean: column('comparison_mean'),
  },
};
