import { Entity, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, ObjectType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Province } from '../region/province.entity';

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A partner university that mentors hubs (pendampingan).' })
@SqlTable('university', 'id', () => University)
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
  @Field(() => Province)
  @Sql(reference('province_code'))
  province!: Ref<Province>;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('University', this.id);
  }
}
