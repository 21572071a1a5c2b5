import { alignByKey, defineLoader } from '../../context';
import { readRows, readWhereIn } from '../../db/read-rows';
import { runRead, selectEntity, whereAny } from '../../db/sql';
import { Regency } from '../region/regency.entity';
import { MentoringProgramme } from './mentoring-programme.entity';

export const programmesByUniversity = defineLoader<number, MentoringProgramme[]>('programme.byUniversity', async (ctx, ids) => {
  const rows = await readWhereIn(ctx, MentoringProgramme, 'university_id', ids, 't.year, t.id');
  return alignByKey(ids, rows, (p) => p.university!.id, (found) => found ?? []);
});

/** The regencies whose teams took part in each session, by code. */
export const regenciesBySession = defineLoader<number, Regency[]>('regency.bySession', async (ctx, ids) => {
  const qb = selectEntity(ctx.em, Regency, 't')
    .select('l.mentoring_session_id as __session')
    .join('mentoring_session_regency as l', 'l.regency_code', 't.code')
    .orderBy('t.code');
  const rows = await runRead(ctx.em, whereAny(qb, 'l.mentoring_session_id', ids));
  const regencies = readRows(ctx, Regency, rows);
  return alignByKey(ids, regencies.map((regency, i) => ({ regency, session: rows[i].__session as number })), (r) => r.session, (found) => found?.map((r) => r.regency) ?? []);
});
