// The ways the embedded PostgreSQL's lifecycle fails on purpose. Each carries a code so the process entry
// and the command-line tools can print the message alone (these are expected conditions, not bugs).
export const EmbeddedErrorCode = {
  /** Another live process (an API or a command-line tool) owns the data folder's cluster. */
  CLUSTER_IN_USE: 'CLUSTER_IN_USE',
  /** postmaster.pid names a live process that is not this cluster's postmaster (or cannot be checked). */
  CLUSTER_LOCKED: 'CLUSTER_LOCKED',
  /** A tool waited for the owner's PostgreSQL to be ready and it did not come. */
  NOT_READY: 'NOT_READY',
  /** PostgreSQL exited before it was ready, or was not ready in time. */
  START_FAILED: 'START_FAILED',
  /** PostgreSQL ignored fast shutdown, immediate shutdown and SIGKILL. */
  STOP_FAILED: 'STOP_FAILED',
} as const;
export type EmbeddedErrorCode = (typeof EmbeddedErrorCode)[keyof typeof EmbeddedErrorCode];

export class EmbeddedPostgresError extends Error {
  constructor(
    readonly code: EmbeddedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}
