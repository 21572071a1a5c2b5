import { Check, Collection, Entity, Enum, ManyToMany, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { LocalDateResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Regency } from '../region/regency.entity';
import { MentoringProgramme } from './mentoring-programme.entity';

export enum SessionMode {
  IN_PERSON = 'IN_PERSON',
  ONLINE = 'ONLINE',
  HYBRID = 'HYBRID',
}
registerEnumType(SessionMode, { name: 'SessionMode' });

@ObjectType({ implements: Node, description: 'One mentoring session of a programme.' })
@Entity()
@Check({ name: 'mentoring_session_participants', expression: 'participant_count is null or participant_count >= 0' })
export class MentoringSession extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => MentoringProgramme, { ref: true, index: true, deleteRule: 'cascade' })
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

  /** Personal data: never exposed to the public. */
  @Property({ type: 'text[]', default: '{}' })
  mentorNames: string[] = [];

  @ManyToMany(() => Regency, undefined, { pivotTable: 'mentoring_session_regency' })
  regencies = new Collection<Regency>(this);

  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic concurrency).' })
  @Property({ version: true, type: 'integer', default: 1 })
  version: number = 1;

  @Field(() => ID, { name: 'id' })
  get nodeId(): string {
    return toGlobalId('MentoringSession', this.id);
  }
}
