import { Arg, Int, Query, Resolver } from 'type-graphql';
import { Dataset } from '../../db/fact.entity';
import { sql } from '../../db/sql';
import { knownRows } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { impactArgs, impactCtes, MAX_IMPACT_WINDOW } from './impact.queries';
import { HubImpact } from './impact.types';

@Resolver(() => HubImpact)
export class HubImpactResolver {
  @Query(() => HubImpact, { nullable: true, description: 'Did becoming a hub change anything? Null when the province has no hub.' })
  @Sql(
    (call, _row, q) => {
      const { provinceCode, window } = impactArgs(call.args.provinceCode as string, call.args.window as number);
      const s = q.alias();
      // The hub's rows, for fields computed over a set of them (Hub.statistics) in the statement's top level.
      knownRows(q, s, (column) => sql`select ${sql.raw(column)} from hub where province_code = ${provinceCode}`);
      const ctes = impactCtes(provinceCode, window, (call.args.dataset as Dataset | null | undefined) ?? null);
      return sql`(${ctes} select ${q.object(q.returnType(call), call.nodes, s)} from summary ${s})`;
    },
    { weight: 5 },
  )
  hubImpact(
    @Arg('provinceCode') _provinceCode: string,
    @Arg('window', () => Int, { defaultValue: 4, description: `Years on each side of the hub's start, 1 to ${MAX_IMPACT_WINDOW}.` }) _window: number,
    @Arg('dataset', () => Dataset, { nullable: true, description: 'Count only replications of this dataset.' }) _dataset: Dataset | null,
    @Answer() answer: HubImpact | null,
  ): HubImpact | null {
    return answer;
  }
}
