import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context';
import { loadRef } from '../../graphql/refs';
import { readRows } from '../../db/read-rows';
import { runRead } from '../../db/sql';
import { Institution } from '../institution/institution.entity';
import { LegalInstrument } from '../legal/legal-instrument.entity';
import { Province } from '../region/province.entity';
import { Hub } from './hub.entity';
import { HubFilter, HubLevel } from './hub.inputs';
import { hubByProvince, hubsByInstrument } from './hub.loaders';
import { hubOrder, hubQuery } from './hub.queries';

@Resolver(() => Hub)
export class HubResolver {
  @Query(() => [Hub], {
    description: 'Hub designations (provinces and ministries), by cohort year, then province code.',
  })
  async hubs(@Ctx() ctx: Context, @Arg('filter', () => HubFilter, { nullable: true }) filter?: HubFilter | null): Promise<Hub[]> {
    const qb = hubQuery(ctx.em, filter).orderByRaw(hubOrder('h'));
    const rows = await runRead(ctx.em, qb);
    return readRows(ctx, Hub, rows);
  }

  @FieldResolver(() => HubLevel)
  level(@Root() hub: Hub): HubLevel {
    return hub.province ? HubLevel.PROVINCE : HubLevel.MINISTRY;
  }

  @FieldResolver(() => String, { description: 'Name of the province or ministry that is the hub.' })
  async name(@Root() hub: Hub): Promise<string> {
    const owner = hub.province ? await loadRef(hub.province) : await loadRef(hub.institution);
    return owner?.name ?? '';
  }

  @FieldResolver(() => Province, { nullable: true, description: 'The hub province; null for a ministry hub.' })
  province(@Root() hub: Hub): Promise<Province | null> {
    return loadRef(hub.province);
  }

  @FieldResolver(() => Institution, { nullable: true, description: 'The hub ministry or agency; null for a province hub.' })
  institution(@Root() hub: Hub): Promise<Institution | null> {
    return loadRef(hub.institution);
  }

  @FieldResolver(() => LegalInstrument, { nullable: true, description: 'The designating decree; null when there is none.' })
  instrument(@Root() hub: Hub): Promise<LegalInstrument | null> {
    return loadRef(hub.instrument);
  }
}

const isActiveHub = (hub: Hub | null) => hub !== null && (hub.endedOn === null || hub.endedOn > new Date().toISOString().slice(0, 10));

@Resolver(() => Province)
export class ProvinceHubResolver {
  @FieldResolver(() => Hub, { nullable: true, description: "The province's hub designation, if it has one." })
  hub(@Root() province: Province, @Ctx() ctx: Context): Hub | null | Promise<Hub | null> {
    return hubByProvince(ctx).loadNow(province.code);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the province is a Hub JIPP today (committed or designated, and not ended).' })
  isHub(@Root() province: Province, @Ctx() ctx: Context): boolean | Promise<boolean> {
    // Synchronous when a list joined the hubs in (the common case): no promise per province.
    const hub = hubByProvince(ctx).loadNow(province.code);
    return hub instanceof Promise ? hub.then(isActiveHub) : isActiveHub(hub);
  }
}

@Resolver(() => LegalInstrument)
export class InstrumentHubsResolver {
  @FieldResolver(() => [Hub], { description: 'Hubs designated by this instrument.' })
  hubs(@Root() instrument: LegalInstrument, @Ctx() ctx: Context): Promise<Hub[]> {
    return hubsByInstrument(ctx).load(instrument.id);
  }
}
