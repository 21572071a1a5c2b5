import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Confidence } from '../../db/fact.entity';
import { UserError } from '../../graphql/user-errors';
import { Registry } from '../innovation/innovation.entity';
import { AdopterScope, Replication, ReplicationKind, ReplicationStatus } from './replication.entity';

@InputType({ description: 'Who adopts: NATIONAL, a PROVINCE (its government), a PROVINCE_WIDE commitment, or a REGENCY.' })
export class AdopterInput {
  @Field(() => AdopterScope)
  scope!: AdopterScope;

  @Field(() => String, { nullable: true, description: 'For PROVINCE and PROVINCE_WIDE; implied by regencyCode.' })
  provinceCode?: string | null;

  @Field(() => String, { nullable: true, description: 'For REGENCY.' })
  regencyCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the adopting unit (an Institution), when known.' })
  institutionId?: string | null;
}

@InputType()
export class RecordReplicationInput {
  @Field(() => ID, { description: 'Global id of the innovation that spreads (any province).' })
  sourceId!: string;

  @Field(() => AdopterInput, { description: "The adopter; a hub operator records adoptions in its own province." })
  adopter!: AdopterInput;

  @Field(() => ReplicationKind)
  kind!: ReplicationKind;

  @Field(() => ReplicationStatus, { defaultValue: ReplicationStatus.PROPOSED })
  status!: ReplicationStatus;

  @Field(() => Int)
  year!: number;

  @Field(() => Int, { nullable: true })
  implementationYear?: number | null;

  @Field(() => LocalDateResolver, { nullable: true })
  committedOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  implementedOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Province code of the facilitating hub.' })
  facilitatingHubCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the mentoring programme that supported it.' })
  mentoringProgrammeId?: string | null;

  @Field(() => ID, { nullable: true, description: "Global id of the adopter's own local version (an Innovation)." })
  adoptedAsId?: string | null;

  @Field(() => Registry, { nullable: true })
  registry?: Registry | null;

  @Field(() => String, { nullable: true })
  externalId?: string | null;

  @Field(() => [String])
  sources!: string[];

  @Field(() => Confidence, { defaultValue: Confidence.REPORTED })
  confidence!: Confidence;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@InputType()
export class UpdateReplicationStatusInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'The version you last read.' })
  version!: number;

  @Field(() => ReplicationStatus, {
    description: 'Only forward: PROPOSED -> COMMITTED -> IMPLEMENTED -> INSTITUTIONALIZED, or to DISCONTINUED from any open status.',
  })
  status!: ReplicationStatus;

  @Field(() => LocalDateResolver, { nullable: true, description: 'When it happened: sets committedOn or implementedOn.' })
  on?: string | null;

  @Field(() => [String], { nullable: true, description: 'Sources for the change, added to the record.' })
  sources?: string[] | null;
}

@ObjectType()
export class ReplicationPayload {
  @Field(() => Replication, { nullable: true })
  replication!: Replication | null;

  @Field(() => [UserError])
  userErrors!: UserError[];

  @Field()
  replayed!: boolean;
}
