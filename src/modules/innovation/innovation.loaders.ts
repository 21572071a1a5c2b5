import { alignByKey, defineLoader } from '../../context';
import { readWhereIn } from '../../db/read-rows';
import { Award } from './award.entity';
import { Innovation } from './innovation.entity';

export const innovationById = defineLoader<number, Innovation | null>('innovation.byId', async (ctx, ids) => {
  const rows = await readWhereIn(ctx, Innovation, 'id', ids);
  return alignByKey(ids, rows, (i) => i.id, (found) => found?.[0] ?? null);
});

export const awardsByInnovation = defineLoader<number, Award[]>('award.byInnovation', async (ctx, ids) => {
  const rows = await readWhereIn(ctx, Award, 'innovation_id', ids, 't.year, t.id');
  return alignByKey(ids, rows, (a) => a.innovation.id, (found) => found ?? []);
});
