import { Field, InputType, Int } from 'type-graphql';
import { RegencyKind } from './regency.entity';

@InputType({ description: 'Narrows the list of provinces.' })
export class ProvinceFilter {
  @Field(() => Boolean, { nullable: true, description: 'Only provinces that are (true) or are not (false) a Hub JIPP.' })
  isHub?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Only provinces whose hub joined in this cohort year.' })
  hubCohortYear?: number | null;
}

@InputType({ description: 'Narrows the list of regencies. Unknown but well-formed codes match nothing.' })
export class RegencyFilter {
  @Field(() => String, { nullable: true, description: 'Only regencies of this province, e.g. "35".' })
  provinceCode?: string | null;

  @Field(() => RegencyKind, { nullable: true })
  kind?: RegencyKind | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the name, e.g. "gresik".' })
  nameContains?: string | null;
}
