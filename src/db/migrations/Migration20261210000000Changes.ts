// Change events: every committed write to a record table appends what changed, in the writing
// transaction, by statement-level triggers (so seeds, DEMO loads, imports and mutations alike), and the
// transaction gets its place in commit order when it commits. See docs/changes.md.
//
//   change_event   one row per record changed (row grain), or per statement and province (scope grain:
//                  bulk writes, or any statement of more than BULK_ROWS rows); merged per record within a
//                  transaction (a session and its regencies are one event)
//   change_commit  one row per committing transaction: its position (seq) in commit order
//   change_log     the log's identity (cursors name it) and the last position retention pruned
//
// Order: a deferred constraint trigger runs at COMMIT, takes one advisory lock and draws the next seq. The
// lock is released only after the commit is visible to everyone (PostgreSQL releases locks after it marks
// the transaction committed), so the next transaction draws its seq after this one is visible: seqs are
// commit order, and a reader that sees seq n sees every seq below it. NOTIFY already serialises committing
// transactions the same way, so the lock adds no new wait to a write that notifies.
import { Migration } from '@mikro-orm/migrations';

/** Statements changing more rows than this append one event per province even without the bulk setting. */
const BULK_ROWS = 1000;

interface Tracked {
  table: string;
  /** The GraphQL type of the record the rows belong to. */
  type: string;
  /** Primary key columns (to pair old and new rows of an update). */
  pk: string[];
  /** The record's key: the row's own key, or the parent's for a child table. */
  key: string;
  /** A child table (awards, a session's regencies): every change is an UPDATE of the parent, this field. */
  child?: string;
  version?: boolean;
  /** The province a row lies in (its write scope), over the row alias r. */
  scope: string;
  /** The region codes a row touches, over the row alias r. */
  regions: string[];
}

const sessionProvince = (session: string) => `(select p.province_code from mentoring_session s join mentoring_programme p on p.id = s.programme_id where s.id = ${session})`;

const TRACKED: Tracked[] = [
  { table: 'province', type: 'Province', pk: ['code'], key: 'code', scope: 'r.code', regions: ['r.code'] },
  { table: 'regency', type: 'Regency', pk: ['code'], key: 'code', scope: 'r.province_code', regions: ['r.province_code', 'r.code'] },
  { table: 'legal_instrument', type: 'LegalInstrument', pk: ['id'], key: 'id', scope: 'null', regions: [] },
  { table: 'institution', type: 'Institution', pk: ['id'], key: 'id', scope: 'r.province_code', regions: ['r.province_code', 'r.regency_code'] },
  { table: 'hub', type: 'Hub', pk: ['id'], key: 'id', version: true, scope: 'r.province_code', regions: ['r.province_code'] },
  {
    table: 'innovation',
    type: 'Innovation',
    pk: ['id'],
    key: 'id',
    version: true,
    scope: 'r.province_code',
    regions: ['r.province_code', 'r.regency_code'],
  },
  {
    table: 'award',
    type: 'Innovation',
    pk: ['id'],
    key: 'innovation_id',
    child: 'awards',
    scope: '(select i.province_code from innovation i where i.id = r.innovation_id)',
    regions: ['(select i.province_code from innovation i where i.id = r.innovation_id)', '(select i.regency_code from innovation i where i.id = r.innovation_id)'],
  },
  {
    table: 'replication',
    type: 'Replication',
    pk: ['id'],
    key: 'id',
    version: true,
    scope: 'r.adopter_province_code',
    regions: ['r.source_province_code', 'r.source_regency_code', 'r.adopter_province_code', 'r.adopter_regency_code'],
  },
  { table: 'university', type: 'University', pk: ['id'], key: 'id', scope: 'r.province_code', regions: ['r.province_code'] },
  { table: 'mentoring_programme', type: 'MentoringProgramme', pk: ['id'], key: 'id', version: true, scope: 'r.province_code', regions: ['r.province_code'] },
  {
    table: 'mentoring_session',
    type: 'MentoringSession',
    pk: ['id'],
    key: 'id',
    version: true,
    scope: '(select p.province_code from mentoring_programme p where p.id = r.programme_id)',
    regions: ['(select p.province_code from mentoring_programme p where p.id = r.programme_id)'],
  },
  {
    table: 'mentoring_session_regency',
    type: 'MentoringSession',
    pk: ['mentoring_session_id', 'regency_code'],
    key: 'mentoring_session_id',
    child: 'regencies',
    scope: sessionProvince('r.mentoring_session_id'),
    regions: ['r.regency_code'],
  },
];

/** Columns whose change alone is no change to the record (bookkeeping, or derived and reported by its cause). */
const QUIET_COLUMNS = ['updated_at', 'version', 'search_vector', 'has_award'];

function at(expression: string, alias: string): string {
  return expression.replace(/\br\./g, `${alias}.`);
}

/** The region codes of the row aliased `alias`, nulls left out. */
const regionArray = (t: Tracked, alias: string) =>
  t.regions.length ? `array_remove(array[${t.regions.map((r) => `(${at(r, alias)})::text`).join(', ')}], null)` : `'{}'::text[]`;

/** What the trigger function of one table and operation appends. */
function functionBody(t: Tracked, op: 'insert' | 'update' | 'delete'): string {
  const operation = t.child ? 'UPDATE' : { insert: 'CREATE', update: 'UPDATE', delete: 'DELETE' }[op];
  const rows = op === 'delete' ? 'old_rows' : 'new_rows';
  const pairs = op === 'update' ? `new_rows n join old_rows o on ${t.pk.map((c) => `o.${c} = n.${c}`).join(' and ')}` : `${rows} n`;
  const oldRegions = op === 'update' ? ` || ${regionArray(t, 'o')}` : '';
  const version = t.version && op !== 'delete' ? 'n.version' : 'null::int';
  const changed =
    op === 'update' && !t.child
      ? `array(select k from jsonb_each(to_jsonb(n)) e(k, v) where v is distinct from (to_jsonb(o) -> k)
                 and k not in (${QUIET_COLUMNS.map((c) => `'${c}'`).join(', ')}) order by k)`
      : t.child
        ? `array['${t.child}']`
        : `'{}'::text[]`;
  // Scope grain: one event per province (its rows counted), regions at province level (old ones too).
  const provinces = [...new Set([t.scope, ...t.regions.filter((r) => !/regency_code/.test(r))])];
  const columns = provinces.flatMap((p) => (op === 'update' ? [at(p, 'n'), at(p, 'o')] : [at(p, 'n')]));
  const scopeSelect = `select '${t.type}', '${operation}', true, count(*)::int, x.scope,
           array(select distinct p from unnest(${columns.map((_, i) => `array_agg(x.p${i})`).join(' || ')}) p where p is not null order by 1),
           actor
      from (select (${at(t.scope, 'n')})::text as scope, ${columns.map((c, i) => `(${c})::text as p${i}`).join(', ')} from ${pairs}) x
     group by x.scope`;
  return `declare
  rows_changed bigint;
  actor jsonb := coalesce(nullif(current_setting('jipp.change_actor', true), '')::jsonb,
                          jsonb_build_object('role', 'SYSTEM', 'tool', current_setting('application_name')));
begin
  select count(*) into rows_changed from ${rows};
  if rows_changed = 0 then return null; end if;
  if rows_changed > ${BULK_ROWS} or current_setting('jipp.change_grain', true) = 'scope' then
    insert into change_event (record_type, operation, bulk, row_count, scope, regions, actor)
    ${scopeSelect};
    return null;
  end if;
  insert into change_event as e (record_type, record_id, operation, version, fields, regions, actor)
  select '${t.type}', x.record_id, '${operation}', x.version, x.fields, x.regions, actor
    from (select (n.${t.key})::text as record_id, max(${version}) as version,
                 array(select distinct f from unnest(array_agg(c.field)) f where f is not null order by 1) as fields,
                 array(select distinct g from unnest(array_agg(c.region)) g where g is not null order by 1) as regions
            from ${pairs}
            cross join lateral (select unnest(${changed}) as field, null::text as region
                                union all select null, unnest(${regionArray(t, 'n')}${oldRegions})
                                union all select null, null) c
           group by 1) x
   where ${op === 'update' && !t.child ? 'cardinality(x.fields) > 0' : 'true'}
  on conflict (xid, record_type, record_id) where record_id is not null do update set
    operation = case when excluded.operation = 'DELETE' then 'DELETE'
                     when e.operation = 'CREATE' then 'CREATE'
                     when e.operation = 'DELETE' then 'UPDATE'
                     else excluded.operation end,
    fields = case when e.operation = 'CREATE' and excluded.operation <> 'DELETE' then '{}'::text[]
                  else array(select distinct f from unnest(e.fields || excluded.fields) f order by 1) end,
    version = greatest(e.version, excluded.version),
    regions = array(select distinct g from unnest(e.regions || excluded.regions) g order by 1);
  return null;
end;`;
}

function triggers(t: Tracked): string[] {
  const statements: string[] = [];
  const referencing = { insert: 'new table as new_rows', update: 'old table as old_rows new table as new_rows', delete: 'old table as old_rows' };
  for (const op of ['insert', 'update', 'delete'] as const) {
    const name = `changes_${t.table}_${op}`;
    statements.push(`create or replace function ${name}() returns trigger language plpgsql as $$
${functionBody(t, op)}
$$;`);
    statements.push(`create trigger ${name} after ${op} on ${t.table} referencing ${referencing[op]} for each statement execute function ${name}();`);
  }
  // A truncated table changed everywhere: one event without regions (null: every region).
  statements.push(`create or replace function changes_${t.table}_truncate() returns trigger language plpgsql as $$
begin
  insert into change_event (record_type, operation, bulk, row_count, scope, regions, actor)
  values ('${t.type}', 'DELETE', true, 0, null, null,
          coalesce(nullif(current_setting('jipp.change_actor', true), '')::jsonb, jsonb_build_object('role', 'SYSTEM', 'tool', current_setting('application_name'))));
  return null;
end;
$$;`);
  statements.push(`create trigger changes_${t.table}_truncate after truncate on ${t.table} for each statement execute function changes_${t.table}_truncate();`);
  return statements;
}

export class Migration20261210000000Changes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table change_event (
      id bigint generated always as identity primary key,
      xid xid8 not null default pg_current_xact_id(),
      record_type text not null,
      record_id text null,
      operation text not null check (operation in ('CREATE', 'UPDATE', 'DELETE')),
      bulk boolean not null default false,
      row_count int not null default 1,
      scope text null,
      version int null,
      fields text[] not null default '{}',
      regions text[] null default '{}',
      actor jsonb not null,
      occurred_at timestamptz not null default now());`);
    this.addSql('create index change_event_xid_index on change_event (xid, id);');
    this.addSql(`create unique index change_event_record_index on change_event (xid, record_type, record_id) where record_id is not null;`);
    // No cache on the sequence: values are drawn one transaction at a time, under the commit lock.
    this.addSql(`create table change_commit (
      seq bigint generated always as identity (cache 1) primary key,
      xid xid8 not null unique,
      committed_at timestamptz not null default clock_timestamp());`);
    this.addSql('create index change_commit_committed_at_index on change_commit (committed_at);');
    this.addSql(`create table change_log (
      id boolean primary key default true check (id),
      log_id uuid not null default gen_random_uuid(),
      pruned_seq bigint not null default 0,
      pruned_id bigint not null default 0,
      retention_days int not null default 7);`);
    this.addSql('insert into change_log default values;');
    this.addSql(`create or replace function change_commit() returns trigger language plpgsql as $$
declare
  me xid8 := pg_current_xact_id();
  position bigint;
  summary text;
begin
  if exists (select 1 from change_commit where xid = me) then return null; end if;
  perform pg_advisory_xact_lock(hashtext('jipp-change-commit'));
  insert into change_commit (xid) values (me) returning seq into position;
  select json_build_object('seq', position,
                           'types', array_agg(distinct record_type order by record_type),
                           'regions', case when bool_or(regions is null) then null
                                           else (select array_agg(distinct g order by g) from change_event c, unnest(c.regions) g where c.xid = me) end)::text
    into summary from change_event where xid = me;
  -- A NOTIFY payload holds under 8000 bytes: past that, the types alone (every region may have changed).
  if octet_length(summary) > 7900 then
    select json_build_object('seq', position, 'types', array_agg(distinct record_type order by record_type), 'regions', null)::text
      into summary from change_event where xid = me;
  end if;
  perform pg_notify('jipp_changes', summary);
  return null;
end;
$$;`);
    this.addSql(`create constraint trigger change_event_commit after insert on change_event
  deferrable initially deferred for each row execute function change_commit();`);
    for (const t of TRACKED) for (const statement of triggers(t)) this.addSql(statement);
  }

  override async down(): Promise<void> {
    for (const t of TRACKED) {
      for (const op of ['insert', 'update', 'delete', 'truncate']) {
        this.addSql(`drop trigger if exists changes_${t.table}_${op} on ${t.table};`);
        this.addSql(`drop function if exists changes_${t.table}_${op}();`);
      }
    }
    this.addSql('drop table if exists change_event, change_commit, change_log cascade;');
    this.addSql('drop function if exists change_commit();');
  }
}
