import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class StatisticsYear {
  @Field(() => Int)
  year!: number;

  @Field(() => Int, { description: 'Innovations launched that year.' })
  innovations!: number;

  @Field(() => Int)
  replicationsOut!: number;

  @Field(() => Int)
  replicationsIn!: number;
}

@ObjectType()
export class TopInnovation {
  /** Resolved through the batched innovation loader, only when selected. */
  innovationId!: number;

  @Field(() => Int, { description: 'Replications of the innovation within the years asked.' })
  adoptions!: number;
}

@ObjectType({ description: 'Activity of a region (or a ministry hub) over a range of years.' })
export class RegionStatistics {
  @Field(() => Int, { nullable: true })
  yearFrom!: number | null;

  @Field(() => Int, { nullable: true })
  yearTo!: number | null;

  @Field(() => Int, {
    description: 'Innovations located in the region (owned, for a ministry hub); with a year range, those launched in it.',
  })
  innovations!: number;

  @Field(() => Int, { description: 'Replications of those innovations (any adopter), in the years asked.' })
  replicationsOut!: number;

  @Field(() => Int, { description: 'Replications adopted in the region (by a ministry hub), in the years asked.' })
  replicationsIn!: number;

  @Field(() => Int, { description: 'Province-wide commitments among replicationsIn (each counted once).' })
  provinceWideCommitments!: number;

  @Field(() => Int, { description: 'Distinct regencies of the region named as adopters.' })
  adoptingRegencies!: number;

  @Field(() => Int, { description: 'Regencies and cities of the region (1 for a regency, 0 for a ministry hub).' })
  memberRegencies!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'adoptingRegencies / memberRegencies; null without member regencies. Province-wide commitments are not expanded.',
  })
  adoptionRate!: number | null;

  @Field(() => Int, { description: 'Distinct regencies anywhere that adopted innovations of the region.' })
  reachRegencies!: number;

  @Field(() => [StatisticsYear], { description: 'Per-year series, for the years with any activity, oldest first.' })
  series!: StatisticsYear[];

  @Field(() => [TopInnovation], { description: 'The region\'s innovations with most adoptions (at most 5).' })
  topInnovations!: TopInnovation[];
}
