// Region statistics, each field over a row of the statistics statement (statistics.queries.ts): a column
// per part asked for, and year_from, year_to.
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { sql } from '../../db/sql';
import { column, jsonArray } from '../../graphql/sql/compilers';
import { Sql, type FieldCompiler } from '../../graphql/sql/field-sql';
import { Innovation } from '../innovation/innovation.entity';

/** A member of a JSON object (v) of an element row, as JSON. */
const member =
  (name: string): FieldCompiler =>
  (_call, row) =>
    sql`(${row}.v->${name})`;

/** The elements of a JSON array column, as objects of the field's type over (v, n) rows. */
const elements =
  (name: string): FieldCompiler =>
  (call, row, q) => {
    const e = q.alias();
    return jsonArray(q, call, e, sql`json_array_elements(${row}.${sql.raw(name)}) with ordinality ${e}(v, n)`, sql`${e}.n`);
  };

@ObjectType({ simpleResolvers: true })
export class StatisticsYear {
  @Field(() => Int)
  @Sql(member('year'))
  year!: number;

  @Field(() => Int, { description: 'Innovations launched that year.' })
  @Sql(member('innovations'))
  innovations!: number;

  @Field(() => Int)
  @Sql(member('replicationsOut'))
  replicationsOut!: number;

  @Field(() => Int)
  @Sql(member('replicationsIn'))
  replicationsIn!: number;
}

@ObjectType({ simpleResolvers: true })
export class TopInnovation {
  @Field(() => Innovation)
  @Sql((call, row, q) => {
    const i = q.alias();
    return sql`(select ${q.object(q.returnType(call), call.nodes, i)} from innovation ${i} where ${i}.id = (${row}.v->>'innovationId')::int)`;
  })
  innovation!: Innovation;

  @Field(() => Int, { description: 'Replications of the innovation within the years asked.' })
  @Sql(member('adoptions'))
  adoptions!: number;
}

@ObjectType({ description: 'Activity of a region (or a ministry hub) over a range of years.', simpleResolvers: true })
export class RegionStatistics {
  @Field(() => Int, { nullable: true })
  @Sql(column('year_from'))
  yearFrom!: number | null;

  @Field(() => Int, { nullable: true })
  @Sql(column('year_to'))
  yearTo!: number | null;

  @Field(() => Int, {
    description: 'Innovations located in the region (owned, for a ministry hub); with a year range, those launched in it.',
  })
  @Sql(column('innovations'))
  innovations!: number;

  @Field(() => Int, { description: 'Replications of those innovations (any adopter), in the years asked.' })
  @Sql(column('replications_out'))
  replicationsOut!: number;

  @Field(() => Int, { description: 'Replications adopted in the region (by a ministry hub), in the years asked.' })
  @Sql(column('replications_in'))
  replicationsIn!: number;

  @Field(() => Int, { description: 'Province-wide commitments among replicationsIn (each counted once).' })
  @Sql(column('province_wide'))
  provinceWideCommitments!: number;

  @Field(() => Int, { description: 'Distinct regencies of the region named as adopters.' })
  @Sql(column('adopting_regencies'))
  adoptingRegencies!: number;

  @Field(() => Int, { description: 'Regencies and cities of the region (1 for a regency, 0 for a ministry hub).' })
  @Sql(column('member_regencies'))
  memberRegencies!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'adoptingRegencies / memberRegencies; null without member regencies. Province-wide commitments are not expanded.',
  })
  @Sql((_call, row) => sql`case when ${row}.member_regencies > 0 then ${row}.adopting_regencies::float8 / ${row}.member_regencies end`)
  adoptionRate!: number | null;

  @Field(() => Int, { description: 'Distinct regencies anywhere that adopted innovations of the region.' })
  @Sql(column('reach_regencies'))
  reachRegencies!: number;

  @Field(() => [StatisticsYear], { description: 'Per-year series, for the years with any activity, oldest first.' })
  @Sql(elements('series'))
  series!: StatisticsYear[];

  @Field(() => [TopInnovation], { description: "The region's innovations with most adoptions (at most 5)." })
  @Sql(elements('top'))
  topInnovations!: TopInnovation[];
}
