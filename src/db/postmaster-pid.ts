// What a cluster folder says about the PostgreSQL running it. PostgreSQL writes postmaster.pid while it
// runs: pid, data folder, start time, port, socket folder, listen address, shared memory key, then a status
// (starting, stopping, ready, standby); it removes the file on a clean stop, a crash leaves it behind.
import fs from 'node:fs';
import path from 'node:path';
import { commandLineOf, isRunning, isValidPid } from './process-identity';

export interface PostmasterPidFile {
  pid: number;
  dataDir: string;
  port: number | null;
  status: string | null;
}

export type ClusterState =
  | { kind: 'stopped' }
  /** A postmaster.pid whose process is gone (a crash, a kill -9, a reboot). */
  | { kind: 'stale' }
  /** `verified`: the process is a postmaster of this very folder, not a pid reused by something else. */
  | { kind: 'running'; pid: number; port: number | null; status: string | null; verified: boolean };

export function postmasterPidPath(clusterDir: string): string {
  return path.join(clusterDir, 'postmaster.pid');
}

export function parsePostmasterPid(text: string): PostmasterPidFile | null {
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!isValidPid(pid)) return null;
  const port = Number(lines[3]);
  return {
    pid,
    dataDir: lines[1] ?? '',
    port: Number.isInteger(port) && port > 0 && port < 65536 ? port : null,
    status: lines[7]?.trim() || null,
  };
}

/** The file, or null when there is none; an unreadable pid counts as no process at all (PostgreSQL's view too). */
export function readPostmasterPid(clusterDir: string): PostmasterPidFile | 'unparseable' | null {
  let text: string;
  try {
    text = fs.readFileSync(postmasterPidPath(clusterDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return parsePostmasterPid(text) ?? 'unparseable';
}

/** Whether these are the arguments of a postmaster started on clusterDir (`postgres -D <clusterDir> ...`). */
export function isPostmasterOf(argv: string[], clusterDir: string): boolean {
  const flag = argv.indexOf('-D');
  return flag >= 0 && flag + 1 < argv.length && path.resolve(argv[flag + 1]) === path.resolve(clusterDir);
}

export function inspectCluster(clusterDir: string): ClusterState {
  const file = readPostmasterPid(clusterDir);
  if (file === null) return { kind: 'stopped' };
  if (file === 'unparseable' || !isRunning(file.pid)) return { kind: 'stale' };
  // Where /proc is missing, trust the file's own data folder line: weaker, as PostgreSQL itself does.
  const argv = commandLineOf(file.pid);
  const verified = argv ? isPostmasterOf(argv, clusterDir) : path.resolve(file.dataDir) === path.resolve(clusterDir);
  return { kind: 'running', pid: file.pid, port: file.port, status: file.status, verified };
}

/** Removes the postmaster.pid of a process that is gone, so that a reused pid cannot block the next start. */
export function removeStalePostmasterPid(clusterDir: string): boolean {
  if (inspectCluster(clusterDir).kind !== 'stale') return false;
  fs.rmSync(postmasterPidPath(clusterDir), { force: true });
  return true;
}
