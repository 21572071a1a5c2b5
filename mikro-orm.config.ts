// One MikroORM configuration for the server, the seeders, the CLI tools and the tests.
import { DataloaderType, type Options } from '@mikro-orm/core';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './src/db/entities';
import { CountingLogger } from './src/db/statement-counter';
import { migrationsList } from './src/db/migration-list';

export interface OrmSettings {
  clientUrl: string;
  poolMax?: number;
  statementTimeoutMs?: number;
  logSql?: boolean;
}

export function ormOptions(settings: OrmSettings): Options<PostgreSqlDriver> {
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
      acquireTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    },
    driverOptions: {
      connection: { statement_timeout: settings.statementTimeoutMs ?? 15_000, application_name: 'jipp-api' },
    },
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

export default ormOptions({
  clientUrl: process.env.DATABASE_URL ?? 'postgresql://postgres:postgres@127.0.0.1:54329/jipp',
});
