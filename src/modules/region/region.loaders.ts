import { alignByKey, defineLoader } from '../../context';
import { readWhereIn } from '../../db/read-rows';
import { Province } from './province.entity';
import { Regency } from './regency.entity';

export const provinceByCode = defineLoader<string, Province | null>('province.byCode', async (ctx, codes) => {
  const rows = await readWhereIn(ctx, Province, 'code', codes);
  return alignByKey(codes, rows, (p) => p.code, (found) => found?.[0] ?? null);
});

export const regencyByCode = defineLoader<string, Regency | null>('regency.byCode', async (ctx, codes) => {
  const rows = await readWhereIn(ctx, Regency, 'code', codes);
  return alignByKey(codes, rows, (r) => r.code, (found) => found?.[0] ?? null);
});

export const regenciesByProvince = defineLoader<string, Regency[]>('regency.byProvince', async (ctx, codes) => {
  const rows = await readWhereIn(ctx, Regency, 'province_code', codes, 't.code');
  return alignByKey(codes, rows, (r) => r.province.code, (found) => found ?? []);
});
