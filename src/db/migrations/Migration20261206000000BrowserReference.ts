// Browser dashboards: sourced map points for provinces and regencies (region_centroid), and the published
// counts a ministry dashboard opens with (reference_count), both reference data with provenance.
import { Migration } from '@mikro-orm/migrations';

export class Migration20261206000000BrowserReference extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "reference_count" ("id" serial primary key, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "reference_key" text not null, "measure" text check ("measure" in ('KIPP_REGISTRATIONS', 'KIPP_PASSED_ADMINISTRATION', 'IGA_INNOVATIONS', 'IGA_REPORTING_GOVERNMENTS', 'JIPPNAS_RECORDS')) not null, "year" int null, "value" int not null, constraint reference_count_value_not_negative check (value >= 0), constraint reference_count_year_range check (year is null or (year >= 2000 and year <= 2100)));`);
    this.addSql(`alter table "reference_count" add constraint "reference_count_reference_key_unique" unique ("reference_key");`);
    this.addSql(`create table "region_centroid" ("code" varchar(5) not null, "dataset" text check ("dataset" in ('REFERENCE', 'IMPORTED', 'DEMO')) not null, "confidence" text check ("confidence" in ('CONFIRMED', 'REPORTED', 'UNCONFIRMED')) not null default 'REPORTED', "sources" text[] not null default '{}', "note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "lat" numeric(9,6) not null, "lon" numeric(9,6) not null, constraint "region_centroid_pkey" primary key ("code"), constraint region_centroid_in_indonesia check (lat >= -12 and lat <= 7 and lon >= 94 and lon <= 142), constraint region_centroid_code check (code ~ '^[0-9]{2}([.][0-9]{2})?$'));`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "region_centroid", "reference_count" cascade;');
  }
}
