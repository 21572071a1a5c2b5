import { Field, ObjectType } from 'type-graphql';
import { column, reference } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Institution } from '../institution/institution.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { AdopterScope } from './replication.entity';

/** Over the replication's own row. */
@ObjectType({ description: 'Who adopts an innovation: the nation, a province (or all of it), a regency, or a unit in one.', simpleResolvers: true })
export class Adopter {
  @Field(() => AdopterScope)
  @Sql(column('adopter_scope'))
  scope!: AdopterScope;

  @Field(() => Province, { nullable: true, description: 'The adopting province (also set for regency adopters); null when NATIONAL.' })
  @Sql(reference('adopter_province_code'))
  province!: Province | null;

  @Field(() => Regency, { nullable: true })
  @Sql(reference('adopter_regency_code'))
  regency!: Regency | null;

  @Field(() => Institution, { nullable: true, description: 'The adopting unit or institution, when known.' })
  @Sql(reference('adopter_institution_id'))
  institution!: Institution | null;
}
