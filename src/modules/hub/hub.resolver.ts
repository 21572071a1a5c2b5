// Hubs: the root list, and the hub fields of provinces and legal instruments.
import { Arg, FieldResolver, Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { list, matchesList, reference } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { LegalInstrument } from '../legal/legal-instrument.entity';
import { Province } from '../region/province.entity';
import { Hub } from './hub.entity';
import { HubFilter } from './hub.inputs';
import { hubIsCurrent, hubMatches, hubOrder } from './hub.queries';

@Resolver(() => Hub)
export class HubResolver {
  @Query(() => [Hub], { description: 'Hub designations (provinces and ministries), by cohort year, then province code.' })
  @Sql((call, _row, q) => matchesList(call, q, hubMatches(call.args.filter as HubFilter | null), hubOrder), { listSize: 50 })
  hubs(@Arg('filter', () => HubFilter, { nullable: true }) _filter: HubFilter | null, @Answer() answer: Hub[]): Hub[] {
    return answer;
  }
}

@Resolver(() => Province)
export class ProvinceHubResolver {
  @FieldResolver(() => Hub, { nullable: true, description: "The province's hub designation, if it has one." })
  @Sql(reference('code', 'province_code'))
  hub(@Answer() answer: Hub | null): Hub | null {
    return answer;
  }

  @FieldResolver(() => Boolean, { description: 'Whether the province is a Hub JIPP today (committed or designated, and not ended).' })
  @Sql((_call, row, q) => {
    const h = q.alias();
    return sql`exists (select 1 from hub ${h} where ${h}.province_code = ${row}.code and ${hubIsCurrent(h)})`;
  })
  isHub(@Answer() answer: boolean): boolean {
    return answer;
  }
}

@Resolver(() => LegalInstrument)
export class InstrumentHubsResolver {
  @FieldResolver(() => [Hub], { description: 'Hubs designated by this instrument.' })
  @Sql(list('instrument_id', 'id', ['province_code', 'id']), { listSize: 30 })
  hubs(@Answer() answer: Hub[]): Hub[] {
    return answer;
  }
}
