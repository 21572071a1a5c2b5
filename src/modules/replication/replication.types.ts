import { Field, ObjectType } from 'type-graphql';
import { Institution } from '../institution/institution.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { AdopterScope } from './replication.entity';

@ObjectType({ description: 'Who adopts an innovation: the nation, a province (or all of it), a regency, or a unit in one.' })
export class Adopter {
  @Field(() => AdopterScope)
  scope!: AdopterScope;

  @Field(() => Province, { nullable: true, description: 'The adopting province (also set for regency adopters); null when NATIONAL.' })
  province!: Province | null;

  @Field(() => Regency, { nullable: true })
  regency!: Regency | null;

  @Field(() => Institution, { nullable: true, description: 'The adopting unit or institution, when known.' })
  institution!: Institution | null;
}
