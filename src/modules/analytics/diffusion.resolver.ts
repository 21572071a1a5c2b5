// An innovation's diffusion tree and its ancestors: the walks run once over every innovation the parent
// row stands for when those are known as a set (a list, a lookup), else for the parent row alone.
import { Arg, FieldResolver, Int, Resolver } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { jsonArray, knownRows, rowsOf } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import type { Planner } from '../../graphql/sql/planner';
import { Answer } from '../../graphql/sql/reads';
import { Innovation } from '../innovation/innovation.entity';
import { ancestorChainSql, MAX_DIFFUSION_DEPTH, maxDepthArg, summarySql, walkSql } from './diffusion.queries';
import { Diffusion, walkRows } from './diffusion.types';

/** The ancestor chains (start, ancestor, step) of the innovation `row`: of its whole set when known, else its own. */
function chains(q: Planner, row: SqlFragment): SqlFragment {
  const keys = rowsOf(q, row);
  return keys ? q.cte(ancestorChainSql(sql`array(${keys('id')})`), true) : sql`(${ancestorChainSql(sql`array[${row}.id]`)})`;
}

@Resolver(() => Innovation)
export class DiffusionResolver {
  @FieldResolver(() => Diffusion, { description: 'The whole downstream tree of this innovation, computed by the database.' })
  @Sql(
    (call, row, q) => {
      const maxDepth = maxDepthArg(call.args.maxDepth as number);
      const type = q.returnType(call);
      // Listing the nodes carries whole replication rows through the walk; the numbers alone need four columns.
      const withRows = q.selectedNames(type, call.nodes).has('nodes');
      const keys = rowsOf(q, row);
      const d = q.alias();
      // The root with its numbers (none when nothing spread), kept from being folded into every field that reads it.
      const diffusionRow = (summaries: SqlFragment) =>
        sql`(select ${row}.id as __root, s.depth, s.adoptions, s.truncated, s.regencies, s.provinces, s.national
          from (select) one left join ${summaries} s on s.root = ${row}.id offset 0) ${d}`;
      if (keys) {
        // Once for every root (no condition reaches into a walk).
        const tree = q.cte(walkSql(sql`array(${keys('id')})`, maxDepth, withRows), true);
        const summaries = q.cte(summarySql(tree), true);
        walkRows(q, d, tree);
        knownRows(q, d, keys);
        return sql`(select ${q.object(type, call.nodes, d)} from ${diffusionRow(summaries)})`;
      }
      walkRows(q, d, sql`tree_rows`);
      return sql`(with tree_rows as materialized (${walkSql(sql`array[${row}.id]`, maxDepth, withRows)}),
        summaries as (${summarySql(sql`tree_rows`)})
        select ${q.object(type, call.nodes, d)} from ${diffusionRow(sql`summaries`)})`;
    },
    { weight: 5 },
  )
  diffusion(
    @Arg('maxDepth', () => Int, { defaultValue: 10, description: `Generations to follow, 1 to ${MAX_DIFFUSION_DEPTH}.` }) _maxDepth: number,
    @Answer() answer: Diffusion,
  ): Diffusion {
    return answer;
  }

  @FieldResolver(() => [Innovation], { description: 'The innovations this one descends from through local versions: its parent first, the origin last.' })
  @Sql(
    (call, row, q) => {
      const c = q.alias();
      const i = q.alias();
      return jsonArray(q, call, i, sql`${chains(q, row)} ${c} join innovation ${i} on ${i}.id = ${c}.ancestor where ${c}.start = ${row}.id`, sql`${c}.step`);
    },
    { listSize: 5 },
  )
  ancestors(@Answer() answer: Innovation[]): Innovation[] {
    return answer;
  }

  @FieldResolver(() => Innovation, { description: 'The original innovation this one descends from; itself when it is an original.' })
  @Sql((call, row, q) => {
    const c = q.alias();
    const i = q.alias();
    const last = sql`(select ${c}.ancestor from ${chains(q, row)} ${c} where ${c}.start = ${row}.id order by ${c}.step desc limit 1)`;
    return sql`(select ${q.object(q.returnType(call), call.nodes, i)} from innovation ${i} where ${i}.id = coalesce(${last}, ${row}.id))`;
  })
  origin(@Answer() answer: Innovation): Innovation {
    return answer;
  }
}
