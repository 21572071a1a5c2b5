// The change log's tables and what each kind of record's change can touch, for the response cache: a
// record type's own tables and those triggers keep from them (rollups, the award flag). One list, checked
// against the database's triggers by test/changes/change-log.test.ts.
import { ROLLUP_TABLES } from '../db/rollups';

/** Tables of the change log and the webhooks (SQL only, no entity: see their migrations). */
export const CHANGE_TABLES = ['change_event', 'change_commit', 'change_log', 'webhook', 'webhook_delivery', 'webhook_fanout'];

export const RECORD_TYPES = [
  'Province',
  'Regency',
  'LegalInstrument',
  'Institution',
  'Hub',
  'Innovation',
  'Replication',
  'University',
  'MentoringProgramme',
  'MentoringSession',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

const REPLICATION_ROLLUPS = ROLLUP_TABLES.filter((table) => table.startsWith('replication_'));

/** The tables a committed change of each record type may have written (its own, and what triggers keep). */
export const TABLES_OF: Record<RecordType, readonly string[]> = {
  Province: ['province'],
  Regency: ['regency'],
  LegalInstrument: ['legal_instrument'],
  Institution: ['institution'],
  Hub: ['hub'],
  Innovation: ['innovation', 'award', 'innovation_rollup'],
  Replication: ['replication', ...REPLICATION_ROLLUPS],
  University: ['university'],
  MentoringProgramme: ['mentoring_programme'],
  MentoringSession: ['mentoring_session', 'mentoring_session_regency'],
};

/** Every table some record type's change can write: a cached answer reading any other table is not kept. */
export const TRACKED_TABLES: ReadonlySet<string> = new Set(Object.values(TABLES_OF).flat());
