import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { childFields, selectedFields } from '../../graphql/selection';
import { defineLoader, type Context } from '../../context';
import { readRow, recordColumn } from '../../db/read-rows';
import { runRead } from '../../db/sql';
import { Innovation } from '../innovation/innovation.entity';
import { innovationById } from '../innovation/innovation.loaders';
import {
  ancestorChains,
  diffusionSummaries,
  diffusionTrees,
  MAX_DIFFUSION_DEPTH,
  maxDepthArg,
  SUMMARY_SQL,
  summaryBindings,
  toDiffusion,
  type DiffusionSummary,
} from './diffusion.service';
import { Diffusion } from './diffusion.types';

const trees = defineLoader<number, Omit<Diffusion, 'root'>>('diffusion.tree', async (ctx, ids, variant) => {
  const [maxDepth, withNodes] = variant.split('|');
  const found = withNodes === 'nodes' ? await diffusionTrees(ctx, ids, Number(maxDepth)) : await diffusionSummaries(ctx.em, ids, Number(maxDepth));
  return ids.map((id) => found.get(id)!);
});

/** The loader variant of a tree: its depth, and whether its nodes are listed or only its numbers. */
const treeVariant = (maxDepth: number, withNodes: boolean) => `${maxDepth}|${withNodes ? 'nodes' : 'summary'}`;

const ancestors = defineLoader<number, Innovation[]>('innovation.ancestors', async (ctx, ids) => {
  const found = await ancestorChains(ctx, ids);
  return ids.map((id) => found.get(id) ?? []);
});

@Resolver(() => Innovation)
export class DiffusionResolver {
  @FieldResolver(() => Diffusion, { description: 'The whole downstream tree of this innovation, computed by the database.' })
  async diffusion(
    @Root() innovation: Innovation,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('maxDepth', () => Int, { defaultValue: 10, description: `Generations to follow, 1 to ${MAX_DIFFUSION_DEPTH}.` })
    maxDepth: number,
  ): Promise<Diffusion> {
    maxDepthArg(maxDepth);
    // Listing the nodes maps every adoption to an object; without them PostgreSQL returns just the numbers.
    return { root: innovation, ...(await trees(ctx, treeVariant(maxDepth, selectedFields(info).has('nodes'))).load(innovation.id)) };
  }

  @FieldResolver(() => [Innovation], {
    description: 'The innovations this one descends from through local versions: its parent first, the origin last.',
  })
  ancestors(@Root() innovation: Innovation, @Ctx() ctx: Context): Promise<Innovation[]> {
    return ancestors(ctx).load(innovation.id);
  }

  @FieldResolver(() => Innovation, { description: 'The original innovation this one descends from; itself when it is an original.' })
  async origin(@Root() innovation: Innovation, @Ctx() ctx: Context): Promise<Innovation> {
    const chain = await ancestors(ctx).load(innovation.id);
    return chain[chain.length - 1] ?? innovation;
  }
}

/**
 * For innovation(id:) with the numbers of its diffusion selected: the innovation and its tree's summary in
 * one statement. The walk needs only the id, which the argument gives, so looking the innovation up first
 * cost a round trip and a statement before the walk could start. The summary primes the diffusion field's
 * loader. Undefined when no occurrence of the field can be folded (its nodes listed, or a maxDepth its
 * resolver will reject): the caller looks the innovation up alone.
 */
export async function innovationWithDiffusion(ctx: Context, info: GraphQLResolveInfo, id: number): Promise<Innovation | null | undefined> {
  const folded = childFields(info, 'diffusion').find(
    ({ args, selected }) => !selected.has('nodes') && typeof args.maxDepth === 'number' && args.maxDepth >= 1 && args.maxDepth <= MAX_DIFFUSION_DEPTH,
  );
  if (!folded) return undefined;
  const maxDepth = folded.args.maxDepth as number;
  const knex = ctx.em.getKnex();
  const rows = await runRead<{ record: Record<string, unknown>; diffusion: DiffusionSummary | null }>(
    ctx.em,
    knex('innovation as i')
      .select(recordColumn(ctx.em, Innovation, 'i', 'record'))
      .select(knex.raw(`(select s.summary from (${SUMMARY_SQL}) s) as diffusion`, summaryBindings([id], maxDepth)))
      .where('i.id', id),
  );
  const innovation = rows.length ? readRow(ctx, Innovation, rows[0].record) : null;
  innovationById(ctx).prime(id, innovation);
  if (innovation) trees(ctx, treeVariant(maxDepth, false)).prime(id, toDiffusion(rows[0].diffusion));
  return innovation;
}
