import { PrimaryKeyProp, Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { SqlTable } from '../../graphql/sql/field-sql';
import { Field, ObjectType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';

@ObjectType({ simpleResolvers: true, implements: Node, description: 'One of the 38 provinces, with its official Kemendagri code.' })
@SqlTable('province', 'code', () => Province)
@Entity()
export class Province extends FactEntity {
  [PrimaryKeyProp]?: 'code';

  @Field({ description: 'Kemendagri code, two digits, e.g. "35" for Jawa Timur.' })
  @PrimaryKey({ type: 'string', length: 2 })
  code!: string;

  @Field({ description: 'Official name as in the Kemendagri list, e.g. "JAWA TIMUR".' })
  @Property({ type: 'text' })
  name!: string;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Province', this.code);
  }
}
