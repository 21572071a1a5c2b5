// One MikroORM configuration for the server, the seeders, the CLI tools and the tests.
import { DataloaderType, type Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './src/db/entities';
import { CountingLogger } from './src/db/statement-counter';
import { migrationsList } from './src/db/migration-list';
import { ROLLUP_TABLES } from './src/db/rollups';
import { RATE_LIMIT_TABLE } from './src/limits/budget-store';
import { CHANGE_TABLES } from './src/changes/change-tables';

export interface OrmSettings {
  clientUrl: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  /** How long a request waits for a free pool connection before failing (fast and coded, never a hang). */
  acquireTimeoutMs?: number;
  logSql?: boolean;
  /** Where knex's own warnings go (a dropped connection, ...); by default knex writes them to the console. */
  onDriverWarning?: (message: string) => void;
}

export function ormOptions(settings: OrmSettings): Options<PostgreSqlDriver> {
  const acquireTimeoutMs = settings.acquireTimeoutMs ?? 5_000;
  return {
    driver: PostgreSqlDriver,
    clientUrl: settings.clientUrl,
    entities,
    discovery: { disableDynamicFileAccess: true },
    dataloader: DataloaderType.ALL,
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: settings.logSql ? ['query', 'query-params'] : false,
    loggerFactory: (options) => new CountingLogger(options),
    pool: {
      min: 0,
      max: settings.poolMax ?? 10,
      acquireTimeoutMillis: acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
    },
    driverOptions: {
      connection: {
        statement_timeout: settings.statementTimeoutMs ?? 15_000,
        // A transaction left open by a stuck client must not hold locks and a connection forever.
        idle_in_transaction_session_timeout: 60_000,
        connectionTimeoutMillis: acquireTimeoutMs,
        // The client's own bound, past PostgreSQL's statement timeout, for a server that stops answering
        // altogether (a stalled host): the write fails with a coded fault instead of hanging.
        // No statement timeout (0, the tools and migrations) means no client bound either.
        query_timeout: settings.statementTimeoutMs === 0 ? 0 : (settings.statementTimeoutMs ?? 15_000) + 5_000,
        // Notice a PostgreSQL that vanished without closing the socket (host down) instead of waiting on it.
        keepAlive: true,
        application_name: 'jipp-api',
      },
      ...(settings.onDriverWarning ? { log: driverLog(settings.onDriverWarning) } : {}),
    },
    // Rollups and the change log are maintained by triggers and read with SQL; no entity maps them (see
    // their migrations). The rate-limit budgets are rate-limiter-flexible's table (the RateLimits migration).
    schemaGenerator: { skipTables: [...ROLLUP_TABLES, ...CHANGE_TABLES, RATE_LIMIT_TABLE] },
    extensions: [Migrator],
    migrations: {
      tableName: 'mikro_orm_migrations',
      migrationsList,
      transactional: true,
      silent: true,
      allOrNothing: true,
      snapshot: false,
      path: 'src/db/migrations',
      emit: 'ts',
    },
  };
}

/** knex's logger interface, routed to one function (so a JSON log stays JSON). */
function driverLog(warn: (message: string) => void) {
  const write = (message: unknown) => warn(String(message));
  return { warn: write, error: write, deprecate: write, debug: () => {} };
}

export default ormOptions({
  clientUrl: process.env.DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:54329/jipp',
});
