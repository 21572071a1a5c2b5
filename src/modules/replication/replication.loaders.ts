import { alignByKey, defineLoader } from '../../context';
import { readWhereIn } from '../../db/read-rows';
import { Replication } from './replication.entity';

/** The replication whose local version (adoptedAs) an innovation is. */
export const replicationByAdoptedAs = defineLoader<number, Replication | null>('replication.byAdoptedAs', async (ctx, ids) => {
  const rows = await readWhereIn(ctx, Replication, 'adopted_as_id', ids);
  return alignByKey(ids, rows, (r) => r.adoptedAs!.id, (found) => found?.[0] ?? null);
});
