// Retention: change events are kept CHANGE_RETENTION_DAYS days (docs/changes.md), then pruned, oldest
// commits first, so what is left is always a suffix of the log in commit order; the log remembers how far
// it pruned, and a cursor from before that point is refused (the client resyncs).
import type { EntityManager } from '@mikro-orm/postgresql';

/** Deletes the events of commits older than the retention; returns how many commits went. */
export async function pruneChanges(em: EntityManager, retentionDays: number): Promise<number> {
  const [result] = await em.execute<{ pruned: number }[]>(
    `with cutoff as (select max(seq) as seq from change_commit where committed_at < now() - make_interval(days => ?)),
          gone as (delete from change_commit c using cutoff where c.seq <= cutoff.seq returning c.seq, c.xid),
          events as (delete from change_event e using gone where e.xid = gone.xid returning gone.seq, e.id),
          last as (select seq, id from events order by seq desc, id desc limit 1)
     update change_log l set pruned_seq = coalesce(last.seq, l.pruned_seq), pruned_id = coalesce(last.id, l.pruned_id), retention_days = ?
       from (select 1) one left join last on true
     returning (select count(*)::int from gone) as pruned`,
    [retentionDays, retentionDays],
  );
  // The delivery log keeps what was delivered for as long as the events; pending deliveries stay.
  await em.execute(`delete from webhook_delivery where status = 'DELIVERED' and delivered_at < now() - make_interval(days => ?)`, [retentionDays]);
  return result?.pruned ?? 0;
}

/** Prunes now and then every hour while the API runs; several processes may do it (it is idempotent). */
export function schedulePruning(prune: () => Promise<unknown>, onError: (error: unknown) => void, everyMs = 3_600_000): () => void {
  const run = () => void prune().catch(onError);
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
