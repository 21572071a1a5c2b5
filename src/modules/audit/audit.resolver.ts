import { Arg, Args, Field, InputType, Query, Resolver } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { sql, type SqlFragment } from '../../db/sql';
import { Connection, PageArgs } from '../../graphql/connection';
import { connection } from '../../graphql/sql/connection';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { AuditEvent, authorizeAuditRead } from './audit-event.entity';

export const AuditEventConnection = Connection(AuditEvent);

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true, description: 'e.g. "innovation.update".' })
  action?: string | null;

  @Field(() => String, { nullable: true, description: 'Global id (or key prefix) of the record.' })
  entityId?: string | null;

  @Field(() => String, { nullable: true })
  requestId?: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  since?: Date | null;
}

function auditWhere(filter: AuditFilter | null | undefined): SqlFragment {
  const where: SqlFragment[] = [];
  if (filter?.action != null) where.push(sql`a.action = ${filter.action}`);
  if (filter?.entityId != null) where.push(sql`a.entity_id = ${filter.entityId}`);
  if (filter?.requestId != null) where.push(sql`a.request_id = ${filter.requestId}`);
  if (filter?.since != null) where.push(sql`a.occurred_at >= ${filter.since}::timestamptz`);
  return sql.and(where);
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit log, newest first. Ministry only.' })
  @Sql(
    connection((call, _row, q) => {
      authorizeAuditRead(q.viewer, 'auditEvents');
      const where = auditWhere(call.args.filter as AuditFilter | null);
      return {
        from: sql`audit_event a`,
        alias: sql`a`,
        where,
        ordering: { name: 'SEQUENCE', direction: 'desc', keys: [{ sql: sql`a.id`, type: 'number' }] },
        total: sql`(select count(*)::int from audit_event a where ${where})`,
        nested: false,
      };
    }),
  )
  auditEvents(@Args() _page: PageArgs, @Arg('filter', () => AuditFilter, { nullable: true }) _filter: AuditFilter | null, @Answer() answer: unknown): unknown {
    return answer;
  }
}
