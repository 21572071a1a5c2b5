import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { sql } from '../../db/sql';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { HubLevel } from './hub.level';
import { hubActiveFrom } from './hub.queries';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Institution } from '../institution/institution.entity';
import { LegalInstrument } from '../legal/legal-instrument.entity';
import { Province } from '../region/province.entity';

export enum HubStage {
  COMMITTED = 'COMMITTED',
  DESIGNATED = 'DESIGNATED',
}
registerEnumType(HubStage, {
  name: 'HubStage',
  valuesConfig: {
    COMMITTED: { description: 'Joined by a signed commitment; no designation decree (yet).' },
    DESIGNATED: { description: 'Designated as Hub JIPP by a ministerial decree.' },
  },
});

@ObjectType({ simpleResolvers: true,
  implements: Node,
  description: 'A Hub JIPP designation: a province (or a ministry) that coaches innovation and spreads it.',
})
@SqlTable('hub', 'id', () => Hub)
@Entity()
@Check({ name: 'hub_is_province_or_institution', expression: '(province_code is null) <> (institution_id is null)' })
@Check({ name: 'hub_designated_has_instrument', expression: "stage <> 'DESIGNATED' or instrument_id is not null" })
@Check({ name: 'hub_cohort_year_range', expression: 'cohort_year >= 2015 and cohort_year <= 2100' })
@Check({ name: 'hub_ended_after_start', expression: 'ended_on is null or ended_on >= coalesce(designated_on, committed_on, ended_on)' })
export class Hub extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Province, { ref: true, nullable: true, unique: true })
  @Field(() => Province, { nullable: true, description: 'The hub province; null for a ministry hub.' })
  @Sql(reference('province_code'))
  province: Ref<Province> | null = null;

  @ManyToOne(() => Institution, { ref: true, nullable: true, unique: true })
  @Field(() => Institution, { nullable: true, description: 'The hub ministry or agency; null for a province hub.' })
  @Sql(reference('institution_id'))
  institution: Ref<Institution> | null = null;

  @Field(() => HubLevel)
  @Sql((_call, row) => sql`case when ${row}.province_code is null then 'MINISTRY' else 'PROVINCE' end`)
  level!: HubLevel;

  @Field({ description: 'Name of the province or ministry that is the hub.' })
  @Sql(
    (_call, row) =>
      sql`coalesce((select p.name from province p where p.code = ${row}.province_code), (select i.name from institution i where i.id = ${row}.institution_id), '')`,
  )
  name!: string;

  @Field(() => Int, { description: 'The year the hub joined the network.' })
  @Property({ type: 'integer' })
  cohortYear!: number;

  @Field(() => HubStage)
  @Enum({ items: () => HubStage })
  stage!: HubStage;

  @Field({ description: 'One of the 8 pilot hubs of 2020 (KepMenPANRB No. 94/2020).' })
  @Property({ type: 'boolean', default: false })
  isPilot: boolean = false;

  @ManyToOne(() => LegalInstrument, { ref: true, nullable: true, index: true })
  @Field(() => LegalInstrument, { nullable: true, description: 'The designating decree; null when there is none.' })
  @Sql(reference('instrument_id'))
  instrument: Ref<LegalInstrument> | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date the commitment was signed (YYYY-MM-DD), when known.' })
  @Property({ type: 'date', nullable: true })
  committedOn: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date of designation (YYYY-MM-DD), when known.' })
  @Property({ type: 'date', nullable: true })
  designatedOn: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date the hub stopped, if it did.' })
  @Property({ type: 'date', nullable: true })
  endedOn: string | null = null;

  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic concurrency).' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Hub', this.id);
  }

  @Field(() => LocalDateResolver, {
    description:
      'First day the hub counts as active: designation date, else commitment date, else 1 January of the cohort year.',
  })
  @Sql((_call, row) => hubActiveFrom(row))
  activeFrom!: string;
}
