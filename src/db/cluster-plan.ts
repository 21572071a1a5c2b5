// What to do with a data folder's cluster, from what its files say: pure decisions, so that each case has
// a test. The API owns the cluster it runs; a tool uses whatever PostgreSQL of the folder is up.
import type { OwnerVerdict } from './cluster-owner';
import type { ClusterState } from './postmaster-pid';

export type ServerPlan =
  | { action: 'start' }
  /** A crash left postmaster.pid behind: remove it, then start. */
  | { action: 'clear-and-start' }
  /** A postmaster of this folder whose owner is gone (the owner was killed): stop it, then start our own. */
  | { action: 'replace-orphan'; pid: number }
  /** A live process holds postmaster.pid and is not this folder's postmaster (a reused pid): hands off. */
  | { action: 'refuse'; pid: number };

/** For a process that has just claimed the cluster (so no live owner runs it). */
export function planServerStart(cluster: ClusterState): ServerPlan {
  switch (cluster.kind) {
    case 'stopped':
      return { action: 'start' };
    case 'stale':
      return { action: 'clear-and-start' };
    case 'running':
      return cluster.verified ? { action: 'replace-orphan', pid: cluster.pid } : { action: 'refuse', pid: cluster.pid };
  }
}

export type ToolPlan =
  /** A PostgreSQL of this folder is up: use it and leave it running. */
  | { action: 'use'; pid: number; port: number }
  /** Starting, stopping, or its live owner is bringing it back: look again shortly. */
  | { action: 'wait'; reason: string }
  /** Nobody runs it: start one for this job, and stop it after. */
  | { action: 'own' }
  | { action: 'refuse'; pid: number };

export function planToolStart(cluster: ClusterState, owner: OwnerVerdict): ToolPlan {
  if (cluster.kind === 'running') {
    if (!cluster.verified) return { action: 'refuse', pid: cluster.pid };
    if (cluster.status === 'ready' && cluster.port !== null) return { action: 'use', pid: cluster.pid, port: cluster.port };
    return { action: 'wait', reason: `PostgreSQL (pid ${cluster.pid}) is ${cluster.status ?? 'starting'}` };
  }
  if (owner === 'owned' || owner === 'self') return { action: 'wait', reason: 'its owner is starting it' };
  return { action: 'own' };
}
