// Decides which PostgreSQL to use: DATABASE_URL when given, else the embedded one of the data folder. The
// API owns and supervises its embedded PostgreSQL (openServerDatabase); a command-line tool uses the one
// that runs, or starts one for its job (openDatabase).
import { Client } from 'pg';
import type { Config } from '../config';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded';
import { useOrStartEmbedded } from './embedded-tool';

export interface DatabaseHandle {
  url: string;
  /** Human-readable description for start-up logs, without the password. */
  description: string;
  /** Stops the embedded PostgreSQL if this process started it; leaves any other database alone. */
  stop: () => Promise<void>;
}

export interface ServerDatabaseHandle extends DatabaseHandle {
  /** The API is stopping: an exit of PostgreSQL from now on is not restarted. */
  beginShutdown: () => void;
  /** Called after each restart of a crashed embedded PostgreSQL (never with DATABASE_URL). */
  onRestart: (listener: () => void) => void;
}

export interface ServerDatabaseLog {
  info: (message: string, fields?: Record<string, unknown>) => void;
  warn: (message: string, fields?: Record<string, unknown>) => void;
  postgres: (line: string) => void;
}

export const EMBEDDED_DATABASE_NAME = 'jipp';

/** For command-line tools: never stops a PostgreSQL it did not start. */
export async function openDatabase(
  config: Config,
  log: (line: string) => void,
  postgresLog: (line: string) => void = () => {},
): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, description: redact(config.DATABASE_URL), stop: async () => {} };
  }
  const embedded = await useOrStartEmbedded({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT, log: { postgres: postgresLog } });
  log(
    embedded.started
      ? `embedded PostgreSQL running on 127.0.0.1:${embedded.port}, data in ${config.dataDir}/pg`
      : `using the embedded PostgreSQL already running on 127.0.0.1:${embedded.port}, data in ${config.dataDir}/pg (left running)`,
  );
  return describe(embedded, await prepare(embedded));
}

/** For the API: owns the embedded PostgreSQL, restarts it when it crashes, stops it on stop(). */
export async function openServerDatabase(config: Config, log: ServerDatabaseLog): Promise<ServerDatabaseHandle> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, description: redact(config.DATABASE_URL), stop: async () => {}, beginShutdown: () => {}, onRestart: () => {} };
  }
  const listeners: (() => void)[] = [];
  const embedded = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.EMBEDDED_PG_PORT,
    log,
    events: {
      exited: (info) => log.warn(`embedded PostgreSQL exited unexpectedly (${info.exit}); restarting it in ${info.restartInMs} ms`, info),
      restartFailed: (info) => log.warn(`embedded PostgreSQL did not restart: ${info.error}; trying again in ${info.retryInMs} ms`, info),
      restarted: (info) => {
        log.info(`embedded PostgreSQL restarted after ${info.downMs} ms down`, info);
        for (const listener of listeners) listener();
      },
    },
  });
  const url = await prepare(embedded);
  log.info(`embedded PostgreSQL running on 127.0.0.1:${config.EMBEDDED_PG_PORT}, data in ${config.dataDir}/pg`);
  return { ...describe(embedded, url), beginShutdown: embedded.beginShutdown, onRestart: (listener) => void listeners.push(listener) };
}

/** Creates the application database on a fresh cluster; a failure here must not leave PostgreSQL running. */
async function prepare(embedded: EmbeddedDatabase): Promise<string> {
  try {
    await ensureDatabase(embedded.url('postgres'), EMBEDDED_DATABASE_NAME);
  } catch (error) {
    await embedded.stop().catch(() => {});
    throw error;
  }
  return embedded.url(EMBEDDED_DATABASE_NAME);
}

function describe(embedded: EmbeddedDatabase, url: string): DatabaseHandle {
  return { url, description: `embedded ${redact(url)}`, stop: embedded.stop };
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<boolean> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount) return false;
    const quoted = `"${name.replace(/"/g, '""')}"`;
    const from = template ? ` template "${template.replace(/"/g, '""')}"` : '';
    await client.query(`create database ${quoted}${from}`);
    return true;
  } finally {
    await client.end();
  }
}

export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
