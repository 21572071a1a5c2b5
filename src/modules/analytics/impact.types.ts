import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { sql } from '../../db/sql';
import { column, jsonArray, rowsOf, knownRows } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Hub } from '../hub/hub.entity';

export enum ImpactPeriod {
  BEFORE = 'BEFORE',
  AFTER = 'AFTER',
}
registerEnumType(ImpactPeriod, { name: 'ImpactPeriod' });

/** Over a row of the `years` CTE (impact.queries.ts). */
@ObjectType({ simpleResolvers: true })
export class ImpactYear {
  @Field(() => Int)
  @Sql(column('year'))
  year!: number;

  @Field(() => ImpactPeriod, { description: 'AFTER from the year the hub became active.' })
  @Sql(column('period'))
  period!: ImpactPeriod;

  @Field(() => Int, { description: 'Adoptions in the hub province (its regencies included) that year.' })
  @Sql(column('hub'))
  hub!: number;

  @Field(() => Float, { description: 'Mean adoptions that year over the comparison provinces.' })
  @Sql(column('comparison_mean'))
  comparisonMean!: number;
}

/** Over the `summary` row of impact.queries.ts's CTEs. */
@ObjectType({
  simpleResolvers: true,
  description:
    'Adoptions per year in a hub province before and after it became a hub, against the same years in provinces that were not hubs during the whole window: a simple difference-in-differences, with the numbers behind it.',
})
export class HubImpact {
  @Field(() => Hub)
  @Sql((call, row, q) => {
    const h = q.alias();
    const keys = rowsOf(q, row);
    if (keys) knownRows(q, h, keys);
    return sql`(select ${q.object(q.returnType(call), call.nodes, h)} from hub_row ${h})`;
  })
  hub!: Hub;

  @Field(() => Int, { description: 'Year the hub became active (see Hub.activeFrom).' })
  @Sql(column('active_year'))
  activeYear!: number;

  @Field(() => Int, { description: 'Years on each side of activeYear.' })
  @Sql(column('"window"'))
  window!: number;

  @Field(() => [ImpactYear])
  @Sql((call, _row, q) => {
    const y = q.alias();
    return jsonArray(q, call, y, sql`years ${y}`, sql`${y}.year`);
  })
  years!: ImpactYear[];

  @Field(() => [String], { description: 'Codes of the comparison provinces: no hub active at any time in the window.' })
  @Sql(column('comparison_codes'))
  comparisonProvinceCodes!: string[];

  @Field(() => Float, { description: 'Mean adoptions per year in the hub province before activeYear.' })
  @Sql(column('hub_before'))
  hubBefore!: number;

  @Field(() => Float, { description: 'Mean adoptions per year in the hub province from activeYear on.' })
  @Sql(column('hub_after'))
  hubAfter!: number;

  @Field(() => Float, { nullable: true, description: 'Mean over comparison provinces and years, before; null without comparison provinces.' })
  @Sql(column('comparison_before'))
  comparisonBefore!: number | null;

  @Field(() => Float, { nullable: true })
  @Sql(column('comparison_after'))
  comparisonAfter!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: '(hubAfter - hubBefore) - (comparisonAfter - comparisonBefore); null without comparison provinces.',
  })
  @Sql(column('difference'))
  difference!: number | null;
}
