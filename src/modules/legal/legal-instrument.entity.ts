import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';

export enum LegalInstrumentKind {
  LAW = 'LAW',
  GOVERNMENT_REGULATION = 'GOVERNMENT_REGULATION',
  PRESIDENTIAL_REGULATION = 'PRESIDENTIAL_REGULATION',
  MINISTERIAL_REGULATION = 'MINISTERIAL_REGULATION',
  MINISTERIAL_DECREE = 'MINISTERIAL_DECREE',
  OTHER = 'OTHER',
}
registerEnumType(LegalInstrumentKind, { name: 'LegalInstrumentKind' });

const CITATION_PREFIX: Record<LegalInstrumentKind, (agency: string) => string> = {
  LAW: () => 'UU',
  GOVERNMENT_REGULATION: () => 'PP',
  PRESIDENTIAL_REGULATION: () => 'Perpres',
  MINISTERIAL_REGULATION: (agency) => `Permen${agency}`,
  MINISTERIAL_DECREE: (agency) => `KepMen${agency}`,
  OTHER: () => '',
};

@ObjectType({ implements: Node, description: 'A regulation or decree, e.g. "KepMenPANRB No. 94/2020".' })
@Entity()
@Unique({ properties: ['kind', 'issuer', 'number', 'year'] })
@Check({ name: 'legal_instrument_year_range', expression: 'year >= 1945 and year <= 2100' })
export class LegalInstrument extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field({ description: 'Stable key, e.g. "KEPMENPANRB-94-2020".' })
  @Property({ type: 'text', unique: true })
  key!: string;

  @Field(() => LegalInstrumentKind)
  @Enum({ items: () => LegalInstrumentKind })
  kind!: LegalInstrumentKind;

  @Field({ description: 'The number as written, e.g. "94".' })
  @Property({ type: 'text' })
  number!: string;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year!: number;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field({ description: 'Who issued it, e.g. "Menteri PANRB".' })
  @Property({ type: 'text' })
  issuer!: string;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date of issue (YYYY-MM-DD), when known.' })
  @Property({ type: 'date', nullable: true })
  issuedOn: string | null = null;

  @ManyToOne(() => LegalInstrument, { ref: true, nullable: true })
  legalBasis: Ref<LegalInstrument> | null = null;

  @Field(() => ID, { name: 'id' })
  get nodeId(): string {
    return toGlobalId('LegalInstrument', this.id);
  }

  @Field({ description: 'How people cite it, e.g. "KepMenPANRB No. 94/2020".' })
  get citation(): string {
    const agency = this.issuer.replace(/^Menteri\s+/i, '');
    const prefix = CITATION_PREFIX[this.kind](agency);
    return `${prefix} No. ${this.number}/${this.year}`.trim();
  }
}
