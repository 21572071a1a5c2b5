import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Innovation } from '../innovation/innovation.entity';
import { Replication } from '../replication/replication.entity';

@ObjectType({ description: 'One adoption in a diffusion tree.' })
export class DiffusionNode {
  @Field(() => Replication)
  replication!: Replication;

  @Field(() => Int, { description: '1 for direct adoptions of the root, 2 for adoptions of their local versions, and so on.' })
  generation!: number;

  @Field(() => ID, { nullable: true, description: 'Global id of the replication whose local version was adopted here; null in generation 1.' })
  parentId!: string | null;
}

@ObjectType({ description: 'How far a diffusion tree reaches.' })
export class DiffusionReach {
  @Field(() => Int, { description: 'Distinct regencies named as adopters (province-wide commitments are not expanded).' })
  regencies!: number;

  @Field(() => Int, { description: 'Distinct adopting provinces, regency adopters included.' })
  provinces!: number;

  @Field({ description: 'Whether the tree includes a national adoption.' })
  national!: boolean;
}

@ObjectType()
export class DiffusionYear {
  @Field(() => Int)
  year!: number;

  @Field(() => Int)
  adoptions!: number;

  @Field(() => Int, { description: 'Adoptions up to and including this year.' })
  cumulative!: number;
}

@ObjectType({ description: 'The whole downstream tree of an innovation through local versions (adoptedAs), by generation.' })
export class Diffusion {
  @Field(() => Innovation)
  root!: Innovation;

  @Field(() => Int, { description: 'Deepest generation reached (0 when the innovation never spread).' })
  depth!: number;

  @Field(() => Int, { description: 'Adoptions in the tree.' })
  adoptions!: number;

  @Field({ description: 'True when maxDepth cut the tree short.' })
  truncated!: boolean;

  @Field(() => DiffusionReach)
  reach!: DiffusionReach;

  @Field(() => [DiffusionNode], { description: 'Adoptions by generation, then year, then id.' })
  nodes!: DiffusionNode[];

  @Field(() => [DiffusionYear], { description: 'Adoptions per year, oldest first.' })
  timeline!: DiffusionYear[];
}
