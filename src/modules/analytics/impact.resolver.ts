import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Dataset } from '../../db/fact.entity';
import { hubImpact, impactArgs, MAX_IMPACT_WINDOW } from './impact.service';
import { HubImpact } from './impact.types';

@Resolver(() => HubImpact)
export class HubImpactResolver {
  @Query(() => HubImpact, {
    nullable: true,
    description: 'Did becoming a hub change anything? Null when the province has no hub.',
  })
  async hubImpact(
    @Ctx() ctx: Context,
    @Arg('provinceCode') provinceCode: string,
    @Arg('window', () => Int, { defaultValue: 4, description: `Years on each side of the hub's start, 1 to ${MAX_IMPACT_WINDOW}.` })
    window: number,
    @Arg('dataset', () => Dataset, { nullable: true, description: 'Count only replications of this dataset.' })
    dataset?: Dataset | null,
  ): Promise<HubImpact | null> {
    const args = impactArgs(provinceCode, window);
    return hubImpact(ctx, args.provinceCode, args.window, dataset ?? null);
  }
}
