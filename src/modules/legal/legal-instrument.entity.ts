import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { sql } from '../../db/sql';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable, type FieldCompiler } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
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
const CITATION_PREFIX: Record<LegalInstrumentKind, { prefix: string; agency: boolean }> = {
  LAW: { prefix: 'UU', agency: false },
  GOVERNMENT_REGULATION: { prefix: 'PP', agency: false },
  PRESIDENTIAL_REGULATION: { prefix: 'Perpres', agency: false },
  MINISTERIAL_REGULATION: { prefix: 'Permen', agency: true },
  MINISTERIAL_DECREE: { prefix: 'KepMen', agency: true },
  OTHER: { prefix: '', agency: false },
};

/**
 * "Menteri" and the whitespace after it at the start of an issuer: the agency a ministerial citation names
 * is what follows ("Menteri PANRB" gives "KepMenPANRB"). Spelled out (either case of each letter, the
 * Unicode spaces) so that it does not depend on the database's locale.
 */
const MINISTER_TITLE = '^[Mm][Ee][Nn][Tt][Ee][Rr][Ii][\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+';

/** How people cite an instrument, over its row: the kind's prefix (with the agency for ministerial ones), number and year. */
const citation: FieldCompiler = (_call, row) => {
  const agency = sql`regexp_replace(${row}.issuer, ${MINISTER_TITLE}, '')`;
  const starts = Object.entries(CITATION_PREFIX).map(
    ([kind, { prefix, agency: withAgency }]) => sql`when ${kind} then ${prefix}${withAgency ? sql` || ${agency}` : sql``}`,
  );
  const start = sql`(case ${row}.kind ${sql.join(starts, ' ')} end)`;
  const rest = sql`'No. ' || ${row}.number || '/' || ${row}.year`;
  return sql`(case when ${start} = '' then ${rest} else ${start} || ' ' || ${rest} end)`;
};

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A regulation or decree, e.g. "KepMenPANRB No. 94/2020".' })
@SqlTable('legal_instrument', 'id', () => LegalInstrument)
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
  @Field(() => LegalInstrument, { nullable: true, description: 'The instrument this one is based on.' })
  @Sql(reference('legal_basis_id'))
  legalBasis: Ref<LegalInstrument> | null = null;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('LegalInstrument', this.id);
  }

  @Field({ description: 'How people cite it, e.g. "KepMenPANRB No. 94/2020".' })
  @Sql(citation)
  citation!: string;
}
