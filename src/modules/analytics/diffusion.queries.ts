// Diffusion trees and ancestor chains as recursive queries, batched over many innovations at once.
// Every walk carries the innovations it has passed, so cycles in bad data end the walk instead of looping.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context';
import { readRow } from '../../db/read-rows';
import { BadUserInputError } from '../../errors';
import { entityColumns, pgArray, runRead } from '../../db/sql';
import { toGlobalId } from '../../graphql/global-id';
import { Innovation } from '../innovation/innovation.entity';
import { AdopterScope, Replication } from '../replication/replication.entity';
import type { Diffusion, DiffusionNode } from './diffusion.types';

export const MAX_DIFFUSION_DEPTH = 20;

/** maxDepth as the diffusion field takes it: 1 to MAX_DIFFUSION_DEPTH generations. */
export function maxDepthArg(maxDepth: number): number {
  if (maxDepth < 1 || maxDepth > MAX_DIFFUSION_DEPTH) {
    throw new BadUserInputError(`maxDepth must be between 1 and ${MAX_DIFFUSION_DEPTH}; got ${maxDepth}.`, 'maxDepth');
  }
  return maxDepth;
}

type TreeRow = Record<string, unknown> & { root: number; generation: number; parent_id: number | null; has_more: boolean };

// PostgreSQL cannot estimate how many rows a recursive step yields, and with some statistics it planned
// each step as a full scan of the replications and a hash join (120 ms per generation at national scale),
// or joined the finished tree back to every replication. So each step looks its children up through the
// source_id index in a lateral subquery that OFFSET 0 keeps from being flattened into a join, and the walk
// carries what it needs of each replication (never joining back): the cost follows the size of the tree, not
// of the table.
const CHILDREN_OF = (parent: string) =>
  `cross join lateral (select * from replication x where x.source_id = ${parent} offset 0) c`;

/**
 * The walk from the roots. It carries either each replication's whole row (rep), for callers that list the
 * nodes, or only the columns a summary reads: copying whole rows through the recursion costs a third more.
 */
function treeCte(carried: 'row' | readonly string[]): string {
  const first = carried === 'row' ? 'r as rep' : carried.map((c) => `r.${c}`).join(', ');
  const next = carried === 'row' ? 'c::replication' : carried.map((c) => `c.${c}`).join(', ');
  return `
  with recursive tree as (
    select r.id, r.source_id as root, r.adopted_as_id, 1 as generation, null::int as parent_id,
           array[r.source_id] as path, ${first}
    from replication r where r.source_id = any(?::int[])
    union all
    select c.id, t.root, c.adopted_as_id, t.generation + 1, t.id, t.path || c.source_id, ${next}
    from tree t ${CHILDREN_OF('t.adopted_as_id')}
    where t.generation < ? and not (t.adopted_as_id = any(t.path))
  )`;
}

const SUMMARY_COLUMNS = ['year', 'adopter_scope', 'adopter_province_code', 'adopter_regency_code'] as const;

/** The replication columns of a tree row t, as r.<column>. */
const REPLICATION_OF_NODE = 'cross join lateral (select (t.rep).*) r';

/** Whether a node at the depth limit has a local version that spread further: the tree was cut short. */
const HAS_MORE = `(t.generation = ? and t.adopted_as_id is not null
  and exists (select 1 from replication n where n.source_id = t.adopted_as_id))`;

/**
 * The statement behind diffusionSummaries: one row (root, summary) per root that has adoptions. Its
 * placeholders: the roots as an int[] literal, then maxDepth twice (see summaryBindings). With `node`, the
 * walk carries whole replication rows and each row also has `nodes`, the root's nodes as JSON in the
 * order the resolver lists them: `node(n)` writes one from n, a replication's columns with the walk's
 * __generation and __parent (the compiled read, diffusion.compiled.ts).
 */
export function summarySql(node?: (n: string) => string): string {
  const column = (name: string) => (node ? `(t.rep).${name}` : `t.${name}`);
  const listed = node
    ? `,
     listed as (select t.root, json_agg(${node('n')} order by t.generation, n.year, n.id) as list
                from tree t cross join lateral (select (t.rep).*, t.generation as __generation, t.parent_id as __parent) n
                group by t.root)`
    : '';
  const nodesColumn = node ? ', (select list from listed where listed.root = f.root) as nodes' : '';
  return `${treeCte(node ? 'row' : SUMMARY_COLUMNS)},
     facts as (select t.root, t.generation, ${HAS_MORE} as has_more, ${SUMMARY_COLUMNS.map((c) => `${column(c)} as ${c}`).join(', ')}
               from tree t),
     years as (select root, year, count(*)::int as n from facts group by 1, 2),
     timeline as (select root, json_agg(json_build_object('year', year, 'adoptions', n, 'cumulative', cumulative) order by year) as list
                  from (select root, year, n, (sum(n) over (partition by root order by year))::int as cumulative from years) y group by root)${listed}
     select f.root, json_build_object(
       'depth', max(f.generation), 'adoptions', count(*), 'truncated', bool_or(f.has_more),
       'reach', json_build_object('regencies', count(distinct f.adopter_regency_code), 'provinces', count(distinct f.adopter_province_code),
                                  'national', bool_or(f.adopter_scope = 'NATIONAL')),
       'timeline', (select list from timeline where timeline.root = f.root)) as summary${nodesColumn}
     from facts f group by f.root`;
}

export const SUMMARY_SQL = summarySql();

export type DiffusionSummary = Omit<Diffusion, 'root' | 'nodes'>;

export const summaryBindings = (roots: readonly number[], maxDepth: number) => [pgArray(roots), maxDepth, maxDepth];

/** A summary as SUMMARY_SQL returns it (null: the root has no adoptions), as the diffusion of its root. */
export const toDiffusion = (summary: DiffusionSummary | null): Omit<Diffusion, 'root'> =>
  summary ? { ...summary, nodes: [] } : noDiffusion();

/** The tree's numbers without its nodes, aggregated in PostgreSQL: for callers that do not list the nodes. */
export async function diffusionSummaries(em: EntityManager, roots: readonly number[], maxDepth: number): Promise<Map<number, Omit<Diffusion, 'root'>>> {
  const rows = await runRead<{ root: number; summary: DiffusionSummary }>(em, SUMMARY_SQL, summaryBindings(roots, maxDepth));
  const found = new Map(rows.map((r) => [r.root, r.summary]));
  return new Map(roots.map((root) => [root, toDiffusion(found.get(root) ?? null)]));
}

export async function diffusionTrees(ctx: Context, roots: readonly number[], maxDepth: number): Promise<Map<number, Omit<Diffusion, 'root'>>> {
  const columns = entityColumns(ctx.em, Replication, 'r').join(', ');
  const rows = await runRead<TreeRow>(
    ctx.em,
    `${treeCte('row')}
     select ${columns}, t.root, t.generation, t.parent_id, ${HAS_MORE} as has_more
     from tree t ${REPLICATION_OF_NODE}
     order by t.root, t.generation, r.year, r.id`,
    [pgArray(roots), maxDepth, maxDepth],
  );
  const byRoot = new Map<number, TreeRow[]>();
  for (const row of rows) byRoot.set(row.root, [...(byRoot.get(row.root) ?? []), row]);
  const result = new Map<number, Omit<Diffusion, 'root'>>();
  for (const root of roots) result.set(root, summarize(ctx, byRoot.get(root) ?? []));
  return result;
}

function noDiffusion(): Omit<Diffusion, 'root'> {
  return { depth: 0, adoptions: 0, truncated: false, reach: { regencies: 0, provinces: 0, national: false }, nodes: [], timeline: [] };
}

function summarize(ctx: Context, rows: TreeRow[]): Omit<Diffusion, 'root'> {
  // readRow takes the replication's columns from the row and ignores the walk's own (root, generation, ...):
  // no rest destructuring, which on Node 20 copies each remaining property through a slow path.
  const nodes: DiffusionNode[] = rows.map((row) => ({
    replication: readRow(ctx, Replication, row),
    generation: row.generation,
    parentId: row.parent_id === null ? null : toGlobalId('Replication', row.parent_id),
  }));
  const replications = nodes.map((n) => n.replication);
  const perYear = new Map<number, number>();
  for (const r of replications) perYear.set(r.year, (perYear.get(r.year) ?? 0) + 1);
  let cumulative = 0;
  const timeline = [...perYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, adoptions]) => ({ year, adoptions, cumulative: (cumulative += adoptions) }));
  return {
    depth: nodes.reduce((max, n) => Math.max(max, n.generation), 0),
    adoptions: nodes.length,
    truncated: rows.some((r) => r.has_more),
    reach: {
      regencies: new Set(replications.map((r) => r.adopterRegency?.code).filter(Boolean)).size,
      provinces: new Set(replications.map((r) => r.adopterProvince?.code).filter(Boolean)).size,
      national: replications.some((r) => r.adopterScope === AdopterScope.NATIONAL),
    },
    nodes,
    timeline,
  };
}

/**
 * The chains of innovations the roots (an int[] placeholder) descend from, as `chain` (start, ancestor,
 * step): step 1 is the parent. A local version is adopted by one replication at most (adopted_as_id is
 * unique), so each chain is a line, and its steps order it.
 */
export const ANCESTOR_CHAIN_SQL = `with recursive chain as (
       select r.adopted_as_id as start, r.source_id as ancestor, 1 as step, array[r.adopted_as_id, r.source_id] as path
       from replication r where r.adopted_as_id = any(?::int[])
       union all
       select c.start, r.source_id, c.step + 1, c.path || r.source_id
       from chain c cross join lateral (select x.source_id from replication x where x.adopted_as_id = c.ancestor offset 0) r
       where not (r.source_id = any(c.path)) and c.step < 100
     )`;

/** For each innovation, the chain of innovations it descends from: parent first, origin last. */
export async function ancestorChains(ctx: Context, ids: readonly number[]): Promise<Map<number, Innovation[]>> {
  const columns = entityColumns(ctx.em, Innovation, 'i').join(', ');
  const rows = await runRead<Record<string, unknown> & { start: number; step: number }>(
    ctx.em,
    `${ANCESTOR_CHAIN_SQL}
     select ${columns}, c.start, c.step from chain c join innovation i on i.id = c.ancestor order by c.start, c.step`,
    [pgArray(ids)],
  );
  const chains = new Map<number, Innovation[]>(ids.map((id) => [id, []]));
  for (const row of rows) chains.get(row.start)?.push(readRow(ctx, Innovation, row));
  return chains;
}
