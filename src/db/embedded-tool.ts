// For command-line tools: the embedded PostgreSQL of the data folder as it is. When one is up (the API's,
// or one left behind), the tool uses it where postmaster.pid says it listens and leaves it running; when
// none is, the tool starts one as its owner and stops it when done.
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { currentOwner } from './cluster-owner';
import { planToolStart } from './cluster-plan';
import { embeddedUrl, startEmbeddedPostgres, type EmbeddedDatabase, type EmbeddedOptions } from './embedded';
import { EmbeddedErrorCode, EmbeddedPostgresError } from './embedded-errors';
import { inspectCluster } from './postmaster-pid';

/** How long a tool waits for a PostgreSQL that is starting or being restarted by its owner. */
export const TOOL_WAIT_MS = 30_000;
const LOOK_AGAIN_MS = 250;

export async function useOrStartEmbedded(options: Omit<EmbeddedOptions, 'role'>, waitMs = TOOL_WAIT_MS): Promise<EmbeddedDatabase> {
  const clusterDir = path.join(options.dataDir, 'pg');
  const deadline = Date.now() + waitMs;
  for (;;) {
    const plan = planToolStart(inspectCluster(clusterDir), currentOwner(options.dataDir).verdict);
    let reason: string;
    switch (plan.action) {
      case 'use':
        return beside(plan.port);
      case 'refuse':
        throw new EmbeddedPostgresError(
          EmbeddedErrorCode.CLUSTER_LOCKED,
          `The PostgreSQL in ${clusterDir} is already running (pid ${plan.pid}) but is not this folder's PostgreSQL: stop that process or use another data folder.`,
        );
      case 'own':
        try {
          return await startEmbeddedPostgres({ ...options, role: 'tool' });
        } catch (error) {
          // Another process claimed it between our look and our claim: it is starting, look again.
          if (!(error instanceof EmbeddedPostgresError && error.code === EmbeddedErrorCode.CLUSTER_IN_USE)) throw error;
          reason = error.message;
        }
        break;
      case 'wait':
        reason = plan.reason;
        break;
    }
    if (Date.now() >= deadline) {
      throw new EmbeddedPostgresError(EmbeddedErrorCode.NOT_READY, `The embedded PostgreSQL in ${clusterDir} was not ready within ${waitMs / 1000} s: ${reason}.`);
    }
    await sleep(LOOK_AGAIN_MS);
  }
}

function beside(port: number): EmbeddedDatabase {
  return { url: (database) => embeddedUrl(port, database), port, started: false, beginShutdown: () => {}, stop: async () => {} };
}
