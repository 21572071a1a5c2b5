import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../innovation/innovation.mutations';
import { DesignateHubInput, HubPayload } from './hub.write-inputs';
import { designateHub } from './hub.writes';

@Resolver()
export class HubMutations {
  @Mutation(() => HubPayload, { nullable: true, description: 'Designates a province as Hub JIPP, or changes its designation. Ministry only.' })
  designateHub(
    @Ctx() ctx: Context,
    @Arg('input', () => DesignateHubInput) input: DesignateHubInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<HubPayload> {
    return designateHub(ctx, input, idempotencyKey);
  }
}

@Resolver(() => HubPayload)
export class HubPayloadResolver {
  @FieldResolver()
  hub(@Root() payload: HubPayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.hub ? ctx.reads.record(info, payload.hub.id) : null;
  }
}
