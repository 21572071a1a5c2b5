// The rollup tables (see the Rollups migration): counts kept exact by triggers, read by the analytics.
export const ROLLUP_TABLES = ['replication_province_rollup', 'replication_out_rollup', 'replication_in_rollup', 'innovation_rollup'];
