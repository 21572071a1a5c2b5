import { alignByKey, defineLoader } from '../../context';
import { MentoringProgramme } from './mentoring-programme.entity';

export const programmesByUniversity = defineLoader<number, MentoringProgramme[]>('programme.byUniversity', async (ctx, ids) => {
  const rows = await ctx.em.find(MentoringProgramme, { university: { $in: [...ids] } }, { orderBy: { year: 'asc', id: 'asc' } });
  return alignByKey(ids, rows, (p) => p.university!.id, (found) => found ?? []);
});
