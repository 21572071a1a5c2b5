import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../innovation/innovation.mutations';
import { RecordReplicationInput, ReplicationPayload, UpdateReplicationStatusInput } from './replication.write-inputs';
import { recordReplication, updateReplicationStatus } from './replication.writes';

@Resolver()
export class ReplicationMutations {
  @Mutation(() => ReplicationPayload, { nullable: true,
    description: "Records that an adopter took up an innovation. Hub operators: adoptions in their own province, of innovations from anywhere.",
  })
  recordReplication(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordReplicationInput) input: RecordReplicationInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<ReplicationPayload> {
    return recordReplication(ctx, input, idempotencyKey);
  }

  @Mutation(() => ReplicationPayload, { nullable: true, description: 'Moves a replication forward in its lifecycle, given the version you last read.' })
  updateReplicationStatus(
    @Ctx() ctx: Context,
    @Arg('input', () => UpdateReplicationStatusInput) input: UpdateReplicationStatusInput,
  ): Promise<ReplicationPayload> {
    return updateReplicationStatus(ctx, input);
  }
}

@Resolver(() => ReplicationPayload)
export class ReplicationPayloadResolver {
  @FieldResolver()
  replication(@Root() payload: ReplicationPayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.replication ? ctx.reads.record(info, payload.replication.id) : null;
  }
}
