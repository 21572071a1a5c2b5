import { Check, Entity, Enum, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { SqlTable } from '../../graphql/sql/field-sql';

/** Published counts about the innovation system as a whole, not derived from this API's own records. */
export enum ReferenceMeasure {
  KIPP_REGISTRATIONS = 'KIPP_REGISTRATIONS',
  KIPP_PASSED_ADMINISTRATION = 'KIPP_PASSED_ADMINISTRATION',
  IGA_INNOVATIONS = 'IGA_INNOVATIONS',
  IGA_REPORTING_GOVERNMENTS = 'IGA_REPORTING_GOVERNMENTS',
  JIPPNAS_RECORDS = 'JIPPNAS_RECORDS',
}
registerEnumType(ReferenceMeasure, {
  name: 'ReferenceMeasure',
  description: 'What a published count counts.',
  valuesConfig: {
    KIPP_REGISTRATIONS: { description: 'Proposals registered for the KIPP competition (Kompetisi Inovasi Pelayanan Publik, via Sinovik) that year.' },
    KIPP_PASSED_ADMINISTRATION: { description: 'KIPP proposals that passed the administrative selection that year.' },
    IGA_INNOVATIONS: { description: "Regional innovations reported to Kemendagri's Innovative Government Award (IGA) that year." },
    IGA_REPORTING_GOVERNMENTS: { description: 'Regional governments that reported innovations to IGA that year.' },
    JIPPNAS_RECORDS: { description: 'Innovation records in the national JIPP portal (JIPPNas), drawn from KIPP, IGA and InoLAN.' },
  },
});

@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description:
    'A count published about the innovation system (competition volumes, portal sizes), kept as sourced reference data: these are not counts of this API\'s own records.',
})
@SqlTable('reference_count', 'id', () => ReferenceCount)
@Entity()
@Unique({ properties: ['referenceKey'] })
@Check({ name: 'reference_count_year_range', expression: 'year is null or (year >= 2000 and year <= 2100)' })
@Check({ name: 'reference_count_value_not_negative', expression: 'value >= 0' })
export class ReferenceCount extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** The seed's key ("KIPP_REGISTRATIONS:2014"), so a corrected figure updates its row. */
  @Property({ type: 'text' })
  referenceKey!: string;

  @Field(() => ReferenceMeasure)
  @Enum({ items: () => ReferenceMeasure })
  measure!: ReferenceMeasure;

  @Field(() => Int, { nullable: true, description: 'The year counted; null when the source gives none (see provenance.note).' })
  @Property({ type: 'integer', nullable: true })
  year: number | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  value!: number;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('ReferenceCount', this.id);
  }
}
