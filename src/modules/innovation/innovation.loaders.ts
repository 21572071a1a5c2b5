import { alignByKey, defineLoader } from '../../context';
import { Award } from './award.entity';
import { Innovation } from './innovation.entity';

export const innovationById = defineLoader<number, Innovation | null>('innovation.byId', async (ctx, ids) => {
  const rows = await ctx.em.find(Innovation, { id: { $in: [...ids] } });
  return alignByKey(ids, rows, (i) => i.id, (found) => found?.[0] ?? null);
});

export const awardsByInnovation = defineLoader<number, Award[]>('award.byInnovation', async (ctx, ids) => {
  const rows = await ctx.em.find(Award, { innovation: { $in: [...ids] } }, { orderBy: { year: 'asc', id: 'asc' } });
  return alignByKey(ids, rows, (a) => a.innovation.id, (found) => found ?? []);
});
