import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { mayReadPersonalData } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { IDEMPOTENCY_KEY_DESCRIPTION } from '../innovation/innovation.mutations';
import { MentoringSession } from './mentoring-session.entity';
import {
  CreateMentoringProgrammeInput,
  MentoringProgrammePayload,
  MentoringSessionPayload,
  RecordMentoringSessionInput,
} from './mentoring.write-inputs';
import { createMentoringProgramme, recordMentoringSession } from './mentoring.writes';
import { loadRef } from '../../graphql/refs';

@Resolver()
export class MentoringMutations {
  @Mutation(() => MentoringProgrammePayload, { description: 'Records a mentoring programme. University keys: for their own university.' })
  createMentoringProgramme(
    @Ctx() ctx: Context,
    @Arg('input', () => CreateMentoringProgrammeInput) input: CreateMentoringProgrammeInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<MentoringProgrammePayload> {
    return createMentoringProgramme(ctx, input, idempotencyKey);
  }

  @Mutation(() => MentoringSessionPayload, { description: 'Records a session of a programme. University keys: their own programmes.' })
  recordMentoringSession(
    @Ctx() ctx: Context,
    @Arg('input', () => RecordMentoringSessionInput) input: RecordMentoringSessionInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey?: string | null,
  ): Promise<MentoringSessionPayload> {
    return recordMentoringSession(ctx, input, idempotencyKey);
  }
}

@Resolver(() => MentoringSession)
export class MentorNamesResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description: 'Personal data: the mentors. Null unless the caller is the ministry or the university running the programme.',
  })
  async mentorNames(@Root() session: MentoringSession, @Ctx() ctx: Context): Promise<string[] | null> {
    if (ctx.viewer.role !== Role.MINISTRY_ADMIN && ctx.viewer.role !== Role.UNIVERSITY) return null;
    const programme = await loadRef(session.programme);
    return mayReadPersonalData(ctx.viewer, programme?.university?.id ?? null) ? session.mentorNames : null;
  }
}
