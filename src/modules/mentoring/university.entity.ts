import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Province } from '../region/province.entity';

@ObjectType({ implements: Node, description: 'A partner university that mentors hubs (pendampingan).' })
@Entity()
export class University extends FactEntity {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field({ description: 'Short name, e.g. "UNTAN".' })
  @Property({ type: 'text', unique: true })
  acronym!: string;

  @Field()
  @Property({ type: 'text', unique: true })
  name!: string;

  @ManyToOne(() => Province, { ref: true, index: true })
  province!: Ref<Province>;

  @Field(() => ID, { name: 'id' })
  get nodeId(): string {
    return toGlobalId('University', this.id);
  }
}
