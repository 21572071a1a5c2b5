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

/** How a citation starts, by kind; `agency`: the issuing agency follows the prefix (KepMenPANRB). */
export const CITATION_PREFIX: Record<LegalInstrumentKind, { prefix: string; agency: boolean }> = {
  LAW: { prefix: 'UU', agency: false },
  GOVERNMENT_REGULATION: { prefix: 'PP', agency: false },
  PRESIDENTIAL_REGULATION: { prefix: 'Perpres', agency: false },
  MINISTERIAL_REGULATION: { prefix: 'Permen', agency: true },
  MINISTERIAL_DECREE: { prefix: 'KepMen', agency: true },
  OTHER: { prefix: '', agency: false },
};

/**
 * "Menteri" and the whitespace after it at the start of an issuer: the agency a ministerial citation names
 * is what follows ("Menteri PANRB" gives "KepMenPANRB"). Spelled out (either case of each letter, every
 * character JavaScript's \s matches) so that PostgreSQL reads it exactly as JavaScript does, whatever the
 * database's locale: the SQL twin of `citation` (legal.compiled.ts) uses the same pattern.
 */
export const MINISTER_TITLE = '^[Mm][Ee][Nn][Tt][Ee][Rr][Ii][\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+';
const MINISTER_TITLE_PATTERN = new RegExp(MINISTER_TITLE);

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
    const { prefix, agency } = CITATION_PREFIX[this.kind];
    const start = agency ? prefix + this.issuer.replace(MINISTER_TITLE_PATTERN, '') : prefix;
    return start ? `${start} No. ${this.number}/${this.year}` : `No. ${this.number}/${this.year}`;
  }
}
