import { alignByKey, defineLoader } from '../../context';
import { Replication } from './replication.entity';

/** The replication whose local version (adoptedAs) an innovation is. */
export const replicationByAdoptedAs = defineLoader<number, Replication | null>('replication.byAdoptedAs', async (ctx, ids) => {
  const rows = await ctx.em.find(Replication, { adoptedAs: { $in: [...ids] } });
  return alignByKey(ids, rows, (r) => r.adoptedAs!.id, (found) => found?.[0] ?? null);
});
