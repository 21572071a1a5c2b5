import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadRef } from '../../graphql/refs';
import { LegalInstrument } from './legal-instrument.entity';

@Resolver(() => LegalInstrument)
export class LegalInstrumentResolver {
  @Query(() => [LegalInstrument], { description: 'The regulations and decrees behind the network, oldest first.' })
  legalInstruments(@Ctx() ctx: Context): Promise<LegalInstrument[]> {
    return ctx.em.find(LegalInstrument, {}, { orderBy: { year: 'asc', key: 'asc' } });
  }

  @FieldResolver(() => LegalInstrument, { nullable: true, description: 'The instrument this one is based on.' })
  legalBasis(@Root() instrument: LegalInstrument): Promise<LegalInstrument | null> {
    return loadRef(instrument.legalBasis);
  }
}
