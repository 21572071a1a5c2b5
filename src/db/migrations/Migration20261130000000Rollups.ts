// Rollups: counts of replications and innovations pre-aggregated by the dimensions the analytics filter and
// group on, kept exact by statement-level triggers (one aggregated delta per statement, so a 1,000-row import
// batch costs one upsert per touched key, not 1,000). Analytics read these instead of scanning every
// replication: their cost follows the number of regions and years, not the number of records.
// Counts that fall to zero stay as rows with 0; readers only consider rows with a positive count.
// innovation.has_award, kept by triggers on award, lets awards be one more rollup dimension.
import { Migration } from '@mikro-orm/migrations';

interface Rollup {
  table: string;
  source: 'replication' | 'innovation';
  /** Key columns: the rollup column name and its type; the source column has the same name. */
  keys: [string, string][];
  count: string;
}

const ROLLUPS: Rollup[] = [
  {
    // The province-level replication graph, with every filter it accepts except regency codes.
    table: 'replication_province_rollup',
    source: 'replication',
    keys: [
      ['source_province_code', 'varchar(2)'],
      ['adopter_province_code', 'varchar(2)'],
      ['adopter_scope', 'text'],
      ['kind', 'text'],
      ['status', 'text'],
      ['year', 'int'],
      ['facilitating_hub_id', 'int'],
      ['dataset', 'text'],
    ],
    count: 'replications',
  },
  {
    // The same flows without status and hub, for the PROVINCE graph when it is not filtered by them: a third
    // of the rows of the rollup above (38,000 instead of 103,000 at x10).
    table: 'replication_flow_rollup',
    source: 'replication',
    keys: [
      ['source_province_code', 'varchar(2)'],
      ['adopter_province_code', 'varchar(2)'],
      ['adopter_scope', 'text'],
      ['kind', 'text'],
      ['year', 'int'],
      ['dataset', 'text'],
    ],
    count: 'replications',
  },
  {
    // Replications out of a province or regency per year (statistics).
    table: 'replication_out_rollup',
    source: 'replication',
    keys: [
      ['source_province_code', 'varchar(2)'],
      ['source_regency_code', 'varchar(5)'],
      ['year', 'int'],
    ],
    count: 'replications',
  },
  {
    // Replications into a province or regency per year, by adopter scope and dataset (statistics, adopting
    // regencies, hubImpact).
    table: 'replication_in_rollup',
    source: 'replication',
    keys: [
      ['adopter_province_code', 'varchar(2)'],
      ['adopter_regency_code', 'varchar(5)'],
      ['adopter_scope', 'text'],
      ['year', 'int'],
      ['dataset', 'text'],
    ],
    count: 'replications',
  },
  {
    // Innovations per region, launch year, dataset and whether awarded (statistics, graph nodes, innovation
    // totals of lists filtered by region, year, dataset or awards).
    table: 'innovation_rollup',
    source: 'innovation',
    keys: [
      ['province_code', 'varchar(2)'],
      ['regency_code', 'varchar(5)'],
      ['launch_year', 'int'],
      ['dataset', 'text'],
      ['has_award', 'boolean'],
    ],
    count: 'innovations',
  },
];

const columns = (r: Rollup) => r.keys.map(([name]) => name).join(', ');

/** Adds the signed rows of the given transition tables to the rollup, in key order (no deadlocks between writers). */
function applyDelta(r: Rollup, parts: { relation: string; sign: 1 | -1 }[]): string {
  const cols = columns(r);
  const union = parts.map((p) => `select ${cols}, ${p.sign} as d from ${p.relation}`).join(' union all ');
  return `insert into ${r.table} (${cols}, ${r.count})
    select ${cols}, sum(d)::int from (${union}) x group by ${cols} having sum(d) <> 0 order by ${cols}
    on conflict (${cols}) do update set ${r.count} = ${r.table}.${r.count} + excluded.${r.count};`;
}

function triggers(r: Rollup): string[] {
  const fn = (op: string) => `${r.table}_${op}`;
  const bodies: Record<string, { parts: { relation: string; sign: 1 | -1 }[]; referencing: string; event: string }> = {
    insert: { parts: [{ relation: 'new_rows', sign: 1 }], referencing: 'new table as new_rows', event: 'insert' },
    update: {
      parts: [
        { relation: 'new_rows', sign: 1 },
        { relation: 'old_rows', sign: -1 },
      ],
      referencing: 'old table as old_rows new table as new_rows',
      event: 'update',
    },
    delete: { parts: [{ relation: 'old_rows', sign: -1 }], referencing: 'old table as old_rows', event: 'delete' },
  };
  const sql: string[] = [];
  for (const [op, body] of Object.entries(bodies)) {
    sql.push(`create or replace function ${fn(op)}() returns trigger language plpgsql as $$
begin
  ${applyDelta(r, body.parts)}
  return null;
end;
$$;`);
    sql.push(`create trigger ${fn(op)} after ${body.event} on ${r.source} referencing ${body.referencing}
  for each statement execute function ${fn(op)}();`);
  }
  // A truncated source empties its rollups (the test suite and operators may truncate).
  sql.push(`create or replace function ${fn('truncate')}() returns trigger language plpgsql as $$
begin
  delete from ${r.table};
  return null;
end;
$$;`);
  sql.push(`create trigger ${fn('truncate')} after truncate on ${r.source} for each statement execute function ${fn('truncate')}();`);
  return sql;
}

/** innovation.has_award follows the award table: set when an innovation gets its first award, cleared with its last. */
function awardFlag(): string[] {
  const sql = [
    `alter table "innovation" add column "has_award" boolean not null default false;`,
    `update innovation i set has_award = true where exists (select 1 from award a where a.innovation_id = i.id);`,
    `create index "innovation_awarded_province_year_index" on "innovation" (province_code, coalesce(launch_year, 0), id) where has_award;`,
  ];
  const events: [string, string, string][] = [
    ['insert', 'new table as new_rows', 'select innovation_id from new_rows'],
    ['update', 'old table as old_rows new table as new_rows', 'select innovation_id from new_rows union select innovation_id from old_rows'],
    ['delete', 'old table as old_rows', 'select innovation_id from old_rows'],
  ];
  for (const [event, referencing, touched] of events) {
    sql.push(`create or replace function award_flag_${event}() returns trigger language plpgsql as $$
begin
  update innovation i set has_award = x.awarded
    from (select t.id, exists (select 1 from award a where a.innovation_id = t.id) as awarded
            from (${touched}) t(id) order by t.id) x
   where i.id = x.id and i.has_award is distinct from x.awarded;
  return null;
end;
$$;`);
    sql.push(`create trigger award_flag_${event} after ${event} on award referencing ${referencing}
  for each statement execute function award_flag_${event}();`);
  }
  return sql;
}

export class Migration20261130000000Rollups extends Migration {
  override async up(): Promise<void> {
    for (const statement of awardFlag()) this.addSql(statement);
    for (const r of ROLLUPS) {
      const definitions = r.keys.map(([name, type]) => `"${name}" ${type} null`).join(', ');
      // Half-empty pages: an updated count (not indexed) stays on its page as a HOT update, so the frequent
      // small updates neither grow the indexes nor wait for vacuum to be reclaimed.
      this.addSql(`create table "${r.table}" (${definitions}, "${r.count}" int not null,
        constraint "${r.table}_key" unique nulls not distinct (${columns(r)}))
        with (fillfactor = 50, autovacuum_vacuum_scale_factor = 0.05, autovacuum_analyze_scale_factor = 0.05);`);
      this.addSql(`insert into ${r.table} (${columns(r)}, ${r.count})
        select ${columns(r)}, count(*)::int from ${r.source} group by ${columns(r)} order by ${columns(r)};`);
      for (const statement of triggers(r)) this.addSql(statement);
    }
    // Statistics look rollups up by region first; the unique keys above lead with the columns the graph groups on.
    this.addSql('create index "replication_out_rollup_regency_index" on "replication_out_rollup" ("source_regency_code");');
    this.addSql('create index "replication_in_rollup_regency_index" on "replication_in_rollup" ("adopter_regency_code");');
    this.addSql('create index "innovation_rollup_regency_index" on "innovation_rollup" ("regency_code");');
  }

  override async down(): Promise<void> {
    for (const r of ROLLUPS) {
      for (const op of ['insert', 'update', 'delete', 'truncate']) {
        this.addSql(`drop trigger if exists ${r.table}_${op} on ${r.source};`);
        this.addSql(`drop function if exists ${r.table}_${op}();`);
      }
      this.addSql(`drop table if exists "${r.table}";`);
    }
    for (const event of ['insert', 'update', 'delete']) {
      this.addSql(`drop trigger if exists award_flag_${event} on award;`);
      this.addSql(`drop function if exists award_flag_${event}();`);
    }
    this.addSql('alter table "innovation" drop column if exists "has_award";');
  }
}
