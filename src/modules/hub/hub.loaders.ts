import { alignByKey, defineLoader } from '../../context';
import { readWhereIn } from '../../db/read-rows';
import { Hub } from './hub.entity';

export const hubByProvince = defineLoader<string, Hub | null>('hub.byProvince', async (ctx, codes) => {
  const rows = await readWhereIn(ctx, Hub, 'province_code', codes);
  return alignByKey(codes, rows, (h) => h.province!.code, (found) => found?.[0] ?? null);
});

export const hubsByInstrument = defineLoader<number, Hub[]>('hub.byInstrument', async (ctx, ids) => {
  const rows = await readWhereIn(ctx, Hub, 'instrument_id', ids, 't.province_code, t.id');
  return alignByKey(ids, rows, (h) => h.instrument!.id, (found) => found ?? []);
});
