// Starts one PostgreSQL for the whole run (embedded unless DATABASE_URL is set) and prepares a template
// database, migrated and seeded once; every test file then clones it into a database of its own.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded';
import { ensureDatabase } from '../../src/db/database';
import { shippedBinaries } from '../../bench/replication-pair';
import { execFileSync } from 'node:child_process';
import { TEMPLATE_DATABASE, adminUrlFrom, withDatabase } from '../support/urls';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export default async function globalSetup(): Promise<void> {
  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = adminUrlFrom(process.env.DATABASE_URL);
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-test-'));
    fs.chmodSync(dataDir, 0o755); // the postgres system user must reach its cluster folder
    const db = await startEmbeddedPostgres({ dataDir, port: await freePort() });
    adminUrl = db.url('postgres');
    (globalThis as Record<string, unknown>).__JIPP_TEST_DB__ = { stop: db.stop, dataDir };
  }
  process.env.JIPP_TEST_ADMIN_URL = adminUrl;
  // The binaries' paths for tests that build servers of their own (a primary and a standby): the platform
  // package is ESM-only, which jest's CommonJS sandbox cannot import; this setup runs outside it.
  process.env.JIPP_TEST_PG_BINARIES = JSON.stringify(await shippedBinaries());

  const templateUrl = withDatabase(adminUrl, TEMPLATE_DATABASE);
  await dropDatabase(adminUrl, TEMPLATE_DATABASE);
  await ensureDatabase(adminUrl, TEMPLATE_DATABASE);
  execFileSync(process.execPath, ['-r', path.join(__dirname, 'register-ts.js'), path.join(__dirname, 'prepare-template.ts'), templateUrl], {
    stdio: 'inherit',
  });
}

async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const { Client } = await import('pg');
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await client.end();
  }
}
