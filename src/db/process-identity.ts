// What this process can learn about another one by its pid. On Linux /proc tells whether a pid is still the
// process we met (its start time) and what it runs (its command line); elsewhere only whether the pid exists.
import fs from 'node:fs';

export function isValidPid(pid: number): boolean {
  // 0 and negative numbers mean process groups to kill(2): never signal those by mistake.
  return Number.isSafeInteger(pid) && pid > 0;
}

/** Whether the process runs. A zombie does not: it has exited and waits for its parent to collect it. */
export function isRunning(pid: number): boolean {
  if (!isValidPid(pid)) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user (a PostgreSQL run as `postgres` by root).
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return statFields(pid)?.[0] !== 'Z';
}

/**
 * Who the process at this pid is, stable for its life and different for any later process given the same pid
 * (the boot and the start time since boot); null where /proc cannot tell.
 */
export function identityOf(pid: number): string | null {
  const fields = statFields(pid);
  const boot = bootId();
  // Field 22 of /proc/<pid>/stat, the start time; statFields starts at field 3.
  return fields && boot && fields[19] ? `${boot}:${fields[19]}` : null;
}

/** The process's arguments, argv[0] first; null where /proc cannot tell. */
export function commandLineOf(pid: number): string[] | null {
  if (!isValidPid(pid)) return null;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '');
  } catch {
    return null;
  }
}

/** Fields 3 and on of /proc/<pid>/stat (state first); the command name before them may hold spaces. */
function statFields(pid: number): string[] | null {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).trim().split(' ');
  } catch {
    return null;
  }
}

let boot: string | null | undefined;
function bootId(): string | null {
  if (boot === undefined) {
    try {
      boot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || null;
    } catch {
      boot = null;
    }
  }
  return boot;
}
