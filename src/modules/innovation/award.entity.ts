import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref, Unique } from '@mikro-orm/core';
import { SqlTable } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Innovation } from './innovation.entity';

export enum Competition {
  KIPP = 'KIPP',
  UNPSA = 'UNPSA',
  IGA = 'IGA',
  OTHER = 'OTHER',
}
registerEnumType(Competition, {
  name: 'Competition',
  valuesConfig: { UNPSA: { description: 'United Nations Public Service Awards.' } },
});

export enum AwardTier {
  TOP_99 = 'TOP_99',
  TOP_9 = 'TOP_9',
  TOP_25 = 'TOP_25',
  TOP_35 = 'TOP_35',
  TOP_40 = 'TOP_40',
  TOP_45 = 'TOP_45',
  TOP_15_KHUSUS = 'TOP_15_KHUSUS',
  TOP_15_REPLIKASI = 'TOP_15_REPLIKASI',
  OUTSTANDING_ACHIEVEMENT = 'OUTSTANDING_ACHIEVEMENT',
  UNPSA_WINNER = 'UNPSA_WINNER',
  UNPSA_HONORABLE_MENTION = 'UNPSA_HONORABLE_MENTION',
  UNPSA_NOMINEE = 'UNPSA_NOMINEE',
}
registerEnumType(AwardTier, { name: 'AwardTier', description: 'The tier an innovation reached in a competition.' });

@ObjectType({ simpleResolvers: true, implements: Node, description: 'An award an innovation received in a competition.' })
@SqlTable('award', 'id', () => Award)
@Entity()
@Unique({ properties: ['innovation', 'competition', 'year', 'tier'] })
@Check({ name: 'award_year_range', expression: 'year >= 2000 and year <= 2100' })
export class Award extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @ManyToOne(() => Innovation, { ref: true, deleteRule: 'cascade' })
  innovation!: Ref<Innovation>;

  @Field(() => Competition)
  @Enum({ items: () => Competition })
  competition!: Competition;

  @Field(() => Int)
  @Property({ type: 'integer' })
  year!: number;

  @Field(() => AwardTier)
  @Enum({ items: () => AwardTier })
  tier!: AwardTier;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Award', this.id);
  }
}
