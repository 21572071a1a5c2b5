// Replications: the root list, a replication's adopter, and the replications of innovations, hubs and
// mentoring programmes (one list, replication.queries.ts).
import { Arg, Args, FieldResolver, Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { Connection, PageArgs } from '../../graphql/connection';
import { ownRow, reference } from '../../graphql/sql/compilers';
import { connection } from '../../graphql/sql/connection';
import { Sql, type FieldCompiler } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { Hub } from '../hub/hub.entity';
import { Innovation } from '../innovation/innovation.entity';
import { MentoringProgramme } from '../mentoring/mentoring-programme.entity';
import { Replication } from './replication.entity';
import { ReplicationFilter, ReplicationOrder } from './replication.inputs';
import { replicationList } from './replication.queries';
import { Adopter } from './replication.types';

export const ReplicationConnection = Connection(Replication);

/** The replications of the parent row whose `key` the replications' `column` holds (null: every replication). */
function replications(parent: { column: string; key: string } | null): FieldCompiler {
  return connection((call, row) =>
    replicationList(
      call.args.filter as ReplicationFilter | null,
      call.args.orderBy as ReplicationOrder | null,
      parent ? { column: parent.column, equals: sql`${row}.${sql.raw(parent.key)}` } : null,
    ),
  );
}

const NULLABLE = { nullable: true } as const;

@Resolver(() => Replication)
export class ReplicationResolver {
  @Query(() => ReplicationConnection, { description: 'Replications, scaling-ups and disseminations, filtered and paged.' })
  @Sql(replications(null))
  replications(
    @Args() _page: PageArgs,
    @Arg('filter', () => ReplicationFilter, NULLABLE) _filter: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, NULLABLE) _orderBy: ReplicationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }

  @FieldResolver(() => Adopter)
  @Sql(ownRow)
  adopter(@Answer() answer: Adopter): Adopter {
    return answer;
  }
}

@Resolver(() => Innovation)
export class InnovationReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Where this innovation spread (direct adoptions).' })
  @Sql(replications({ column: 'source_id', key: 'id' }))
  replications(
    @Args() _page: PageArgs,
    @Arg('filter', () => ReplicationFilter, NULLABLE) _filter: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, NULLABLE) _orderBy: ReplicationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }

  @FieldResolver(() => Replication, { nullable: true, description: 'The replication this innovation is the local version of; null for an original.' })
  // adopted_as_id is unique: at most one replication made this innovation.
  @Sql(reference('id', 'adopted_as_id'))
  adoptedFrom(@Answer() answer: Replication | null): Replication | null {
    return answer;
  }
}

@Resolver(() => Hub)
export class HubReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Replications this hub facilitated.' })
  @Sql(replications({ column: 'facilitating_hub_id', key: 'id' }))
  replications(
    @Args() _page: PageArgs,
    @Arg('filter', () => ReplicationFilter, NULLABLE) _filter: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, NULLABLE) _orderBy: ReplicationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }
}

@Resolver(() => MentoringProgramme)
export class ProgrammeReplicationsResolver {
  @FieldResolver(() => ReplicationConnection, { description: 'Replications the programme supported.' })
  @Sql(replications({ column: 'mentoring_programme_id', key: 'id' }))
  replications(
    @Args() _page: PageArgs,
    @Arg('filter', () => ReplicationFilter, NULLABLE) _filter: ReplicationFilter | null,
    @Arg('orderBy', () => ReplicationOrder, NULLABLE) _orderBy: ReplicationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }
}
