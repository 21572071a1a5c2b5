import { Check, Entity, Enum, ManyToOne, PrimaryKey, Property, type Ref } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { sql, type SqlFragment } from '../db/sql';
import { reference } from '../graphql/sql/compilers';
import { Sql, SqlTable } from '../graphql/sql/field-sql';
import { Province } from '../modules/region/province.entity';
import { University } from '../modules/mentoring/university.entity';
import { Role } from './viewer';

export enum ApiKeyStatus {
  ACTIVE = 'ACTIVE',
  EXPIRED = 'EXPIRED',
  REVOKED = 'REVOKED',
}
registerEnumType(ApiKeyStatus, {
  name: 'ApiKeyStatus',
  valuesConfig: {
    ACTIVE: { description: 'Authenticates requests.' },
    EXPIRED: { description: 'Past its expiresAt: answered with 401.' },
    REVOKED: { description: 'Revoked: answered with 401.' },
  },
});

/** As a JavaScript Date prints itself (what DateTime clients parse): UTC, milliseconds, Z. */
const isoTime = (column: string) => (_call: unknown, row: SqlFragment) =>
  sql`to_char(${row}.${sql.raw(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** An API key: only a hash of the secret is stored; the key itself is shown once, at creation. */
@ObjectType({ simpleResolvers: true, description: 'An API key, without its secret (shown once, when the key is created).' })
@SqlTable('api_key', 'id', () => ApiKey)
@Entity()
@Check({
  name: 'api_key_scope_matches_role',
  expression:
    "(role = 'HUB_OPERATOR') = (province_code is not null) and (role = 'UNIVERSITY') = (university_id is not null) and role <> 'PUBLIC'",
})
export class ApiKey {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field({ description: 'Who or what uses the key.' })
  @Property({ type: 'text' })
  label!: string;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  @Field(() => Province, { nullable: true, description: 'The province a HUB_OPERATOR key is bound to.' })
  @Sql(reference('province_code'))
  @ManyToOne(() => Province, { ref: true, nullable: true })
  province: Ref<Province> | null = null;

  @Field(() => University, { nullable: true, description: 'The university a UNIVERSITY key is bound to.' })
  @Sql(reference('university_id'))
  @ManyToOne(() => University, { ref: true, nullable: true })
  university: Ref<University> | null = null;

  /** The public part of the key ("jipp_xxxxxxxx"), to find and name a key without its secret. */
  @Field({ description: 'The public start of the key ("jipp_AbCdEfGh"): names the key in lists, logs and revokeApiKey.' })
  @Property({ type: 'text', unique: true })
  prefix!: string;

  /** SHA-256 of the whole key, hex. Keys carry 256 random bits, so a fast hash is enough. */
  @Property({ type: 'text' })
  hash!: string;

  @Field(() => DateTimeResolver)
  @Sql(isoTime('created_at'))
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeResolver, { nullable: true, description: 'From this moment the key is refused (401); null: it does not expire.' })
  @Sql(isoTime('expires_at'))
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null = null;

  /**
   * When the key last authenticated a request, to the minute: it is written at most once a minute per key,
   * so a busy key does not write on every request.
   */
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the key last authenticated a request, to within a minute; null: never used.' })
  @Sql(isoTime('last_used_at'))
  @Property({ type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => DateTimeResolver, { nullable: true })
  @Sql(isoTime('revoked_at'))
  @Property({ type: 'timestamptz', nullable: true })
  revokedAt: Date | null = null;

  /** Answered in SQL (reads); keyStatus() for a record in memory. */
  @Field(() => ApiKeyStatus)
  @Sql((_call, row) => sql`case when ${row}.revoked_at is not null then 'REVOKED' when ${row}.expires_at <= now() then 'EXPIRED' else 'ACTIVE' end`)
  status?: ApiKeyStatus;
}

export function keyStatus(key: ApiKey, now = new Date()): ApiKeyStatus {
  if (key.revokedAt) return ApiKeyStatus.REVOKED;
  return key.expiresAt && key.expiresAt <= now ? ApiKeyStatus.EXPIRED : ApiKeyStatus.ACTIVE;
}
