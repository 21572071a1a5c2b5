import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'Narrows the list of mentoring programmes.' })
export class MentoringFilter {
  @Field(() => Int, { nullable: true })
  year?: number | null;

  @Field(() => String, { nullable: true, description: 'Hub province mentored, e.g. "61".' })
  provinceCode?: string | null;

  @Field(() => ID, { nullable: true, description: 'Global id of the partner university.' })
  universityId?: string | null;
}
