import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { GraphQLJSONObject, DateTimeResolver } from 'graphql-scalars';
import { sql } from '../../db/sql';
import { column } from '../../graphql/sql/compilers';
import { Sql, SqlTable } from '../../graphql/sql/field-sql';
import { Field, Int, ObjectType } from 'type-graphql';
import { requireRole } from '../../auth/authorize';
import { Role, type Viewer } from '../../auth/viewer';
import { Node } from '../../graphql/node';

/** The audit log is the ministry's: by list (auditEvents) and by id (node) alike. */
export function authorizeAuditRead(viewer: Viewer, what: string): void {
  requireRole(viewer, [Role.MINISTRY_ADMIN], what);
}

/** Append-only (a trigger refuses updates and deletes): who changed what, when, from what to what. */
@ObjectType({ simpleResolvers: true, implements: Node, description: 'One audited write: who, with which role, did what to which record, and when.' })
@SqlTable('audit_event', 'id', () => AuditEvent, { authorize: authorizeAuditRead })
@Entity()
@Index({ name: 'audit_event_entity_index', properties: ['entityType', 'entityId'] })
export class AuditEvent {
  @PrimaryKey({ type: 'integer' })
  id!: number;

  @Field(() => DateTimeResolver)
  // As a JavaScript Date prints itself (what DateTime clients parse): UTC, milliseconds, Z.
  @Sql((_call, row) => sql`to_char(${row}.occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`)
  @Property({ type: 'timestamptz', defaultRaw: 'now()', index: true })
  occurredAt: Date = new Date();

  @Field(() => Role)
  @Property({ type: 'text' })
  role!: Role;

  @Property({ type: 'integer', nullable: true })
  apiKeyId: number | null = null;

  @Field(() => String, { nullable: true, description: 'Label of the API key, or the command line tool that wrote.' })
  @Property({ type: 'text', nullable: true })
  actor: string | null = null;

  @Field({ description: 'What was done, e.g. "innovation.create", "import.innovations", "apiKey.revoke".' })
  @Property({ type: 'text', index: true })
  action!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  entityType: string | null = null;

  @Field(() => String, { nullable: true, description: 'Global id (or key) of the record changed.' })
  @Property({ type: 'text', nullable: true })
  entityId: string | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null = null;

  @Field(() => GraphQLJSONObject, { nullable: true })
  @Property({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  requestId: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  idempotencyKey: string | null = null;

  @Field(() => Int, { description: 'Position in the audit log; increases with every event.' })
  @Sql(column('id'))
  sequence!: number;
}
