import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/** The first result of a keyed write, so a retry with the same key returns it without a second effect. */
@Entity()
@Unique({ properties: ['owner', 'operation', 'key'] })
export class IdempotencyRecord {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  /** Whose key: "key:<api key id>". Keys of different callers never collide. */
  @Property({ type: 'text' })
  owner!: string;

  @Property({ type: 'text' })
  operation!: string;

  @Property({ type: 'text' })
  key!: string;

  /** SHA-256 of the canonical input: the same key with another input is refused. */
  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'jsonb', nullable: true })
  response: Record<string, unknown> | null = null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
