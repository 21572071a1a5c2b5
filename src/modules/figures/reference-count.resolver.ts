// The published counts a ministry dashboard opens with (KIPP registrations per year, the JIPPNas record
// count), as sourced reference data: a short list, in one statement like every read.
import { Arg, Field, InputType, Int, Query, Resolver } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { BadUserInputError } from '../../errors';
import { jsonArray } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { ReferenceCount, ReferenceMeasure } from './reference-count.entity';

@InputType({ description: 'Narrows the published counts.' })
export class ReferenceCountFilter {
  @Field(() => [ReferenceMeasure], { nullable: true, description: 'Only these measures.' })
  measures?: ReferenceMeasure[] | null;

  @Field(() => Int, { nullable: true, description: 'Only counts of this year or later (undated ones are left out).' })
  yearFrom?: number | null;

  @Field(() => Int, { nullable: true, description: 'Only counts of this year or earlier (undated ones are left out).' })
  yearTo?: number | null;
}

function where(filter: ReferenceCountFilter | null | undefined, c: SqlFragment): SqlFragment {
  const conditions: SqlFragment[] = [];
  if (filter?.measures != null) {
    if (!filter.measures.length) throw new BadUserInputError('filter.measures, when given, names at least one measure.', 'filter.measures');
    conditions.push(sql`${c}.measure in (${sql.join(filter.measures.map((m) => sql`${m}`))})`);
  }
  if (filter?.yearFrom != null) conditions.push(sql`${c}.year >= ${filter.yearFrom}`);
  if (filter?.yearTo != null) conditions.push(sql`${c}.year <= ${filter.yearTo}`);
  return sql.and(conditions);
}

@Resolver(() => ReferenceCount)
export class ReferenceCountResolver {
  @Query(() => [ReferenceCount], {
    description:
      'Published counts about the innovation system (KIPP registrations and IGA reports per year, the JIPPNas record count), each with its sources and confidence; by measure, then year (undated last).',
  })
  @Sql(
    (call, _row, q) => {
      const c = q.alias();
      const condition = where(call.args.filter as ReferenceCountFilter | null, c);
      return jsonArray(q, call, c, sql`reference_count ${c} where ${condition}`, sql`${c}.measure, ${c}.year nulls last`);
    },
    { listSize: 40 },
  )
  referenceCounts(@Arg('filter', () => ReferenceCountFilter, { nullable: true }) _filter: ReferenceCountFilter | null, @Answer() answer: ReferenceCount[]): ReferenceCount[] {
    return answer;
  }
}
