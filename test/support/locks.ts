// For concurrency tests: wait until a write is queued behind another transaction's row lock, so the test
// knows the race it stages is really happening (and not just two writes one after the other).
import type { TestApi } from './harness';

/**
 * Resolves once a connection of the API waits on a lock in the test's database, or once `pending` settles
 * (a write that never had to wait: the test's assertions then say what it did instead).
 */
export async function untilBlocked(api: TestApi, pending: Promise<unknown>): Promise<void> {
  let settled = false;
  void pending.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let i = 0; i < 250 && !settled; i += 1) {
    const waiting = await api.sql(
      "select 1 from pg_stat_activity where application_name = 'jipp-api' and wait_event_type = 'Lock' and datname = current_database()",
    );
    if (waiting.length) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  if (!settled) throw new Error('the write neither finished nor waited on a lock within 5 s');
}
