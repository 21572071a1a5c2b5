// The rollup tables (see the Rollups and GraphRollups migrations): counts kept exact by triggers, read by the
// analytics.
export const ROLLUP_TABLES = [
  'replication_province_rollup',
  'replication_flow_rollup',
  'replication_out_rollup',
  'replication_in_rollup',
  'innovation_rollup',
  'replication_regency_flow_rollup',
  'replication_activity_rollup',
  'replication_spread_rollup',
];

/**
 * A replication kind's bit in replication_spread_rollup.kinds, the set of kinds a count is for (every kind
 * has one; replication.kind is checked).
 */
export const KIND_BITS = { REPLICATION: 1, SCALING_UP: 2, DISSEMINATION: 4 } as const;

const SPREAD_TRIGGERS = ['replication_spread_insert', 'replication_spread_update', 'replication_spread_delete'];

/**
 * Runs a bulk load or removal of replications, inside the caller's transaction, with the spread triggers
 * off, then refills the tables they keep (the spread, activity and regency flow rollups) once
 * (replication_spread_rebuild). Statement by statement they would
 * work out every touched innovation's spread again for each batch, and in one long transaction every
 * version of a rollup row stays: at x10 that made a load many times slower. Turning the triggers off
 * locks the replications against other writers until the transaction ends, so no write goes uncounted.
 */
export async function withSpreadRebuiltAfter<T>(query: (sql: string) => Promise<unknown>, bulk: () => Promise<T>): Promise<T> {
  for (const trigger of SPREAD_TRIGGERS) await query(`alter table replication disable trigger ${trigger}`);
  const result = await bulk();
  await query('select replication_spread_rebuild()');
  for (const trigger of SPREAD_TRIGGERS) await query(`alter table replication enable trigger ${trigger}`);
  return result;
}

/**
 * Rewrites the rollups compactly and refreshes the planner's statistics, after a bulk load or removal in
 * one long transaction, which updates each rollup row many times over (every version stays until it ends).
 * Takes a brief exclusive lock on each small rollup; must run outside a transaction.
 */
export async function compactAfterBulkLoad(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query(`vacuum (full, analyze) ${ROLLUP_TABLES.join(', ')}`);
  await query('vacuum (analyze) innovation, replication, award, institution');
}
