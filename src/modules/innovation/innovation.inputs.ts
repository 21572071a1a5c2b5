import { Field, InputType, Int, registerEnumType } from 'type-graphql';
import { Dataset } from '../../db/fact.entity';
import { AwardTier } from './award.entity';
import { Registry } from './innovation.entity';

@InputType({ description: 'Narrows the list of innovations. Well-formed but unknown codes match nothing.' })
export class InnovationFilter {
  @Field(() => String, {
    nullable: true,
    description: 'Full-text search of title and summary with Indonesian stemming, plus fuzzy title matching.',
  })
  search?: string | null;

  @Field(() => String, { nullable: true, description: 'Innovations located in this province (including its regencies).' })
  provinceCode?: string | null;

  @Field(() => String, { nullable: true, description: 'Innovations located in this regency or city.' })
  regencyCode?: string | null;

  @Field(() => Registry, { nullable: true })
  registry?: Registry | null;

  @Field(() => Int, { nullable: true, description: 'Launched in or after this year.' })
  yearFrom?: number | null;

  @Field(() => Int, { nullable: true, description: 'Launched in or before this year.' })
  yearTo?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'With (true) or without (false) any award.' })
  hasAward?: boolean | null;

  @Field(() => AwardTier, { nullable: true, description: 'With an award of this tier.' })
  awardTier?: AwardTier | null;

  @Field(() => Boolean, { nullable: true, description: 'Replicated, scaled up or disseminated at least once (true), or never (false).' })
  hasReplications?: boolean | null;

  @Field(() => Dataset, { nullable: true })
  dataset?: Dataset | null;
}

export enum InnovationOrderField {
  ID = 'ID',
  TITLE = 'TITLE',
  LAUNCH_YEAR = 'LAUNCH_YEAR',
  RELEVANCE = 'RELEVANCE',
}
registerEnumType(InnovationOrderField, {
  name: 'InnovationOrderField',
  valuesConfig: {
    ID: { description: 'Order of creation.' },
    LAUNCH_YEAR: { description: 'Launch year; unknown years sort first in ascending order.' },
    RELEVANCE: { description: 'Best search match first; only with filter.search.' },
  },
});

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType()
export class InnovationOrder {
  @Field(() => InnovationOrderField)
  field!: InnovationOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction: OrderDirection = OrderDirection.ASC;
}
