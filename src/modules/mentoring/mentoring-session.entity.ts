import { Check, Collection, Entity, Enum, ManyToMany, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { sql } from '../../db/sql';
import { jsonArray, reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Regency } from '../region/regency.entity';
import { MentoringProgramme } from './mentoring-programme.entity';
import { mentorNamesSql } from './mentoring.queries';

export enum SessionMode {
  IN_PERSON = 'IN_PERSON',
  ONLINE = 'ONLINE',
  HYBRID = 'HYBRID',
}
registerEnumType(SessionMode, { name: 'SessionMode' });

@ObjectType({ simpleResolvers: true, implements: Node, description: 'One mentoring session of a programme.' })
@SqlTable('mentoring_session', 'id', () => MentoringSession)
@Entity()
@Check({ name: 'mentoring_session_participants', expression: 'participant_count is null or participant_count >= 0' })
export class MentoringSession extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => MentoringProgramme, { ref: true, index: true, deleteRule: 'cascade' })
  @Field(() => MentoringProgramme)
  @Sql(reference('programme_id'))
  programme!: Ref<MentoringProgramme>;

  @Field(() => LocalDateResolver, { description: 'Date of the session (YYYY-MM-DD).' })
  @Property({ type: 'date' })
  heldOn!: string;

  @Field(() => SessionMode)
  @Enum({ items: () => SessionMode })
  mode!: SessionMode;

  @Field()
  @Property({ type: 'text' })
  topic!: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  participantCount: number | null = null;

  /** Personal data: only the ministry and the university running the programme read it. */
  @Property({ type: 'text[]', default: '{}' })
  @Field(() => [String], {
    nullable: true,
    description: 'Personal data: the mentors. Null unless the caller is the ministry or the university running the programme.',
  })
  @Sql((_call, row, q) => mentorNamesSql(q.viewer, row))
  mentorNames: string[] = [];

  @ManyToMany(() => Regency, undefined, { pivotTable: 'mentoring_session_regency' })
  @Field(() => [Regency], { description: 'Regencies whose teams took part.' })
  @Sql(
    (call, row, q) => {
      const t = q.alias();
      const l = q.alias();
      return jsonArray(q, call, t, sql`regency ${t} join mentoring_session_regency ${l} on ${l}.regency_code = ${t}.code where ${l}.mentoring_session_id = ${row}.id`, sql`${t}.code`);
    },
    { listSize: 3 },
  )
  regencies = new Collection<Regency>(this);

  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic concurrency).' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('MentoringSession', this.id);
  }
}
