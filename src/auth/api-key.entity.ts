import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Province } from '../modules/region/province.entity';
import { University } from '../modules/mentoring/university.entity';
import { Role } from './viewer';

/** An API key: only a hash of the secret is stored; the key itself is shown once, at creation. */
@Entity()
@Check({
  name: 'api_key_scope_matches_role',
  expression:
    "(role = 'HUB_OPERATOR') = (province_code is not null) and (role = 'UNIVERSITY') = (university_id is not null) and role <> 'PUBLIC'",
})
export class ApiKey {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Property({ type: 'text' })
  label!: string;

  @Enum({ items: () => Role })
  role!: Role;

  @ManyToOne(() => Province, { ref: true, nullable: true })
  province: Ref<Province> | null = null;

  @ManyToOne(() => University, { ref: true, nullable: true })
  university: Ref<University> | null = null;

  /** The public part of the key ("jipp_xxxxxxxx"), to find and name a key without its secret. */
  @Property({ type: 'text', unique: true })
  prefix!: string;

  /** SHA-256 of the whole key, hex. Keys carry 256 random bits, so a fast hash is enough. */
  @Property({ type: 'text' })
  hash!: string;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;
}
