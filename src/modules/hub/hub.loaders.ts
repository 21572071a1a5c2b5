import { alignByKey, defineLoader } from '../../context';
import { Hub } from './hub.entity';

export const hubByProvince = defineLoader<string, Hub | null>('hub.byProvince', async (ctx, codes) => {
  const rows = await ctx.em.find(Hub, { province: { $in: [...codes] } });
  return alignByKey(codes, rows, (h) => h.province!.unwrap().code, (found) => found?.[0] ?? null);
});

export const hubsByInstrument = defineLoader<number, Hub[]>('hub.byInstrument', async (ctx, ids) => {
  const rows = await ctx.em.find(Hub, { instrument: { $in: [...ids] } }, { orderBy: { province: 'asc', id: 'asc' } });
  return alignByKey(ids, rows, (h) => h.instrument!.id, (found) => found ?? []);
});
