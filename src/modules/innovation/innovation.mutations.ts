import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { CreateInnovationInput, InnovationPayload, UpdateInnovationInput } from './innovation.write-inputs';
import { createInnovation, updateInnovation } from './innovation.writes';

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Any string up to 200 characters, unique per intended write: a retry with the same key and input returns the first result (replayed: true) without writing again; the same key with another input is a CONFLICT.';

@Resolver()
export class InnovationMutations {
  @Mutation(() => InnovationPayload, { nullable: true, description: 'Records a new innovation. Hub operators: in their own province.' })
  createInnovation(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateInnovationInput) input: CreateInnovationInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<InnovationPayload> {
    return createInnovation(ctx, input, idempotencyKey);
  }

  @Mutation(() => InnovationPayload, { nullable: true, description: 'Changes an innovation, given the version you last read.' })
  updateInnovation(@Ctx() ctx: Context, @Arg('input', () => UpdateInnovationInput) input: UpdateInnovationInput): Promise<InnovationPayload> {
    return updateInnovation(ctx, input);
  }
}

@Resolver(() => InnovationPayload)
export class InnovationPayloadResolver {
  /** The innovation as it stands after the write, for the selection the client made. */
  @FieldResolver()
  innovation(@Root() payload: InnovationPayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.innovation ? ctx.reads.record(info, payload.innovation.id) : null;
  }
}
