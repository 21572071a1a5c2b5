import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';

export enum InstitutionKind {
  MINISTRY = 'MINISTRY',
  AGENCY = 'AGENCY',
  PROVINCIAL_GOVERNMENT = 'PROVINCIAL_GOVERNMENT',
  REGENCY_GOVERNMENT = 'REGENCY_GOVERNMENT',
  CITY_GOVERNMENT = 'CITY_GOVERNMENT',
  REGIONAL_AGENCY = 'REGIONAL_AGENCY',
  STATE_OWNED_ENTERPRISE = 'STATE_OWNED_ENTERPRISE',
  POLICE_UNIT = 'POLICE_UNIT',
  HOSPITAL = 'HOSPITAL',
  UNIVERSITY = 'UNIVERSITY',
  OTHER = 'OTHER',
}
registerEnumType(InstitutionKind, {
  name: 'InstitutionKind',
  valuesConfig: {
    REGIONAL_AGENCY: { description: 'A unit of a regional government (dinas, badan, balai).' },
    POLICE_UNIT: { description: 'The national police or one of its regional units (Polda, Polres).' },
  },
});

@ObjectType({ simpleResolvers: true, implements: Node, description: 'Who owns or adopts innovations: a ministry, agency, government, unit.' })
@SqlTable('institution', 'id', () => Institution)
@Entity()
@Check({ name: 'institution_regency_in_province', expression: 'regency_code is null or province_code = left(regency_code, 2)' })
export class Institution extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field()
  @Property({ type: 'text', unique: true })
  name!: string;

  @Field(() => InstitutionKind)
  @Enum({ items: () => InstitutionKind })
  kind!: InstitutionKind;

  @Index()
  @ManyToOne(() => Province, { ref: true, nullable: true })
  @Field(() => Province, { nullable: true })
  @Sql(reference('province_code'))
  province: Ref<Province> | null = null;

  @Index()
  @ManyToOne(() => Regency, { ref: true, nullable: true })
  @Field(() => Regency, { nullable: true })
  @Sql(reference('regency_code'))
  regency: Ref<Regency> | null = null;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Institution', this.id);
  }
}
