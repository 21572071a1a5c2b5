import { Arg, Args, Ctx, Field, InputType, Query, Resolver } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { requireRole } from '../../auth/authorize';
import { Role } from '../../auth/viewer';
import type { Context } from '../../context';
import { selectEntity } from '../../db/sql';
import { Connection, PageArgs } from '../../graphql/connection';
import { loadConnection } from '../../graphql/list-loader';
import { AuditEvent } from './audit-event.entity';

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

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit log, newest first. Ministry only.' })
  auditEvents(@Ctx() ctx: Context, @Args() page: PageArgs, @Arg('filter', () => AuditFilter, { nullable: true }) filter?: AuditFilter | null) {
    requireRole(ctx.viewer, [Role.MINISTRY_ADMIN], 'auditEvents');
    const base = selectEntity(ctx.em, AuditEvent, 'a');
    if (filter?.action != null) base.where('a.action', filter.action);
    if (filter?.entityId != null) base.where('a.entity_id', filter.entityId);
    if (filter?.requestId != null) base.where('a.request_id', filter.requestId);
    if (filter?.since != null) base.where('a.occurred_at', '>=', filter.since);
    return loadConnection(
      ctx,
      {
        name: 'auditEvents',
        entity: AuditEvent,
        base,
        parentColumn: null,
        ordering: { name: 'SEQUENCE', direction: 'desc', keys: [{ sql: 'a.id', type: 'number' }] },
        variant: filter ?? {},
        Type: AuditEventConnection,
      },
      null,
      page,
    );
  }
}
