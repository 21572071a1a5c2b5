import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { readRows } from '../../db/read-rows';
import { runRead, selectEntity } from '../../db/sql';
import { loadRef } from '../../graphql/refs';
import { LegalInstrument } from './legal-instrument.entity';

@Resolver(() => LegalInstrument)
export class LegalInstrumentResolver {
  @Query(() => [LegalInstrument], { description: 'The regulations and decrees behind the network, oldest first.' })
  async legalInstruments(@Ctx() ctx: Context): Promise<LegalInstrument[]> {
    const rows = await runRead(ctx.em, selectEntity(ctx.em, LegalInstrument, 'l').orderBy(['l.year', 'l.key']));
    return readRows(ctx, LegalInstrument, rows);
  }

  @FieldResolver(() => LegalInstrument, { nullable: true, description: 'The instrument this one is based on.' })
  legalBasis(@Root() instrument: LegalInstrument): Promise<LegalInstrument | null> {
    return loadRef(instrument.legalBasis);
  }
}
