// One PostgreSQL server process (the postmaster) run as a child of this process, so that its exit is
// reported to us: the supervisor restarts it from there. It runs in a session of its own, so a Ctrl-C in the
// terminal reaches this process only, which then stops the API before PostgreSQL.
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { EmbeddedErrorCode, EmbeddedPostgresError } from './embedded-errors';
import { isRunning } from './process-identity';
import { readPostmasterPid } from './postmaster-pid';

export interface PostmasterExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Postmaster {
  readonly pid: number;
  readonly exited: Promise<PostmasterExit>;
  hasExited: () => boolean;
  /** Fast shutdown (open transactions roll back), then stronger signals if it does not stop in time. */
  stop: () => Promise<void>;
}

export interface PostmasterOptions {
  binary: string;
  clusterDir: string;
  port: number;
  flags: string[];
  /** Run as this user (when this process is root). */
  user?: { uid: number; gid: number };
  onLog: (line: string) => void;
  /** Crash recovery after a kill replays the WAL since the last checkpoint: give it time. */
  readyTimeoutMs: number;
}

/** Fast shutdown, then immediate shutdown, then SIGKILL; each given this long. */
const STOP_STEPS: readonly [NodeJS.Signals, number][] = [
  ['SIGINT', 60_000],
  ['SIGQUIT', 10_000],
  ['SIGKILL', 10_000],
];
const POLL_MS = 50;
const LOG_TAIL = 15;
/** Postmasters this process started that have not exited, starting ones included. */
const children = new Set<number>();

/**
 * On exit, asks every postmaster this process started and did not stop to shut down (it runs in its own
 * session, so nothing else would tell it): an exit that skipped stop(), or a signal during start-up.
 */
function interruptChildren(): void {
  for (const pid of children) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // Gone meanwhile.
    }
  }
}

export async function spawnPostmaster(options: PostmasterOptions): Promise<Postmaster> {
  const child = spawn(options.binary, ['-D', options.clusterDir, '-p', String(options.port), ...options.flags], {
    ...options.user,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > LOG_TAIL) tail.shift();
    options.onLog(line);
  };
  readline.createInterface({ input: child.stdout! }).on('line', onLine);
  readline.createInterface({ input: child.stderr! }).on('line', onLine);
  let exit: PostmasterExit | undefined;
  const pid = child.pid ?? 0;
  if (pid) {
    if (children.size === 0) process.once('exit', interruptChildren);
    children.add(pid);
  }
  const exited = new Promise<PostmasterExit>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(pid);
      if (children.size === 0) process.off('exit', interruptChildren);
      resolve((exit = { code, signal }));
    });
    // Spawning itself failed (no binary, no permission): there is no process to wait for.
    child.once('error', (error) => {
      onLine(String(error));
      resolve((exit = { code: null, signal: null }));
    });
  });
  const hasExited = () => exit !== undefined;
  const postmaster: Postmaster = { pid, exited, hasExited, stop: () => stopProcess(pid, hasExited) };

  const ready = () => {
    const file = readPostmasterPid(options.clusterDir);
    // A standby in hot standby says `standby` once it takes (read-only) connections.
    return typeof file === 'object' && file !== null && file.pid === pid && (file.status === 'ready' || file.status === 'standby');
  };
  if (!(await waitFor(() => ready() || hasExited(), options.readyTimeoutMs)) || hasExited()) {
    const why = hasExited() ? `exited before it was ready (${describeExit(exit!)})` : `was not ready within ${options.readyTimeoutMs} ms`;
    if (!hasExited()) await postmaster.stop().catch(() => {});
    throw new EmbeddedPostgresError(EmbeddedErrorCode.START_FAILED, `PostgreSQL in ${options.clusterDir} ${why}. Its last words:\n${tail.join('\n')}`);
  }
  return postmaster;
}

/**
 * Stops a postmaster, a child of ours or not (an orphan); `hasExited` says when it is gone. Never signals a pid
 * that has exited: it may belong to another process by then.
 */
export async function stopProcess(pid: number, hasExited: () => boolean = () => !isRunning(pid)): Promise<void> {
  for (const [signal, waitMs] of STOP_STEPS) {
    if (hasExited()) return;
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw error;
    }
    if (await waitFor(hasExited, waitMs)) return;
  }
  throw new EmbeddedPostgresError(EmbeddedErrorCode.STOP_FAILED, `PostgreSQL (pid ${pid}) did not stop, even after SIGKILL.`);
}

export function describeExit(exit: PostmasterExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/** Polls until the condition holds (true) or the time is up (false). */
export async function waitFor(condition: () => boolean, timeoutMs: number, intervalMs = POLL_MS): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (condition()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
