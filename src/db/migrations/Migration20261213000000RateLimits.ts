// Rate-limit budgets shared by every API process (rate-limiter-flexible's RateLimiterPostgres, told the
// table exists: `tableCreated: true`, so nothing is created at run time). The columns are the library's own
// (its _getCreateTableStmt). UNLOGGED: a budget is a minute's counter, worth no WAL: the table is emptied
// after a crash (every client starts a fresh window), is not copied to standbys, and a request's upsert
// costs no WAL write or flush on the primary.
import { Migration } from '@mikro-orm/migrations';
import { RATE_LIMIT_TABLE } from '../../limits/budget-store';

export class Migration20261213000000RateLimits extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unlogged table "${RATE_LIMIT_TABLE}" ("key" varchar(255) primary key, "points" integer not null default 0, "expire" bigint);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "${RATE_LIMIT_TABLE}";`);
  }
}
