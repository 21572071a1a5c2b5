import { LocalDateResolver } from 'graphql-scalars';
import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { Confidence } from '../../db/fact.entity';
import { UserError } from '../../graphql/user-errors';
import { LegalInstrumentKind } from '../legal/legal-instrument.entity';
import { Hub, HubStage } from './hub.entity';

@InputType({ description: 'A decree, found by kind, issuer, number and year, or recorded if new.' })
export class LegalInstrumentInput {
  @Field(() => LegalInstrumentKind)
  kind!: LegalInstrumentKind;

  @Field({ description: 'The number as written, e.g. "305".' })
  number!: string;

  @Field(() => Int)
  year!: number;

  @Field({ description: 'Title; used when the instrument is new.' })
  title!: string;

  @Field({ defaultValue: 'Menteri PANRB' })
  issuer!: string;

  @Field(() => LocalDateResolver, { nullable: true })
  issuedOn?: string | null;
}

@InputType({ description: "Designates a province as a hub, or changes its designation (then send the hub's version)." })
export class DesignateHubInput {
  @Field()
  provinceCode!: string;

  @Field(() => Int)
  cohortYear!: number;

  @Field(() => HubStage)
  stage!: HubStage;

  @Field({ defaultValue: false })
  isPilot!: boolean;

  @Field(() => LegalInstrumentInput, { nullable: true, description: 'The designating decree; required for DESIGNATED.' })
  instrument?: LegalInstrumentInput | null;

  @Field(() => LocalDateResolver, { nullable: true })
  committedOn?: string | null;

  @Field(() => LocalDateResolver, { nullable: true })
  designatedOn?: string | null;

  @Field(() => Int, { nullable: true, description: "Required when the province already has a hub: the version you last read." })
  version?: number | null;

  @Field(() => [String])
  sources!: string[];

  @Field(() => Confidence, { defaultValue: Confidence.REPORTED })
  confidence!: Confidence;

  @Field(() => String, { nullable: true })
  note?: string | null;
}

@ObjectType()
export class HubPayload {
  @Field(() => Hub, { nullable: true })
  hub!: Hub | null;

  @Field(() => [UserError])
  userErrors!: UserError[];

  @Field()
  replayed!: boolean;
}
