// API keys that expire, and when each was last used (written at most once a minute per key).
import { Migration } from '@mikro-orm/migrations';

export class Migration20261201000000ApiKeyLifecycle extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "api_key" add column "expires_at" timestamptz null, add column "last_used_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "api_key" drop column "expires_at", drop column "last_used_at";`);
  }
}
