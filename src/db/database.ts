// Decides which PostgreSQL to use: DATABASE_URL when given, else an embedded one in the data folder.
import { Client } from 'pg';
import type { Config } from '../config';
import { startEmbeddedPostgres } from './embedded';

export interface DatabaseHandle {
  url: string;
  /** Human-readable description for start-up logs, without the password. */
  description: string;
  stop: () => Promise<void>;
}

export const EMBEDDED_DATABASE_NAME = 'jipp';

export async function openDatabase(
  config: Config,
  log: (line: string) => void,
  postgresLog: (line: string) => void = () => {},
): Promise<DatabaseHandle> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, description: redact(config.DATABASE_URL), stop: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.EMBEDDED_PG_PORT, onLog: postgresLog });
  await ensureDatabase(embedded.url('postgres'), EMBEDDED_DATABASE_NAME);
  const url = embedded.url(EMBEDDED_DATABASE_NAME);
  log(`embedded PostgreSQL running on 127.0.0.1:${config.EMBEDDED_PG_PORT}, data in ${config.dataDir}/pg`);
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
