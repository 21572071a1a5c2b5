import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Int, Resolver, Root } from 'type-graphql';
import { selectedFields } from '../../graphql/selection';
import { defineLoader, type Context } from '../../context';
import { BadUserInputError } from '../../errors';
import { Innovation } from '../innovation/innovation.entity';
import { ancestorChains, diffusionSummaries, diffusionTrees, MAX_DIFFUSION_DEPTH } from './diffusion.service';
import { Diffusion } from './diffusion.types';

const trees = defineLoader<number, Omit<Diffusion, 'root'>>('diffusion.tree', async (ctx, ids, variant) => {
  const [maxDepth, withNodes] = variant.split('|');
  const found = withNodes === 'nodes' ? await diffusionTrees(ctx, ids, Number(maxDepth)) : await diffusionSummaries(ctx.em, ids, Number(maxDepth));
  return ids.map((id) => found.get(id)!);
});

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
    if (maxDepth < 1 || maxDepth > MAX_DIFFUSION_DEPTH) {
      throw new BadUserInputError(`maxDepth must be between 1 and ${MAX_DIFFUSION_DEPTH}; got ${maxDepth}.`, 'maxDepth');
    }
    // Listing the nodes maps every adoption to an object; without them PostgreSQL returns just the numbers.
    const withNodes = selectedFields(info).has('nodes') ? 'nodes' : 'summary';
    return { root: innovation, ...(await trees(ctx, `${maxDepth}|${withNodes}`).load(innovation.id)) };
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
