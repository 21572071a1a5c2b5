// Reading the change log in commit order: one statement gives a page of events after a position, the log's
// identity, how far retention has pruned and the head, all from one snapshot. Shared by the changes feed,
// the subscriptions' stream and the webhooks' fan-out.
import { sql, type SqlFragment } from '../db/sql';
import { regionCodeArg } from './region-match';
import type { ChangeActor } from './change-actor';
import type { Position } from './change-cursor';
import type { RecordType } from './change-tables';

/** An event as stored (bigint positions as numbers: they stay far below 2^53). */
export interface ChangeRow {
  seq: number;
  id: number;
  recordType: RecordType;
  recordId: string | null;
  operation: 'CREATE' | 'UPDATE' | 'DELETE';
  bulk: boolean;
  rowCount: number;
  scope: string | null;
  version: number | null;
  fields: string[];
  regions: string[] | null;
  actor: ChangeActor;
  occurredAt: string;
  committedAt: string;
  /** For a mentoring session: the university running its programme (who may see its personal data change). */
  universityId: number | null;
}

export interface ChangePage {
  logId: string;
  /** The last position retention pruned: a cursor before it cannot resume (START when nothing was). */
  pruned: Position;
  /** How long events are kept, as the last pruning recorded it. */
  retentionDays: number;
  /** The newest position in the log (where pruning stopped, when it is empty). */
  head: Position;
  rows: ChangeRow[];
}

export interface ChangeSelection {
  recordTypes?: readonly RecordType[] | null;
  /** A province or regency code: events touching it (a province matches its regencies, and back). */
  regionCode?: string | null;
}

/** Whether an event's regions (null: every region) touch a code, a province matching its regencies. */
export function touchesRegion(regions: SqlFragment, code: string): SqlFragment {
  return sql`(${regions} is null or exists (select 1 from unnest(${regions}) g where g = ${code} or g like ${`${code}.%`} or ${code} like g || '.%'))`;
}

/** The statement reading up to `limit` events after `after` matching `selection`, with the log's state. */
export function changePageSql(after: Position, selection: ChangeSelection, limit: number): SqlFragment {
  const where: SqlFragment[] = [sql`(c.seq, e.id) > (${after.seq}, ${after.id})`];
  if (selection.recordTypes?.length) where.push(sql`e.record_type in (${sql.join(selection.recordTypes.map((t) => sql`${t}`))})`);
  if (selection.regionCode != null) where.push(touchesRegion(sql`e.regions`, regionCodeArg(selection.regionCode)));
  return sql`with page as (
      select c.seq, e.id, e.record_type as "recordType", e.record_id as "recordId", e.operation, e.bulk, e.row_count as "rowCount",
             e.scope, e.version, e.fields, e.regions, e.actor, e.occurred_at as "occurredAt", c.committed_at as "committedAt",
             case when e.record_type = 'MentoringSession' and e.record_id is not null then
               (select p.university_id from mentoring_session s join mentoring_programme p on p.id = s.programme_id where s.id = e.record_id::int)
             end as "universityId"
        from change_commit c join change_event e on e.xid = c.xid
       where ${sql.and(where)}
       order by c.seq, e.id limit ${limit}),
    head as (select c.seq, (select max(e.id) from change_event e where e.xid = c.xid) as id from change_commit c order by c.seq desc limit 1)
    select json_build_object(
      'logId', l.log_id, 'retentionDays', l.retention_days,
      'pruned', json_build_object('seq', l.pruned_seq, 'id', l.pruned_id),
      'head', coalesce((select json_build_object('seq', seq, 'id', coalesce(id, 0)) from head), json_build_object('seq', l.pruned_seq, 'id', l.pruned_id)),
      'rows', coalesce((select json_agg(row_to_json(page) order by page.seq, page.id) from page), '[]'))::text as data
    from change_log l`;
}
