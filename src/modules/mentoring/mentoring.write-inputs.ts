import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Confidence } from '../../db/fact.entity';
import { UserError } from '../../graphql/user-errors';
import { MentoringProgramme } from './mentoring-programme.entity';
import { MentoringSession, SessionMode } from './mentoring-session.entity';

@InputType()
export class CreateMentoringProgrammeInput {
  @Field(() => Int)
  year!: number;

  @Field({ description: 'Hub province mentored.' })
  provinceCode!: string;

  @Field(() => ID, { nullable: true, description: 'Partner university; a UNIVERSITY key may only name its own (and may leave it out).' })
  universityId?: string | null;

  @Field(() => String, { nullable: true, description: 'A partner that is not a university.' })
  otherPartner?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  periodStart?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  periodEnd?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  commitmentSignedOn?: string | null;

  @Field(() => String, { nullable: true })
  recommendedBy?: string | null;

  @Field(() => [String], { defaultValue: [] })
  outputs!: string[];

  @Field(() => [String])
  sources!: string[];

  @Field(() => Confidence, { defaultValue: Confidence.REPORTED })
  confidence!: Confidence;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class RecordMentoringSessionInput {
  @Field(() => ID)
  programmeId!: string;

  @Field(() => LocalDateResolver)
  heldOn!: string;

  @Field(() => SessionMode)
  mode!: SessionMode;

  @Field()
  topic!: string;

  @Field(() => Int, { nullable: true })
  participantCount?: number | null;

  @Field(() => [String], { defaultValue: [], description: 'Personal data: readable only by the ministry and the owning university.' })
  mentorNames!: string[];

  @Field(() => [String], { defaultValue: [], description: 'Codes of the regencies whose teams took part.' })
  regencyCodes!: string[];

  @Field(() => [String], { defaultValue: [] })
  sources!: string[];
}

@ObjectType()
export class MentoringProgrammePayload {
  @Field(() => MentoringProgramme, { nullable: true })
  programme!: MentoringProgramme | null;

  @Field(() => [UserError])
  userErrors!: UserError[];

  @Field()
  replayed!: boolean;
}

@ObjectType()
export class MentoringSessionPayload {
  @Field(() => MentoringSession, { nullable: true })
  session!: MentoringSession | null;

  @Field(() => [UserError])
  userErrors!: UserError[];

  @Field()
  replayed!: boolean;
}
