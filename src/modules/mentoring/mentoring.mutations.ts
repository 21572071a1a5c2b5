import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../innovation/innovation.mutations';
import {
  CreateMentoringProgrammeInput,
  MentoringProgrammePayload,
  MentoringSessionPayload,
  RecordMentoringSessionInput,
} from './mentoring.write-inputs';
import { createMentoringProgramme, recordMentoringSession } from './mentoring.writes';

@Resolver()
export class MentoringMutations {
  @Mutation(() => MentoringProgrammePayload, { nullable: true, description: 'Records a mentoring programme. University keys: for their own university.' })
  createMentoringProgramme(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateMentoringProgrammeInput) input: CreateMentoringProgrammeInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<MentoringProgrammePayload> {
    return createMentoringProgramme(ctx, input, idempotencyKey);
  }

  @Mutation(() => MentoringSessionPayload, { nullable: true, description: 'Records a session of a programme. University keys: their own programmes.' })
  recordMentoringSession(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordMentoringSessionInput) input: RecordMentoringSessionInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<MentoringSessionPayload> {
    return recordMentoringSession(ctx, input, idempotencyKey);
  }
}

@Resolver(() => MentoringProgrammePayload)
export class MentoringProgrammePayloadResolver {
  @FieldResolver()
  programme(@Root() payload: MentoringProgrammePayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.programme ? ctx.reads.record(info, payload.programme.id) : null;
  }
}

@Resolver(() => MentoringSessionPayload)
export class MentoringSessionPayloadResolver {
  @FieldResolver()
  session(@Root() payload: MentoringSessionPayload, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Promise<unknown> | null {
    return payload.session ? ctx.reads.record(info, payload.session.id) : null;
  }
}
