import { alignByKey, defineLoader } from '../../context';
import { Province } from './province.entity';
import { Regency } from './regency.entity';

export const provinceByCode = defineLoader<string, Province | null>('province.byCode', async (ctx, codes) => {
  const rows = await ctx.em.find(Province, { code: { $in: [...codes] } });
  return alignByKey(codes, rows, (p) => p.code, (found) => found?.[0] ?? null);
});

export const regencyByCode = defineLoader<string, Regency | null>('regency.byCode', async (ctx, codes) => {
  const rows = await ctx.em.find(Regency, { code: { $in: [...codes] } });
  return alignByKey(codes, rows, (r) => r.code, (found) => found?.[0] ?? null);
});

export const regenciesByProvince = defineLoader<string, Regency[]>('regency.byProvince', async (ctx, codes) => {
  const rows = await ctx.em.find(Regency, { province: { $in: [...codes] } }, { orderBy: { code: 'asc' } });
  return alignByKey(codes, rows, (r) => r.province.unwrap().code, (found) => found ?? []);
});
