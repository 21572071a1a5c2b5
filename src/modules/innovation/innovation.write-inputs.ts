import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Confidence } from '../../db/fact.entity';
import { UserError } from '../../graphql/user-errors';
import { InstitutionKind } from '../institution/institution.entity';
import { Innovation, InnovationStage, Registry, SustainabilityStatus } from './innovation.entity';

@InputType({ description: 'Who owns a new innovation: an existing institution (ownerId) or one found or created by name.' })
export class OwnerInput {
  @Field(() => ID, { nullable: true, description: 'Global id of an existing Institution.' })
  id?: string | null;

  @Field(() => String, { nullable: true, description: 'Exact name; an institution of that name is reused, else created in the innovation\'s region.' })
  name?: string | null;

  @Field(() => InstitutionKind, { nullable: true, description: 'Kind of a new institution; guessed from the name when left out.' })
  kind?: InstitutionKind | null;
}

@InputType()
export class CreateInnovationInput {
  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => OwnerInput)
  owner!: OwnerInput;

  @Field(() => String, { nullable: true, description: 'Province code; implied by regencyCode. Leave both out for a national innovation (ministry only).' })
  provinceCode?: string | null;

  @Field(() => String, { nullable: true })
  regencyCode?: string | null;

  @Field(() => Int, { nullable: true })
  launchYear?: number | null;

  @Field(() => Registry, { nullable: true })
  registry?: Registry | null;

  @Field(() => String, { nullable: true, description: 'Id in the registry; unique per registry.' })
  externalId?: string | null;

  @Field(() => InnovationStage, { nullable: true })
  stage?: InnovationStage | null;

  @Field(() => Boolean, { nullable: true })
  isDigital?: boolean | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => SustainabilityStatus, { nullable: true })
  sustainability?: SustainabilityStatus | null;

  @Field(() => [String], { description: 'Where the facts come from: web addresses or citations (at least one).' })
  sources!: string[];

  @Field(() => Confidence, { defaultValue: Confidence.REPORTED })
  confidence!: Confidence;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType({ description: 'Changes to an innovation. Fields left out stay as they are; null clears a field.' })
export class UpdateInnovationInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you last read; a stale version is a CONFLICT and nothing changes.' })
  version!: number;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true })
  summary?: string | null;

  @Field(() => String, { nullable: true })
  provinceCode?: string | null;

  @Field(() => String, { nullable: true })
  regencyCode?: string | null;

  @Field(() => Int, { nullable: true })
  launchYear?: number | null;

  @Field(() => InnovationStage, { nullable: true })
  stage?: InnovationStage | null;

  @Field(() => Boolean, { nullable: true })
  isDigital?: boolean | null;

  @Field(() => String, { nullable: true })
  category?: string | null;

  @Field(() => SustainabilityStatus, { nullable: true })
  sustainability?: SustainabilityStatus | null;

  @Field(() => [String], { nullable: true })
  sources?: string[] | null;

  @Field(() => Confidence, { nullable: true })
  confidence?: Confidence | null;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@ObjectType()
export class InnovationPayload {
  @Field(() => Innovation, { nullable: true, description: 'The innovation written; null when userErrors is not empty.' })
  innovation!: Innovation | null;

  @Field(() => [UserError])
  userErrors!: UserError[];

  @Field({ description: 'True when an earlier call with the same idempotencyKey made this result.' })
  replayed!: boolean;
}
