import { Query, Resolver } from 'type-graphql';
import { sql } from '../../db/sql';
import { jsonArray } from '../../graphql/sql/compilers';
import { Sql } from '../../graphql/sql/field-sql';
import { Answer } from '../../graphql/sql/reads';
import { LegalInstrument } from './legal-instrument.entity';

@Resolver(() => LegalInstrument)
export class LegalInstrumentResolver {
  @Query(() => [LegalInstrument], { description: 'The regulations and decrees behind the network, oldest first.' })
  @Sql(
    (call, _row, q) => {
      const l = q.alias();
      return jsonArray(q, call, l, sql`legal_instrument ${l}`, sql`${l}.year, ${l}.key`);
    },
    { listSize: 30 },
  )
  legalInstruments(@Answer() answer: LegalInstrument[]): LegalInstrument[] {
    return answer;
  }
}
