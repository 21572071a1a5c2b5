import { Arg, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context';
import { Dataset } from '../../db/fact.entity';
import { BadUserInputError } from '../../errors';
import { provinceCodeArg } from '../../graphql/codes';
import { hubImpact } from './impact.service';
import { HubImpact } from './impact.types';

export const MAX_IMPACT_WINDOW = 10;

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
    if (window < 1 || window > MAX_IMPACT_WINDOW) {
      throw new BadUserInputError(`window must be between 1 and ${MAX_IMPACT_WINDOW}; got ${window}.`, 'window');
    }
    return hubImpact(ctx, provinceCodeArg(provinceCode, 'provinceCode'), window, dataset ?? null);
  }
}
