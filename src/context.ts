// The per-request context: the caller, the request's reads (the read engine's side of it), an
// EntityManager fork for writes (made on first use), and the count of SQL statements the request ran.
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { PUBLIC_VIEWER, type Viewer } from './auth/viewer';
import { StatementCount } from './db/statement-counter';
import type { ReadEngine } from './graphql/sql/engine';
import { Reads } from './graphql/sql/reads';
import type { RequestRecord } from './http/request-record';
import type { ChangeStream } from './changes/change-stream';

export interface Context {
  /** For writes and the reads inside them; forked on first use (a read needs none). */
  readonly em: EntityManager;
  viewer: Viewer;
  readonly requestId: string;
  readonly reads: Reads;
  /** What the HTTP front records of the request (log line, metrics); absent in-process. */
  readonly request?: RequestRecord;
  /** The process's stream of committed changes, for subscriptions (absent where none runs). */
  readonly changes?: ChangeStream;
  /** WEBHOOK_ALLOW_PRIVATE_ADDRESSES: webhooks may be registered for loopback and private addresses. */
  readonly allowPrivateWebhookAddresses: boolean;
  /** SQL statements the request ran: the read engine's and the ORM's. */
  readonly sqlStatements: number;
  /** Drops what the request's EntityManager holds once the answer is sent. */
  release(): void;
}

export interface ContextOptions {
  viewer?: Viewer;
  requestId?: string;
  request?: RequestRecord;
  changes?: ChangeStream;
  /** Off unless said (development and tests only). */
  allowPrivateWebhookAddresses?: boolean;
}

export function createContext(orm: MikroORM, engine: ReadEngine, options: ContextOptions = {}): Context {
  return new RequestContext(orm, engine, options);
}

/**
 * The fork is made on first use: an answer from the response cache or the read engine needs none. The
 * getter sits on the prototype because Apollo shallow-copies the context for each operation, which would
 * call an own getter (and fork) at once; the fork lives in an object the copies share.
 */
class RequestContext implements Context {
  private readonly shared: { em?: EntityManager } = {};
  private readonly ormStatements = new StatementCount();
  viewer: Viewer;
  readonly requestId: string;
  readonly reads: Reads;
  readonly request?: RequestRecord;
  readonly changes?: ChangeStream;
  readonly allowPrivateWebhookAddresses: boolean;

  constructor(
    private readonly orm: MikroORM,
    engine: ReadEngine,
    options: ContextOptions,
  ) {
    this.viewer = options.viewer ?? PUBLIC_VIEWER;
    this.requestId = options.requestId ?? options.request?.requestId ?? randomUUID();
    this.request = options.request;
    this.changes = options.changes;
    this.allowPrivateWebhookAddresses = options.allowPrivateWebhookAddresses ?? false;
    this.reads = new Reads(
      engine,
      () => this.viewer,
      () => (this.viewer.keyId !== null ? `key:${this.viewer.keyId}` : `address:${this.request?.clientAddress ?? 'local'}`),
    );
  }

  get em(): EntityManager {
    return (this.shared.em ??= this.orm.em.fork({ loggerContext: { statements: this.ormStatements } }));
  }

  get sqlStatements(): number {
    return this.reads.statements + this.ormStatements.value;
  }

  release(): void {
    this.shared.em?.clear();
  }
}
