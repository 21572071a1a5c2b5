// The initial schema: every table, constraint and index of the domain, plus the triggers that keep
// replication rows consistent with their source innovation (region copy, self-adoption guard).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261122000000Initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create table "legal_instrument" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "key" text not null, "kind" text check ("kind" in ('LAW', 'GOVERNMENT_REGULATION', 'PRESIDENTIAL_REGULATION', 'MINISTERIAL_REGULATION', 'MINISTERIAL_DECREE', 'OTHER')) not null, "number" text not null, "year" int not null, "title" text not null, "issuer" text not null, "issued_on" date null, "legal_basis_id" int null, constraint legal_instrument_year_range check (year >= 1945 and year <= 2100));`);
    this.addSql(`alter table "legal_instrument" add constraint "legal_instrument_key_unique" unique ("key");`);
    this.addSql(`alter table "legal_instrument" add constraint "legal_instrument_kind_issuer_number_year_unique" unique ("kind", "issuer", "number", "year");`);
    this.addSql(`create table "province" ("code" varchar(2) not null, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text not null, constraint "province_pkey" primary key ("code"));`);
    this.addSql(`create table "regency" ("code" varchar(5) not null, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "province_code" varchar(2) not null, "name" text not null, "kind" text check ("kind" in ('KABUPATEN', 'KOTA')) not null, constraint "regency_pkey" primary key ("code"), constraint regency_kind_matches_code check ((kind = 'KOTA') = (substr(code, 4, 2) >= '71')), constraint regency_code_in_province check (left(code, 2) = province_code));`);
    this.addSql(`create index "regency_province_code_index" on "regency" ("province_code");`);
    this.addSql(`create table "institution" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" text not null, "kind" text check ("kind" in ('MINISTRY', 'AGENCY', 'PROVINCIAL_GOVERNMENT', 'REGENCY_GOVERNMENT', 'CITY_GOVERNMENT', 'REGIONAL_AGENCY', 'STATE_OWNED_ENTERPRISE', 'POLICE_UNIT', 'HOSPITAL', 'UNIVERSITY', 'OTHER')) not null, "province_code" varchar(2) null, "regency_code" varchar(5) null, constraint institution_regency_in_province check (regency_code is null or province_code = left(regency_code, 2)));`);
    this.addSql(`alter table "institution" add constraint "institution_name_unique" unique ("name");`);
    this.addSql(`create index "institution_province_code_index" on "institution" ("province_code");`);
    this.addSql(`create index "institution_regency_code_index" on "institution" ("regency_code");`);
    this.addSql(`create table "hub" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "province_code" varchar(2) null, "institution_id" int null, "cohort_year" int not null, "stage" text check ("stage" in ('COMMITTED', 'DESIGNATED')) not null, "is_pilot" boolean not null default false, "instrument_id" int null, "committed_on" date null, "designated_on" date null, "ended_on" date null, "version" int not null default 1, constraint hub_ended_after_start check (ended_on is null or ended_on >= coalesce(designated_on, committed_on, ended_on)), constraint hub_cohort_year_range check (cohort_year >= 2015 and cohort_year <= 2100), constraint hub_designated_has_instrument check (stage <> 'DESIGNATED' or instrument_id is not null), constraint hub_is_province_or_institution check ((province_code is null) <> (institution_id is null)));`);
    this.addSql(`alter table "hub" add constraint "hub_province_code_unique" unique ("province_code");`);
    this.addSql(`alter table "hub" add constraint "hub_institution_id_unique" unique ("institution_id");`);
    this.addSql(`create index "hub_instrument_id_index" on "hub" ("instrument_id");`);
    this.addSql(`create table "innovation" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "reference_key" text null, "title" text not null, "summary" text null, "owner_id" int not null, "province_code" varchar(2) null, "regency_code" varchar(5) null, "launch_year" int null, "registry" text check ("registry" in ('KIPP', 'IGA', 'INOLAN', 'JIPPNAS', 'OTHER')) null, "external_id" text null, "stage" text check ("stage" in ('INISIATIF', 'UJI_COBA', 'PENERAPAN')) null, "is_digital" boolean null, "category" text null, "sustainability" text check ("sustainability" in ('CONTINUING', 'STOPPED')) null, "search_vector" tsvector generated always as (to_tsvector('indonesian'::regconfig, title || ' ' || coalesce(summary, ''))) stored null, "version" int not null default 1, constraint innovation_launch_year_range check (launch_year is null or (launch_year >= 1945 and launch_year <= 2100)), constraint innovation_external_id_has_registry check (external_id is null or registry is not null), constraint innovation_regency_in_province check (regency_code is null or province_code = left(regency_code, 2)));`);
    this.addSql(`alter table "innovation" add constraint "innovation_reference_key_unique" unique ("reference_key");`);
    this.addSql(`create index "innovation_owner_id_index" on "innovation" ("owner_id");`);
    this.addSql(`create index "innovation_province_code_index" on "innovation" ("province_code");`);
    this.addSql(`create index "innovation_regency_code_index" on "innovation" ("regency_code");`);
    this.addSql(`create index "innovation_title_trgm_index" on "innovation" using gin (title gin_trgm_ops);`);
    this.addSql(`create index "innovation_search_index" on "innovation" using gin (search_vector);`);
    this.addSql(`create index "innovation_launch_year_id_index" on "innovation" (coalesce(launch_year, 0), id);`);
    this.addSql(`create index "innovation_title_id_index" on "innovation" ("title", "id");`);
    this.addSql(`alter table "innovation" add constraint "innovation_registry_external_id_unique" unique ("registry", "external_id");`);
    this.addSql(`create table "award" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "innovation_id" int not null, "competition" text check ("competition" in ('KIPP', 'UNPSA', 'IGA', 'OTHER')) not null, "year" int not null, "tier" text check ("tier" in ('TOP_99', 'TOP_9', 'TOP_25', 'TOP_35', 'TOP_40', 'TOP_45', 'TOP_15_KHUSUS', 'TOP_15_REPLIKASI', 'OUTSTANDING_ACHIEVEMENT', 'UNPSA_WINNER', 'UNPSA_HONORABLE_MENTION', 'UNPSA_NOMINEE')) not null, constraint award_year_range check (year >= 2000 and year <= 2100));`);
    this.addSql(`alter table "award" add constraint "award_innovation_id_competition_year_tier_unique" unique ("innovation_id", "competition", "year", "tier");`);
    this.addSql(`create table "university" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "acronym" text not null, "name" text not null, "province_code" varchar(2) not null);`);
    this.addSql(`alter table "university" add constraint "university_acronym_unique" unique ("acronym");`);
    this.addSql(`alter table "university" add constraint "university_name_unique" unique ("name");`);
    this.addSql(`create index "university_province_code_index" on "university" ("province_code");`);
    this.addSql(`create table "mentoring_programme" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "reference_key" text null, "year" int not null, "province_code" varchar(2) not null, "university_id" int null, "other_partner" text null, "period_start" date null, "period_end" date null, "period_precision" text null, "commitment_signed_on" date null, "recommended_by" text null, "outputs" text[] not null default '{}', "version" int not null default 1, constraint mentoring_programme_year_range check (year >= 2015 and year <= 2100), constraint mentoring_programme_period_order check (period_end is null or period_start is null or period_end >= period_start));`);
    this.addSql(`alter table "mentoring_programme" add constraint "mentoring_programme_reference_key_unique" unique ("reference_key");`);
    this.addSql(`create index "mentoring_programme_province_code_index" on "mentoring_programme" ("province_code");`);
    this.addSql(`create index "mentoring_programme_university_id_index" on "mentoring_programme" ("university_id");`);
    this.addSql(`create table "replication" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "reference_key" text null, "source_id" int not null, "source_province_code" varchar(2) null, "source_regency_code" varchar(5) null, "adopter_scope" text check ("adopter_scope" in ('NATIONAL', 'PROVINCE', 'PROVINCE_WIDE', 'REGENCY')) not null, "adopter_province_code" varchar(2) null, "adopter_regency_code" varchar(5) null, "adopter_institution_id" int null, "kind" text check ("kind" in ('REPLICATION', 'SCALING_UP', 'DISSEMINATION')) not null, "status" text check ("status" in ('PROPOSED', 'COMMITTED', 'IMPLEMENTED', 'INSTITUTIONALIZED', 'DISCONTINUED')) not null, "year" int not null, "implementation_year" int null, "committed_on" date null, "implemented_on" date null, "facilitating_hub_id" int null, "mentoring_programme_id" int null, "adopted_as_id" int null, "version" int not null default 1, constraint replication_implementation_after_year check (implementation_year is null or implementation_year >= year), constraint replication_year_range check (year >= 1990 and year <= 2100), constraint replication_not_adopted_as_itself check (adopted_as_id is null or adopted_as_id <> source_id), constraint replication_adopter_scope check ((adopter_scope = 'NATIONAL' and adopter_province_code is null and adopter_regency_code is null) or ((adopter_scope = 'PROVINCE' or adopter_scope = 'PROVINCE_WIDE') and adopter_province_code is not null and adopter_regency_code is null) or (adopter_scope = 'REGENCY' and adopter_regency_code is not null and adopter_province_code = left(adopter_regency_code, 2))));`);
    this.addSql(`alter table "replication" add constraint "replication_reference_key_unique" unique ("reference_key");`);
    this.addSql(`create index "replication_source_id_index" on "replication" ("source_id");`);
    this.addSql(`create index "replication_adopter_province_code_index" on "replication" ("adopter_province_code");`);
    this.addSql(`create index "replication_adopter_regency_code_index" on "replication" ("adopter_regency_code");`);
    this.addSql(`create index "replication_adopter_institution_id_index" on "replication" ("adopter_institution_id");`);
    this.addSql(`create index "replication_facilitating_hub_id_index" on "replication" ("facilitating_hub_id");`);
    this.addSql(`create index "replication_mentoring_programme_id_index" on "replication" ("mentoring_programme_id");`);
    this.addSql(`alter table "replication" add constraint "replication_adopted_as_id_unique" unique ("adopted_as_id");`);
    this.addSql(`create index "replication_source_province_index" on "replication" ("source_province_code", "adopter_province_code");`);
    this.addSql(`create index "replication_year_id_index" on "replication" ("year", "id");`);
    this.addSql(`create table "mentoring_session" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "programme_id" int not null, "held_on" date not null, "mode" text check ("mode" in ('IN_PERSON', 'ONLINE', 'HYBRID')) not null, "topic" text not null, "participant_count" int null, "mentor_names" text[] not null default '{}', "version" int not null default 1, constraint mentoring_session_participants check (participant_count is null or participant_count >= 0));`);
    this.addSql(`create index "mentoring_session_programme_id_index" on "mentoring_session" ("programme_id");`);
    this.addSql(`create table "mentoring_session_regency" ("mentoring_session_id" int not null, "regency_code" varchar(5) not null, constraint "mentoring_session_regency_pkey" primary key ("mentoring_session_id", "regency_code"));`);
    this.addSql(`alter table "legal_instrument" add constraint "legal_instrument_legal_basis_id_foreign" foreign key ("legal_basis_id") references "legal_instrument" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "regency" add constraint "regency_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade;`);
    this.addSql(`alter table "institution" add constraint "institution_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "institution" add constraint "institution_regency_code_foreign" foreign key ("regency_code") references "regency" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "hub" add constraint "hub_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "hub" add constraint "hub_institution_id_foreign" foreign key ("institution_id") references "institution" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "hub" add constraint "hub_instrument_id_foreign" foreign key ("instrument_id") references "legal_instrument" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "innovation" add constraint "innovation_owner_id_foreign" foreign key ("owner_id") references "institution" ("id") on update cascade;`);
    this.addSql(`alter table "innovation" add constraint "innovation_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "innovation" add constraint "innovation_regency_code_foreign" foreign key ("regency_code") references "regency" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "award" add constraint "award_innovation_id_foreign" foreign key ("innovation_id") references "innovation" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "university" add constraint "university_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade;`);
    this.addSql(`alter table "mentoring_programme" add constraint "mentoring_programme_province_code_foreign" foreign key ("province_code") references "province" ("code") on update cascade;`);
    this.addSql(`alter table "mentoring_programme" add constraint "mentoring_programme_university_id_foreign" foreign key ("university_id") references "university" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add constraint "replication_source_id_foreign" foreign key ("source_id") references "innovation" ("id") on update cascade;`);
    this.addSql(`alter table "replication" add constraint "replication_adopter_province_code_foreign" foreign key ("adopter_province_code") references "province" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add constraint "replication_adopter_regency_code_foreign" foreign key ("adopter_regency_code") references "regency" ("code") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add constraint "replication_adopter_institution_id_foreign" foreign key ("adopter_institution_id") references "institution" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add constraint "replication_facilitating_hub_id_foreign" foreign key ("facilitating_hub_id") references "hub" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add constraint "replication_mentoring_programme_id_foreign" foreign key ("mentoring_programme_id") references "mentoring_programme" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "replication" add constraint "replication_adopted_as_id_foreign" foreign key ("adopted_as_id") references "innovation" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "mentoring_session" add constraint "mentoring_session_programme_id_foreign" foreign key ("programme_id") references "mentoring_programme" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "mentoring_session_regency" add constraint "mentoring_session_regency_mentoring_session_id_foreign" foreign key ("mentoring_session_id") references "mentoring_session" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "mentoring_session_regency" add constraint "mentoring_session_regency_regency_code_foreign" foreign key ("regency_code") references "regency" ("code") on update cascade on delete cascade;`);
    this.addSql(`create or replace function replication_before_write() returns trigger language plpgsql as $$
declare
  src record;
  adopter_region text;
begin
  select province_code, regency_code, owner_id into src from innovation where id = new.source_id;
  new.source_province_code := src.province_code;
  new.source_regency_code := src.regency_code;
  adopter_region := case new.adopter_scope
    when 'REGENCY' then new.adopter_regency_code
    when 'PROVINCE' then new.adopter_province_code
    else null
  end;
  -- Replicating or disseminating an innovation to its own region by its own owner is not a diffusion.
  -- Scaling up may stay with the owner (an innovation widened where it was born), so it is allowed.
  if new.kind <> 'SCALING_UP'
     and adopter_region is not null
     and adopter_region = coalesce(src.regency_code, src.province_code)
     and (new.adopter_institution_id is null or new.adopter_institution_id = src.owner_id) then
    raise exception 'replication % of innovation % adopts it in its own region by its own owner', new.id, new.source_id
      using errcode = 'check_violation', constraint = 'replication_not_self_adoption';
  end if;
  return new;
end;
$$;`);
    this.addSql(`create trigger replication_before_write
  before insert or update of source_id, adopter_scope, adopter_province_code, adopter_regency_code, adopter_institution_id, kind
  on replication for each row execute function replication_before_write();`);
    this.addSql(`create or replace function innovation_region_changed() returns trigger language plpgsql as $$
begin
  update replication
     set source_province_code = new.province_code, source_regency_code = new.regency_code
   where source_id = new.id;
  return null;
end;
$$;`);
    this.addSql(`create trigger innovation_region_changed
  after update of province_code, regency_code on innovation
  for each row when (old.province_code is distinct from new.province_code or old.regency_code is distinct from new.regency_code)
  execute function innovation_region_changed();`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "mentoring_session_regency", "mentoring_session", "replication", "mentoring_programme", "university", "award", "innovation", "hub", "institution", "regency", "province", "legal_instrument" cascade;');
    this.addSql('drop function if exists replication_before_write(), innovation_region_changed();');
  }
}
