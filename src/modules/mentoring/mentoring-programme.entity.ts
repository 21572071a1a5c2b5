import { Check, Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Province } from '../region/province.entity';
import { University } from './university.entity';

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A year of mentoring (pendampingan) for a hub province by a partner.' })
@SqlTable('mentoring_programme', 'id', () => MentoringProgramme)
@Entity()
@Check({ name: 'mentoring_programme_period_order', expression: 'period_end is null or period_start is null or period_end >= period_start' })
@Check({ name: 'mentoring_programme_year_range', expression: 'year >= 2015 and year <= 2100' })
export class MentoringProgramme extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'text', nullable: true, unique: true })
  referenceKey: string | null = null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year!: number;

  @ManyToOne(() => Province, { ref: true, index: true })
  @Field(() => Province, { description: 'The hub province mentored.' })
  @Sql(reference('province_code'))
  province!: Ref<Province>;

  @ManyToOne(() => University, { ref: true, nullable: true, index: true })
  @Field(() => University, { nullable: true, description: 'The partner university; null when not a university or not public.' })
  @Sql(reference('university_id'))
  university: Ref<University> | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'A partner that is not a university (e.g. GIZ TRANSFORMASI); null when the partner is a university or not public.',
  })
  @Property({ type: 'text', nullable: true })
  otherPartner: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'First day of the mentoring period (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  periodStart: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Last day of the mentoring period (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  periodEnd: string | null = null;

  @Field(() => String, {
    nullable: true,
    description: 'Precision of the period dates: "month" when only months are known, "day" otherwise.',
  })
  @Property({ type: 'text', nullable: true })
  periodPrecision: string | null = null;

  @Field(() => LocalDateResolver, { nullable: true, description: 'Date the replication commitment was signed (YYYY-MM-DD).' })
  @Property({ type: 'date', nullable: true })
  commitmentSignedOn: string | null = null;

  @Field(() => String, { nullable: true, description: 'Who recommended the mentors, e.g. "IAPA".' })
  @Property({ type: 'text', nullable: true })
  recommendedBy: string | null = null;

  @Field(() => [String], { description: 'What the programme produced (action plans, commitments, ...).' })
  @Property({ type: 'text[]', default: '{}' })
  outputs: string[] = [];

  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic concurrency).' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('MentoringProgramme', this.id);
  }
}
