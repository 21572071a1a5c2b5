// Webhooks: endpoints registered by a key (MINISTRY_ADMIN or INTEGRATION) for kinds of change, and their
// deliveries: one row per event and endpoint, made by the fan-out from the change log (its position in
// webhook_fanout, moved in the transaction that queues the deliveries, so each event is queued once),
// attempted in commit order per endpoint, retried with backoff. See docs/changes.md.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261210010000Webhooks extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table webhook (
      id serial primary key,
      api_key_id int not null references api_key (id) on delete cascade,
      url text not null,
      record_types text[] not null,
      region_code text null,
      secret text not null,
      start_seq bigint not null,
      active boolean not null default true,
      disabled_reason text null,
      disabled_at timestamptz null,
      consecutive_failures int not null default 0,
      lease_until timestamptz null,
      created_at timestamptz not null default now());`);
    this.addSql('create index webhook_api_key_index on webhook (api_key_id);');
    this.addSql(`create table webhook_delivery (
      id bigint generated always as identity primary key,
      webhook_id int not null references webhook (id) on delete cascade,
      event_id bigint not null,
      seq bigint not null,
      body text not null,
      status text not null default 'PENDING' check (status in ('PENDING', 'DELIVERED')),
      attempts int not null default 0,
      next_attempt_at timestamptz not null default now(),
      last_attempt_at timestamptz null,
      delivered_at timestamptz null,
      response_status int null,
      error text null,
      duration_ms int null,
      created_at timestamptz not null default now(),
      constraint webhook_delivery_event_unique unique (webhook_id, event_id));`);
    this.addSql(`create index webhook_delivery_pending_index on webhook_delivery (webhook_id, seq, event_id) where status = 'PENDING';`);
    this.addSql('create index webhook_delivery_log_index on webhook_delivery (webhook_id, id desc);');
    this.addSql(`create table webhook_fanout (
      id boolean primary key default true check (id),
      seq bigint not null,
      event_id bigint not null);`);
    // Fan-out starts at the head: events committed before webhooks existed are nobody's to deliver.
    this.addSql(`insert into webhook_fanout (seq, event_id)
      select coalesce(max(c.seq), 0), coalesce((select max(e.id) from change_event e), 0) from change_commit c;`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists webhook_delivery, webhook, webhook_fanout cascade;');
  }
}
