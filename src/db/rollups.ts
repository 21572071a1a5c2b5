// The rollup tables (see the Rollups migration): counts kept exact by triggers, read by the analytics.
export const ROLLUP_TABLES = [
  'replication_province_rollup',
  'replication_flow_rollup',
  'replication_out_rollup',
  'replication_in_rollup',
  'innovation_rollup',
];

/**
 * Rewrites the rollups compactly and refreshes the planner's statistics, after a bulk load or removal in
 * one long transaction, which updates each rollup row many times over (every version stays until it ends).
 * Takes a brief exclusive lock on each small rollup; must run outside a transaction.
 */
export async function compactAfterBulkLoad(query: (sql: string) => Promise<unknown>): Promise<void> {
  await query(`vacuum (full, analyze) ${ROLLUP_TABLES.join(', ')}`);
  await query('vacuum (analyze) innovation, replication, award, institution');
}
