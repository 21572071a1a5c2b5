// Who owns the embedded PostgreSQL of a data folder: the process that started it and stops it, recorded in
// <DATA_DIR>/pg.owner.json beside the cluster (not inside it: backups of the cluster should not carry it).
// Written whole under a temporary name and linked into place, so a reader never sees half a file and two
// starters cannot both create it; removed on a clean stop. docs/operations-embedded.md tells the whole story.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EmbeddedErrorCode, EmbeddedPostgresError } from './embedded-errors';
import { identityOf, isRunning } from './process-identity';

/** The API (supervises and keeps PostgreSQL) or a command-line tool (starts it for one job). */
export type OwnerRole = 'server' | 'tool';

const ownerSchema = z.object({
  pid: z.number().int().positive(),
  /** identityOf(pid) when written: tells a live owner from a later process that got the same pid. */
  identity: z.string().nullable(),
  /** One claim of one process: tells this process's own claim from a previous life of its pid. */
  instance: z.string(),
  role: z.enum(['server', 'tool']),
  /** The script that runs, for people reading a refusal. */
  command: z.string(),
  port: z.number().int(),
  since: z.string(),
});
export type OwnerRecord = z.infer<typeof ownerSchema>;

/** What this process knows about the pid of a record: whether it runs, and who it is. */
export interface PidFacts {
  running: boolean;
  identity: string | null;
}

/**
 * free: no record. stale: its process is gone, or its pid now belongs to another process (or to this one, in
 * a later life: a container restarted with the same pid). self: a claim this very process holds. owned: a
 * live owner.
 */
export type OwnerVerdict = 'free' | 'stale' | 'self' | 'owned';

const FILE = 'pg.owner.json';
/** Claims this process holds, by instance. */
const held = new Set<string>();

export function ownerPath(dataDir: string): string {
  return path.join(dataDir, FILE);
}

export function judgeOwner(record: OwnerRecord | null, facts: PidFacts, self: { pid: number; held: ReadonlySet<string> }): OwnerVerdict {
  if (!record) return 'free';
  if (self.held.has(record.instance)) return 'self';
  if (record.pid === self.pid) return 'stale';
  if (!facts.running) return 'stale';
  if (record.identity !== null && facts.identity !== null && record.identity !== facts.identity) return 'stale';
  return 'owned';
}

/** The record and what it means now; a file that is not a record (hand-edited, truncated) counts as stale. */
export function currentOwner(dataDir: string): { record: OwnerRecord | null; verdict: OwnerVerdict; text: string | null } {
  let text: string;
  try {
    text = fs.readFileSync(ownerPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { record: null, verdict: 'free', text: null };
    throw error;
  }
  let record: OwnerRecord;
  try {
    record = ownerSchema.parse(JSON.parse(text));
  } catch {
    return { record: null, verdict: 'stale', text };
  }
  const facts = { running: isRunning(record.pid), identity: identityOf(record.pid) };
  return { record, verdict: judgeOwner(record, facts, { pid: process.pid, held }), text };
}

/**
 * Makes this process the owner of the data folder's cluster, replacing a stale record; throws CLUSTER_IN_USE
 * when a live process (or this one) already owns it.
 */
export function claimCluster(dataDir: string, role: OwnerRole, port: number): OwnerRecord {
  const record: OwnerRecord = {
    pid: process.pid,
    identity: identityOf(process.pid),
    instance: randomUUID(),
    role,
    command: process.argv[1] ? path.relative(process.cwd(), process.argv[1]) || process.argv[1] : process.argv0,
    port,
    since: new Date().toISOString(),
  };
  const target = ownerPath(dataDir);
  const temporary = path.join(dataDir, `.${FILE}.${record.instance}.tmp`);
  fs.writeFileSync(temporary, `${JSON.stringify(record)}\n`, { mode: 0o644 });
  try {
    // Bounded: each round either links, refuses, or removes one stale record that a racing starter replaced.
    for (let round = 0; round < 3; round += 1) {
      try {
        fs.linkSync(temporary, target);
        held.add(record.instance);
        return record;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = currentOwner(dataDir);
      if (current.verdict === 'owned' || current.verdict === 'self') throw clusterInUse(dataDir, current.record, current.verdict);
      if (current.text !== null) removeIfUnchanged(target, current.text);
    }
    throw clusterInUse(dataDir, null, 'owned');
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/** Gives the cluster up: removes the record if it is still this claim's (never another owner's). */
export function releaseCluster(dataDir: string, record: OwnerRecord): void {
  held.delete(record.instance);
  try {
    const text = fs.readFileSync(ownerPath(dataDir), 'utf8');
    if ((JSON.parse(text) as { instance?: unknown }).instance === record.instance) fs.rmSync(ownerPath(dataDir), { force: true });
  } catch {
    // Gone already, or replaced by something that is not ours: nothing to give up.
  }
}

/**
 * Removes a stale record unless it changed since it was judged (another starter claimed in between). Two
 * starters racing over one stale record can still both pass this check; PostgreSQL's own lock on the cluster
 * (postmaster.pid) then lets only one of them start it.
 */
function removeIfUnchanged(target: string, judgedText: string): void {
  try {
    if (fs.readFileSync(target, 'utf8') === judgedText) fs.rmSync(target, { force: true });
  } catch {
    // Removed meanwhile: the next round links.
  }
}

function clusterInUse(dataDir: string, owner: OwnerRecord | null, verdict: OwnerVerdict): EmbeddedPostgresError {
  const cluster = path.join(dataDir, 'pg');
  if (verdict === 'self') {
    return new EmbeddedPostgresError(EmbeddedErrorCode.CLUSTER_IN_USE, `This process already runs the embedded PostgreSQL in ${cluster}.`);
  }
  if (!owner) {
    return new EmbeddedPostgresError(EmbeddedErrorCode.CLUSTER_IN_USE, `Another process keeps claiming the embedded PostgreSQL in ${cluster}; try again.`);
  }
  const who = `pid ${owner.pid}, ${owner.command}, since ${owner.since}`;
  const message =
    owner.role === 'server'
      ? `The embedded PostgreSQL in ${cluster} belongs to another API process that is still running (${who}). ` +
        'Stop that one first, or start this one with another DATA_DIR and EMBEDDED_PG_PORT.'
      : `The embedded PostgreSQL in ${cluster} is in use by a command-line tool that is still running (${who}). ` +
        'Start the API when it is done; tools started while the API runs use the API\'s PostgreSQL.';
  return new EmbeddedPostgresError(EmbeddedErrorCode.CLUSTER_IN_USE, message);
}
