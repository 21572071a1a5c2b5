import { LocalDateResolver } from 'graphql-scalars';
import { Field, InputType, Int } from 'type-graphql';
import { HubStage } from './hub.entity';
import { HubLevel } from './hub.level';

@InputType({ description: 'Narrows the list of hubs.' })
export class HubFilter {
  @Field(() => Int, { nullable: true })
  cohortYear?: number | null;

  @Field(() => HubStage, { nullable: true })
  stage?: HubStage | null;

  @Field(() => String, {
    nullable: true,
    description: 'Number of the designating decree, "94" or "94/2020" (number/year).',
  })
  instrumentNumber?: string | null;

  @Field(() => LocalDateResolver, {
    nullable: true,
    description: 'Only hubs active on this date: started (see Hub.activeFrom) on or before it and not ended.',
  })
  activeOn?: string | null;

  @Field(() => Boolean, { nullable: true })
  isPilot?: boolean | null;

  @Field(() => HubLevel, { nullable: true })
  level?: HubLevel | null;
}
