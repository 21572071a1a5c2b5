// Provinces and regencies: the root lists and lookups, and the fields of a province that list its regencies.
import { Arg, Args, FieldResolver, Int, Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { provinceCodeArg, regencyCodeArg } from '../../graphql/codes';
import { Connection, PageArgs } from '../../graphql/connection';
import { byKey, list, matchesList } from '../../graphql/sql/compilers';
import { connection } from '../../graphql/sql/connection';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { ProvinceFilter, RegencyFilter } from './region.inputs';
import { provinceMatches, regencyList } from './region.queries';
import { Province } from './province.entity';
import { Regency, RegencyKind } from './regency.entity';

export const RegencyConnection = Connection(Regency);

@Resolver(() => Province)
export class ProvinceResolver {
  @Query(() => [Province], { description: 'All 38 provinces, ordered by code.' })
  @Sql((call, _row, q) => matchesList(call, q, provinceMatches(call.args.filter as ProvinceFilter | null), (p) => sql`${p}.code`), { listSize: 38 })
  provinces(@Arg('filter', () => ProvinceFilter, { nullable: true }) _filter: ProvinceFilter | null, @Answer() answer: Province[]): Province[] {
    return answer;
  }

  @Query(() => Province, { nullable: true, description: 'A province by its Kemendagri code; null when there is none.' })
  @Sql((call, _row, q) => byKey(call, q, provinceCodeArg(call.args.code as string, 'code')))
  province(@Arg('code') _code: string, @Answer() answer: Province | null): Province | null {
    return answer;
  }

  @FieldResolver(() => [Regency], { description: 'The regencies and cities of the province, ordered by code.' })
  @Sql(
    list('province_code', 'code', ['code'], (call, t) => (call.args.kind == null ? null : sql`${t}.kind = ${call.args.kind as RegencyKind}`)),
    { listSize: 40 },
  )
  regencies(@Arg('kind', () => RegencyKind, { nullable: true }) _kind: RegencyKind | null, @Answer() answer: Regency[]): Regency[] {
    return answer;
  }

  @FieldResolver(() => Int, { description: 'Number of regencies and cities in the province.' })
  @Sql((_call, row, q) => {
    const r = q.alias();
    return sql`(select count(*)::int from regency ${r} where ${r}.province_code = ${row}.code)`;
  })
  regencyCount(@Answer() answer: number): number {
    return answer;
  }
}

@Resolver(() => Regency)
export class RegencyResolver {
  @Query(() => RegencyConnection, { description: 'Regencies and cities, ordered by code.' })
  @Sql(connection((call) => regencyList(call.args.filter as RegencyFilter | null)))
  regencies(@Args() _page: PageArgs, @Arg('filter', () => RegencyFilter, { nullable: true }) _filter: RegencyFilter | null, @Answer() answer: unknown): unknown {
    return answer;
  }

  @Query(() => Regency, { nullable: true, description: 'A regency or city by its Kemendagri code; null when there is none.' })
  @Sql((call, _row, q) => byKey(call, q, regencyCodeArg(call.args.code as string, 'code')))
  regency(@Arg('code') _code: string, @Answer() answer: Regency | null): Regency | null {
    return answer;
  }
}
