// Writes: API keys (hashes only), the append-only audit log, idempotency records, and registry ids on
// replications so imports can upsert them.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261122010000Writes extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_event" ("id" serial primary key, "occurred_at" timestamptz not null default now(), "role" text not null, "api_key_id" int null, "actor" text null, "action" text not null, "entity_type" text null, "entity_id" text null, "before" jsonb null, "after" jsonb null, "request_id" text null, "idempotency_key" text null);`);
    this.addSql(`create index "audit_event_occurred_at_index" on "audit_event" ("occurred_at");`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(`create index "audit_event_entity_index" on "audit_event" ("entity_type", "entity_id");`);
    this.addSql(`create table "idempotency_record" ("id" serial primary key, "owner" text not null, "operation" text not null, "key" text not null, "request_hash" text not null, "response" jsonb null, "created_at" timestamptz not null default now());`);
    this.addSql(`alter table "idempotency_record" add constraint "idempotency_record_owner_operation_key_unique" unique ("owner", "operation", "key");`);
    this.addSql(`create table "api_key" ("id" serial primary key, "label" text not null, "role" text check ("role" in ('PUBLIC', 'UNIVERSITY', 'HUB_OPERATOR', 'MINISTRY_ADMIN', 'INTEGRATION')) not null, "province_code" varchar(2) null, "university_id" int null, "prefix" text not null, "hash" text not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint api_key_scope_matches_role check ((role = 'HUB_OPERATOR') = (province_code is not null) and (role = 'UNIVERSITY') = (university_id is not null) and role <> 'PUBLIC'));`);
    this.addSql(`alter table "api_key" add constraint "api_key_prefix_unique" unique ("prefix");`);
    this.addSql(`alter table "api_key" add constraint "api_key_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "api_key" add constraint "api_key_university_id_foreign" foreign key ("university_id") references "university" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add column "registry" text check ("registry" in ('KIPP', 'IGA', 'INOLAN', 'JIPPNAS', 'OTHER')) null, add column "external_id" text null;`);
    this.addSql(`alter table "replication" add constraint "replication_registry_external_id_unique" unique ("registry", "external_id");`);
    this.addSql(`alter table "replication" add constraint replication_external_id_has_registry check(external_id is null or registry is not null);`);
    this.addSql(`create or replace function audit_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only' using errcode = 'insufficient_privilege';
end;
$$;`);
    this.addSql(`create trigger audit_event_append_only before update or delete on audit_event
  for each row execute function audit_event_append_only();`);
    this.addSql(`create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_event_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "api_key", "idempotency_record", "audit_event" cascade;');
    this.addSql('drop function if exists audit_event_append_only();');
    this.addSql('alter table "replication" drop column if exists "registry", drop column if exists "external_id";');
  }
}
