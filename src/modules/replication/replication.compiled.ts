// SQL twins of the replication resolvers (see src/graphql/compiled/sql-json.ts): the same filters and
// orderings, from the same query builders.
import { connectionSql, countOf } from '../../graphql/compiled/connection-sql';
import { column, globalId, reference, type CompilerMap, type FieldCompiler } from '../../graphql/compiled/sql-json';
import type { ReplicationFilter, ReplicationOrder } from './replication.inputs';
import { replicationOrdering, replicationQuery } from './replication.service';

/** A list of replications: top level, or of the parent row whose `key` the replications' `column` holds. */
function replications(parent: { column: string; key: string } | null): FieldCompiler {
  return (call, row, q) => {
    const filter = call.args.filter as ReplicationFilter | undefined;
    const of = parent ? { column: parent.column, equals: `${row}.${parent.key}` } : undefined;
    return connectionSql(call, row, q, {
      base: replicationQuery(q.em, filter),
      ordering: replicationOrdering(call.args.orderBy as ReplicationOrder | undefined),
      parent: of,
      total: () => {
        const matches = replicationQuery(q.em, filter);
        if (of) matches.whereRaw(`${of.column} = ${of.equals}`);
        return countOf(q, matches);
      },
    });
  };
}

export const replicationCompilers: CompilerMap = {
  Query: { replications: replications(null) },
  Innovation: {
    replications: replications({ column: 'r.source_id', key: 'id' }),
    // adopted_as_id is unique: at most one replication made this innovation.
    adoptedFrom: reference('replication', 'adopted_as_id', 'id'),
  },
  Hub: { replications: replications({ column: 'r.facilitating_hub_id', key: 'id' }) },
  MentoringProgramme: { replications: replications({ column: 'r.mentoring_programme_id', key: 'id' }) },
  Replication: {
    id: globalId('Replication', 'id'),
    registry: column('registry'),
    externalId: column('external_id'),
    kind: column('kind'),
    adopterScope: column('adopter_scope'),
    status: column('status'),
    year: column('year'),
    implementationYear: column('implementation_year'),
    committedOn: column('committed_on'),
    implementedOn: column('implemented_on'),
    version: column('version'),
    source: reference('innovation', 'id', 'source_id'),
    // The adopter is read from the replication's own row.
    adopter: (call, row, q) => q.object(q.returnType(call), call.nodes, row),
    facilitatingHub: reference('hub', 'id', 'facilitating_hub_id'),
    mentoringProgramme: reference('mentoring_programme', 'id', 'mentoring_programme_id'),
    adoptedAs: reference('innovation', 'id', 'adopted_as_id'),
  },
  Adopter: {
    scope: column('adopter_scope'),
    province: reference('province', 'code', 'adopter_province_code'),
    regency: reference('regency', 'code', 'adopter_regency_code'),
    institution: reference('institution', 'id', 'adopter_institution_id'),
  },
};
