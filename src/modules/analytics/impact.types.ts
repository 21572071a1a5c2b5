import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Hub } from '../hub/hub.entity';

export enum ImpactPeriod {
  BEFORE = 'BEFORE',
  AFTER = 'AFTER',
}
registerEnumType(ImpactPeriod, { name: 'ImpactPeriod' });

@ObjectType()
export class ImpactYear {
  @Field(() => Int)
  year!: number;

  @Field(() => ImpactPeriod, { description: 'AFTER from the year the hub became active.' })
  period!: ImpactPeriod;

  @Field(() => Int, { description: 'Adoptions in the hub province (its regencies included) that year.' })
  hub!: number;

  @Field(() => Float, { description: 'Mean adoptions that year over the comparison provinces.' })
  comparisonMean!: number;
}

@ObjectType({
  description:
    'Adoptions per year in a hub province before and after it became a hub, against the same years in provinces that were not hubs during the whole window: a simple difference-in-differences, with the numbers behind it.',
})
export class HubImpact {
  @Field(() => Hub)
  hub!: Hub;

  @Field(() => Int, { description: 'Year the hub became active (see Hub.activeFrom).' })
  activeYear!: number;

  @Field(() => Int, { description: 'Years on each side of activeYear.' })
  window!: number;

  @Field(() => [ImpactYear])
  years!: ImpactYear[];

  @Field(() => [String], { description: 'Codes of the comparison provinces: no hub active at any time in the window.' })
  comparisonProvinceCodes!: string[];

  @Field(() => Float, { description: 'Mean adoptions per year in the hub province before activeYear.' })
  hubBefore!: number;

  @Field(() => Float, { description: 'Mean adoptions per year in the hub province from activeYear on.' })
  hubAfter!: number;

  @Field(() => Float, { nullable: true, description: 'Mean over comparison provinces and years, before; null without comparison provinces.' })
  comparisonBefore!: number | null;

  @Field(() => Float, { nullable: true })
  comparisonAfter!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '(hubAfter - hubBefore) - (comparisonAfter - comparisonBefore); null without comparison provinces.',
  })
  difference!: number | null;
}
