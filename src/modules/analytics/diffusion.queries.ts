// Diffusion trees and ancestor chains as recursive queries over many innovations at once. Every walk
// carries the innovations it has passed, so cycles in bad data end the walk instead of looping.
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';

export const MAX_DIFFUSION_DEPTH = 20;

/** maxDepth as the diffusion field takes it: 1 to MAX_DIFFUSION_DEPTH generations. */
export function maxDepthArg(maxDepth: number): number {
  if (maxDepth < 1 || maxDepth > MAX_DIFFUSION_DEPTH) {
    throw new BadUserInputError(`maxDepth must be between 1 and ${MAX_DIFFUSION_DEPTH}; got ${maxDepth}.`, 'maxDepth');
  }
  return maxDepth;
}

/** The replication columns a summary reads; a walk that lists its nodes carries whole rows (rep) instead. */
const SUMMARY_COLUMNS = ['year', 'adopter_scope', 'adopter_province_code', 'adopter_regency_code'];

/**
 * The walk from the roots (an int[] expression) down their local versions, generation by generation, as
 * rows (root, generation, has_more and the summary's columns; with `withRows` also rep, the whole
 * replication row, and parent_id, for listing the nodes). PostgreSQL cannot estimate how many rows a
 * recursive step yields, and with some statistics it planned each step as a full scan of the replications
 * (120 ms a generation at national scale): each step looks its children up through the source_id index in
 * a lateral subquery that OFFSET 0 keeps from being flattened into a join, and the walk carries what it
 * needs of each replication (never joining back), so its cost follows the size of the tree, not of the
 * table. A walk for the numbers alone carries no ids: every column a row carries is copied at each step
 * and again into the materialized rows.
 */
export function walkSql(roots: SqlFragment, maxDepth: number, withRows: boolean): SqlFragment {
  const carried = (from: string) =>
    withRows ? sql.raw(from === 'r' ? 'r as rep' : 'c::replication') : sql.join(SUMMARY_COLUMNS.map((c) => sql.raw(`${from}.${c}`)));
  const columns = sql.join(SUMMARY_COLUMNS.map((c) => sql.raw(withRows ? `(t.rep).${c} as ${c}` : `t.${c}`)));
  return sql`with recursive tree as (
    select r.source_id as root, r.adopted_as_id, 1 as generation, array[r.source_id] as path${withRows ? sql`, null::int as parent_id` : sql``}, ${carried('r')}
    from replication r where r.source_id = any(${roots})
    union all
    select t.root, c.adopted_as_id, t.generation + 1, t.path || c.source_id${withRows ? sql`, (t.rep).id` : sql``}, ${carried('c')}
    from tree t cross join lateral (select * from replication x where x.source_id = t.adopted_as_id offset 0) c
    where t.generation < ${maxDepth} and not (t.adopted_as_id = any(t.path)))
  select t.root, t.generation, ${columns}${withRows ? sql`, t.parent_id, t.rep` : sql``},
    -- A node at the depth limit whose local version spread further: the tree was cut short.
    (t.generation = ${maxDepth} and t.adopted_as_id is not null
      and exists (select 1 from replication n where n.source_id = t.adopted_as_id)) as has_more
  from tree t`;
}

/**
 * Each root's numbers from its walk's rows (`tree`, a relation of walkSql's rows): one row per root with
 * adoptions, its columns those of Diffusion and DiffusionReach (a root without adoptions has no row). The
 * distinct regencies and provinces are counted from hashed distinct pairs: count(distinct) grouped by root
 * sorts every row by root and code, which cost more than the walk's other aggregates together.
 */
export function summarySql(tree: SqlFragment): SqlFragment {
  const distinct = (column: string) =>
    sql`(select root, count(*) as n from (select distinct root, ${sql.raw(column)} from ${tree} where ${sql.raw(column)} is not null) x group by root)`;
  return sql`select a.root, a.depth, a.adoptions, a.truncated, coalesce(rg.n, 0) as regencies, coalesce(pv.n, 0) as provinces, a.national
    from (select f.root, max(f.generation) as depth, count(*) as adoptions, bool_or(f.has_more) as truncated,
            bool_or(f.adopter_scope = 'NATIONAL') as national
          from ${tree} f group by f.root) a
    left join ${distinct('adopter_regency_code')} rg on rg.root = a.root
    left join ${distinct('adopter_province_code')} pv on pv.root = a.root`;
}

/** A root's adoptions per year with the running total (year, adoptions, cumulative), from its walk's rows. */
export function timelineSql(tree: SqlFragment, root: SqlFragment): SqlFragment {
  return sql`select y.year, y.n as adoptions, (sum(y.n) over (order by y.year))::int as cumulative
    from (select t.year, count(*)::int as n from ${tree} t where t.root = ${root} group by t.year) y`;
}

/**
 * The chains of innovations the starts (an int[] expression) descend from, as rows (start, ancestor, step):
 * step 1 is the parent. A local version is adopted by one replication at most (adopted_as_id is unique),
 * so each chain is a line, and its steps order it.
 */
export function ancestorChainSql(starts: SqlFragment): SqlFragment {
  return sql`with recursive chain as (
       select r.adopted_as_id as start, r.source_id as ancestor, 1 as step, array[r.adopted_as_id, r.source_id] as path
       from replication r where r.adopted_as_id = any(${starts})
       union all
       select c.start, r.source_id, c.step + 1, c.path || r.source_id
       from chain c cross join lateral (select x.source_id from replication x where x.adopted_as_id = c.ancestor offset 0) r
       where not (r.source_id = any(c.path)) and c.step < 100)
     select start, ancestor, step from chain`;
}
