// SQL twins of the innovation resolvers (see src/graphql/compiled/sql-json.ts): the same filters, ordering
// and counts, from the same query builders.
import { connectionSql } from '../../graphql/compiled/connection-sql';
import { parseNumericGlobalId } from '../../graphql/global-id';
import { byKey, column, globalId, list, NotCompilable, reference, type CompilerMap, type FieldCompiler } from '../../graphql/compiled/sql-json';
import type { InnovationFilter, InnovationOrder } from './innovation.inputs';
import { innovationCountQuery, innovationOrdering, innovationQuery } from './innovation.service';

/** A list of innovations: top level, or of the parent row whose `key` the innovations' `column` holds. */
function innovations(parent: { column: string; key: string; rollup?: false } | null): FieldCompiler {
  return (call, row, q) => {
    const filter = call.args.filter as InnovationFilter | undefined;
    const ordering = innovationOrdering(q.em, call.args.orderBy as InnovationOrder | undefined, filter);
    // Relevance keys are floats, which PostgreSQL and JavaScript do not always print alike in a cursor.
    if (ordering.name === 'RELEVANCE') throw new NotCompilable('relevance ordering');
    const of = parent ? { column: parent.column, equals: `${row}.${parent.key}` } : undefined;
    const knex = q.em.getKnex();
    return connectionSql(call, row, q, {
      base: innovationQuery(q.em, filter),
      ordering,
      parent: of,
      total: () => {
        // From the rollup when the filter allows, as the resolver counts.
        // Not for an owner's innovations: the rollup is kept per region, not per owner.
        const rollup = parent?.rollup === false ? null : innovationCountQuery(q.em, filter);
        const count = rollup
          ? rollup.select(knex.raw('coalesce(sum(i.innovations), 0)::int'))
          : innovationQuery(q.em, filter).clearSelect().select(knex.raw('count(*)::int'));
        if (of) count.whereRaw(`${of.column} = ${of.equals}`);
        return `(${q.embed(count)})`;
      },
    });
  };
}

export const innovationCompilers: CompilerMap = {
  Query: {
    innovations: innovations(null),
    innovation: (call, _row, q) => byKey('innovation', 'id', parseNumericGlobalId(call.args.id as string, 'Innovation'), call, q),
  },
  Institution: {
    id: globalId('Institution', 'id'),
    name: column('name'),
    kind: column('kind'),
    province: reference('province', 'code', 'province_code'),
    regency: reference('regency', 'code', 'regency_code'),
    innovations: innovations({ column: 'i.owner_id', key: 'id', rollup: false }),
  },
  Province: { innovations: innovations({ column: 'i.province_code', key: 'code' }) },
  Regency: { innovations: innovations({ column: 'i.regency_code', key: 'code' }) },
  Innovation: {
    id: globalId('Innovation', 'id'),
    title: column('title'),
    summary: column('summary'),
    launchYear: column('launch_year'),
    registry: column('registry'),
    externalId: column('external_id'),
    stage: column('stage'),
    isDigital: column('is_digital'),
    category: column('category'),
    sustainability: column('sustainability'),
    version: column('version'),
    owner: reference('institution', 'id', 'owner_id'),
    province: reference('province', 'code', 'province_code'),
    regency: reference('regency', 'code', 'regency_code'),
    awards: list('award', 'innovation_id', 'id', ['year', 'id']),
  },
  Award: {
    id: globalId('Award', 'id'),
    competition: column('competition'),
    tier: column('tier'),
    year: column('year'),
  },
};
