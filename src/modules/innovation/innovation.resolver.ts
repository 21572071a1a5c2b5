// Innovations: the root list and lookup, an innovation's awards, and the innovations of provinces,
// regencies and owners (one list, src/modules/innovation/innovation.queries.ts).
import { Arg, Args, FieldResolver, ID, Query, Resolver } from 'type-graphql';
import { sql, type SqlFragment } from '../../db/sql';
import { Connection, PageArgs } from '../../graphql/connection';
import { parseNumericGlobalId } from '../../graphql/global-id';
import { byKey, list } from '../../graphql/sql/compilers';
import { connection } from '../../graphql/sql/connection';
import { Sql, type FieldCompiler } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { Institution } from '../institution/institution.entity';
import { Province } from '../region/province.entity';
import { Regency } from '../region/regency.entity';
import { Award } from './award.entity';
import { Innovation } from './innovation.entity';
import { InnovationFilter, InnovationOrder } from './innovation.inputs';
import { innovationList, searchWeight } from './innovation.queries';

export const InnovationConnection = Connection(Innovation);

/** The innovations of the parent row whose `key` the innovations' `column` holds (null: every innovation). */
function innovations(parent: { column: string; key: string; rollup: boolean } | null): FieldCompiler {
  return connection((call, row) => {
    const of = parent ? { column: parent.column, equals: sql`${row}.${sql.raw(parent.key)}` as SqlFragment, rollup: parent.rollup } : null;
    return innovationList(call.args.filter as InnovationFilter | null, call.args.orderBy as InnovationOrder | null, of);
  });
}

const FILTER = { nullable: true } as const;
/** A search is priced as the work it is (innovation.queries.ts). */
const COST = { weight: (argument: (name: string) => unknown) => searchWeight(argument('filter')) };

@Resolver(() => Innovation)
export class InnovationResolver {
  @Query(() => InnovationConnection, { description: 'Innovations, filtered, ordered and paged.' })
  @Sql(innovations(null), COST)
  innovations(
    @Args() _page: PageArgs,
    @Arg('filter', () => InnovationFilter, FILTER) _filter: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, FILTER) _orderBy: InnovationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }

  @Query(() => Innovation, { nullable: true, description: 'An innovation by its global id; null when there is none.' })
  @Sql((call, _row, q) => byKey(call, q, parseNumericGlobalId(call.args.id as string, 'Innovation')))
  innovation(@Arg('id', () => ID) _id: string, @Answer() answer: Innovation | null): Innovation | null {
    return answer;
  }

  @FieldResolver(() => [Award], { description: 'Awards, oldest first.' })
  @Sql(list('innovation_id', 'id', ['year', 'id']), { listSize: 3 })
  awards(@Answer() answer: Award[]): Award[] {
    return answer;
  }
}

@Resolver(() => Province)
export class ProvinceInnovationsResolver {
  @FieldResolver(() => InnovationConnection, { description: 'Innovations located in the province, its regencies included.' })
  @Sql(innovations({ column: 'province_code', key: 'code', rollup: true }), COST)
  innovations(
    @Args() _page: PageArgs,
    @Arg('filter', () => InnovationFilter, FILTER) _filter: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, FILTER) _orderBy: InnovationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }
}

@Resolver(() => Regency)
export class RegencyInnovationsResolver {
  @FieldResolver(() => InnovationConnection, { description: 'Innovations located in the regency or city.' })
  @Sql(innovations({ column: 'regency_code', key: 'code', rollup: true }), COST)
  innovations(
    @Args() _page: PageArgs,
    @Arg('filter', () => InnovationFilter, FILTER) _filter: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, FILTER) _orderBy: InnovationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }
}

@Resolver(() => Institution)
export class InstitutionResolver {
  @FieldResolver(() => InnovationConnection, { description: 'Innovations the institution owns.' })
  @Sql(innovations({ column: 'owner_id', key: 'id', rollup: false }), COST)
  innovations(
    @Args() _page: PageArgs,
    @Arg('filter', () => InnovationFilter, FILTER) _filter: InnovationFilter | null,
    @Arg('orderBy', () => InnovationOrder, FILTER) _orderBy: InnovationOrder | null,
    @Answer() answer: unknown,
  ): unknown {
    return answer;
  }
}
