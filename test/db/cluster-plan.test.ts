// What the API and the command-line tools do with a data folder's cluster, case by case, and how they
// read the folder: postmaster.pid, and whether the process it names is this folder's postmaster.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { planServerStart, planToolStart } from '../../src/db/cluster-plan';
import { inspectCluster, isPostmasterOf, parsePostmasterPid, removeStalePostmasterPid } from '../../src/db/postmaster-pid';
import { waitFor } from '../../src/db/postmaster';
import { commandLineOf, isRunning } from '../../src/db/process-identity';

const running = (verified: boolean, status: string | null = 'ready') => ({ kind: 'running' as const, pid: 77, port: 5433, status, verified });

describe('planServerStart', () => {
  it('starts on a stopped cluster, and clears what a crash left first', () => {
    expect(planServerStart({ kind: 'stopped' })).toEqual({ action: 'start' });
    expect(planServerStart({ kind: 'stale' })).toEqual({ action: 'clear-and-start' });
  });

  it('replaces a postmaster of this folder whose owner is gone, whatever its state', () => {
    expect(planServerStart(running(true))).toEqual({ action: 'replace-orphan', pid: 77 });
    expect(planServerStart(running(true, 'starting'))).toEqual({ action: 'replace-orphan', pid: 77 });
  });

  it('leaves alone a live process that is not this folder\'s postmaster', () => {
    expect(planServerStart(running(false))).toEqual({ action: 'refuse', pid: 77 });
  });
});

describe('planToolStart', () => {
  it('uses a ready PostgreSQL of this folder, whoever runs it', () => {
    for (const owner of ['owned', 'free', 'stale'] as const) expect(planToolStart(running(true), owner)).toEqual({ action: 'use', pid: 77, port: 5433 });
  });

  it('waits for one that is starting or stopping, or that its live owner is bringing back', () => {
    expect(planToolStart(running(true, 'starting'), 'owned')).toEqual({ action: 'wait', reason: 'PostgreSQL (pid 77) is starting' });
    expect(planToolStart({ kind: 'stopped' }, 'owned')).toEqual({ action: 'wait', reason: 'its owner is starting it' });
    expect(planToolStart({ kind: 'stale' }, 'owned')).toEqual({ action: 'wait', reason: 'its owner is starting it' });
  });

  it('starts its own when nobody runs it', () => {
    expect(planToolStart({ kind: 'stopped' }, 'free')).toEqual({ action: 'own' });
    expect(planToolStart({ kind: 'stale' }, 'stale')).toEqual({ action: 'own' });
  });

  it('refuses a live process that is not this folder\'s postmaster', () => {
    expect(planToolStart(running(false), 'free')).toEqual({ action: 'refuse', pid: 77 });
  });
});

describe('postmaster.pid', () => {
  it('reads pid, folder, port and status', () => {
    expect(parsePostmasterPid('8454\n/data/pg\n1796588291\n55871\n/tmp\nlocalhost\n  2154577        51\nready   \n')).toEqual({
      pid: 8454,
      dataDir: '/data/pg',
      port: 55871,
      status: 'ready',
    });
    expect(parsePostmasterPid('8454\n/data/pg\n')).toEqual({ pid: 8454, dataDir: '/data/pg', port: null, status: null });
    expect(parsePostmasterPid('')).toBeNull();
    expect(parsePostmasterPid('-1\n/data/pg\n')).toBeNull();
  });

  it('recognises a postmaster of the folder by its -D argument', () => {
    expect(isPostmasterOf(['/bin/postgres', '-D', '/data/pg', '-p', '5432'], '/data/pg')).toBe(true);
    expect(isPostmasterOf(['/bin/postgres', '-D', '/data/pg/../pg'], '/data/pg')).toBe(true);
    expect(isPostmasterOf(['/bin/postgres', '-D', '/data/other'], '/data/pg')).toBe(false);
    expect(isPostmasterOf(['node', 'main.js'], '/data/pg')).toBe(false);
    expect(isPostmasterOf(['/bin/postgres', '-D'], '/data/pg')).toBe(false);
  });
});

describe('inspectCluster', () => {
  let clusterDir: string;

  beforeEach(() => {
    clusterDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'jipp-inspect-')), 'pg');
    fs.mkdirSync(clusterDir);
  });

  afterEach(() => {
    fs.rmSync(path.dirname(clusterDir), { recursive: true, force: true });
  });

  const pidFile = (pid: number) => fs.writeFileSync(path.join(clusterDir, 'postmaster.pid'), `${pid}\n${clusterDir}\n1\n5433\n/tmp\nlocalhost\n 1 2\nready   \n`);

  it('finds a cluster without postmaster.pid stopped', () => {
    expect(inspectCluster(clusterDir)).toEqual({ kind: 'stopped' });
    expect(inspectCluster(path.join(clusterDir, 'missing'))).toEqual({ kind: 'stopped' });
  });

  it('finds the postmaster.pid of a process that is gone stale, and removes only that', () => {
    pidFile(2 ** 22 + 1);
    expect(inspectCluster(clusterDir)).toEqual({ kind: 'stale' });
    expect(removeStalePostmasterPid(clusterDir)).toBe(true);
    expect(fs.existsSync(path.join(clusterDir, 'postmaster.pid'))).toBe(false);

    pidFile(process.pid);
    expect(removeStalePostmasterPid(clusterDir)).toBe(false);
    expect(fs.existsSync(path.join(clusterDir, 'postmaster.pid'))).toBe(true);
  });

  it('tells a reused pid (this test process) from a process started on the folder', async () => {
    pidFile(process.pid);
    expect(inspectCluster(clusterDir)).toEqual({ kind: 'running', pid: process.pid, port: 5433, status: 'ready', verified: false });

    // A stand-in with a postmaster's arguments: what /proc shows is what counts.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', '--', '-D', clusterDir], { stdio: 'ignore' });
    try {
      expect(await waitFor(() => (commandLineOf(child.pid!) ?? []).includes(clusterDir), 5_000)).toBe(true);
      pidFile(child.pid!);
      expect(inspectCluster(clusterDir)).toEqual({ kind: 'running', pid: child.pid, port: 5433, status: 'ready', verified: true });
    } finally {
      child.kill('SIGKILL');
    }
    expect(await waitFor(() => !isRunning(child.pid!), 5_000)).toBe(true);
    expect(inspectCluster(clusterDir)).toEqual({ kind: 'stale' });
  });
});
