import { PrimaryKeyProp, Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { reference } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { FactEntity } from '../../db/fact.entity';
import { toGlobalId } from '../../graphql/global-id';
import { Node } from '../../graphql/node';
import { Province } from './province.entity';

export enum RegencyKind {
  KABUPATEN = 'KABUPATEN',
  KOTA = 'KOTA',
}
registerEnumType(RegencyKind, {
  name: 'RegencyKind',
  description: 'A regency (kabupaten, codes .01-.69) or a city (kota, codes .71-.99).',
});

@ObjectType({ simpleResolvers: true, implements: Node, description: 'A regency or city (kabupaten/kota) with its official Kemendagri code.' })
@SqlTable('regency', 'code', () => Regency)
@Entity()
@Check({ name: 'regency_code_in_province', expression: 'left(code, 2) = province_code' })
@Check({
  name: 'regency_kind_matches_code',
  expression: "(kind = 'KOTA') = (substr(code, 4, 2) >= '71')",
})
export class Regency extends FactEntity {
  [PrimaryKeyProp]?: 'code';

  @Field({ description: 'Kemendagri code "PP.RR", e.g. "35.25" for Kabupaten Gresik.' })
  @PrimaryKey({ type: 'string', length: 5 })
  code!: string;

  @Index()
  @ManyToOne(() => Province, { ref: true })
  @Field(() => Province)
  @Sql(reference('province_code'))
  province!: Ref<Province>;

  @Field({ description: 'Official name, e.g. "KABUPATEN GRESIK".' })
  @Property({ type: 'text' })
  name!: string;

  @Field(() => RegencyKind)
  @Enum({ items: () => RegencyKind })
  kind!: RegencyKind;

  /** The record's global id, for writes (the audit log); reads build it in SQL (Node.id). */
  get nodeId(): string {
    return toGlobalId('Regency', this.code);
  }
}
