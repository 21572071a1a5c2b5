// GET /export/<kind>.<csv|jsonl>?<filters>: bulk exports over HTTP for key holders, streamed from a
// server-side cursor on connections of their own (a few, so exports cannot take the reads' pool), within
// their own quota of rows per key. Errors are coded JSON, as GraphQL's are, with the HTTP status that fits.
import type http from 'node:http';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import { Pool, type PoolClient } from 'pg';
import type { Logger } from 'pino';
import { viewerFromAuthorization } from '../../auth/authenticate';
import { Role, type Viewer } from '../../auth/viewer';
import { databaseFault } from '../../db/faults';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind } from './export-params';
import type { ExportQuota } from './export-quota';
import { EXPORT_SPECS, parseParams } from './export-specs';
import { cursorOf, ExportFormatter, exportFileName } from './export-stream';

export interface ExportSettings {
  url: string;
  /** Connections for exports at once; a request past them waits up to acquireTimeoutMs, then gets 503. */
  connections: number;
  acquireTimeoutMs: number;
  /** Rows per key per window (EXPORT_ROWS_PER_WINDOW); absent, no quota. */
  quota?: ExportQuota;
}

/** An export during which nothing reaches the client for this long (it stopped reading, or the database stalls) is cut off. */
export const STALLED_EXPORT_MS = 60_000;

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' };
const PATH = new RegExp(`^/export/(${EXPORT_KINDS.join('|')})\\.(${EXPORT_FORMATS.join('|')})$`);

class ExportRefused extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class ExportRoute {
  private readonly pool: Pool;
  private readonly quota: ExportQuota | null;

  constructor(
    settings: ExportSettings,
    private readonly orm: MikroORM,
    private readonly logger: Logger,
  ) {
    this.pool = new Pool({
      connectionString: settings.url,
      max: settings.connections,
      connectionTimeoutMillis: settings.acquireTimeoutMs,
      idleTimeoutMillis: 30_000,
      // PostgreSQL's statement timeout would count the whole life of the cursor, which is as long as the
      // client takes to read: an export is bounded by its progress instead (STALLED_EXPORT_MS).
      statement_timeout: 0,
      keepAlive: true,
      application_name: 'jipp-api-exports',
    });
    this.pool.on('error', (error) => logger.warn({ err: error }, 'export pool: an idle connection failed'));
    this.quota = settings.quota ?? null;
  }

  static handles(pathname: string): boolean {
    return pathname === '/export' || pathname.startsWith('/export/');
  }

  async handle(req: http.IncomingMessage, res: http.ServerResponse, url: URL, requestId: string): Promise<void> {
    const started = Date.now();
    let records = 0;
    let completed = false;
    let client: PoolClient | undefined;
    try {
      const match = PATH.exec(url.pathname);
      if (!match) throw new ExportRefused(404, 'NOT_FOUND', `Nothing at ${url.pathname}. Exports: ${EXPORT_KINDS.map((k) => `/export/${k}.csv`).join(', ')} (or .jsonl).`);
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new ExportRefused(405, 'BAD_REQUEST', 'Exports are read with GET.', {}, { allow: 'GET, HEAD' });
      const [, kind, format] = match as unknown as [string, ExportKind, ExportFormat];
      const viewer = await this.viewerOf(req);
      const spec = EXPORT_SPECS[kind];
      const statement = refusedAsBadInput(() => spec.statement(parseParams(kind, url.searchParams), viewer));
      const headers = {
        'content-type': CONTENT_TYPES[format],
        'content-disposition': `attachment; filename="${exportFileName(kind, format)}"`,
        'cache-control': 'no-store',
        'x-request-id': requestId,
        ...(await this.checkQuota(viewer)),
      };
      if (req.method === 'HEAD') {
        res.writeHead(200, headers);
        res.end();
        return;
      }
      client = await this.pool.connect();
      const cursor = cursorOf(client, statement);
      // Rows are charged as they are formatted, one charge after another; the response ends only once they
      // all are, so the key's next export, through any process, sees them. A charge that fails is logged.
      let charged: Promise<void> = Promise.resolve();
      const { quota } = this;
      const keyId = viewer.keyId;
      const formatter = new ExportFormatter(spec, format, (n) => {
        records += n;
        if (!quota || keyId === null) return;
        charged = charged.then(() => quota.charge(keyId, n)).catch((error: unknown) => this.logger.warn({ err: error, requestId, keyId }, 'export quota: rows not charged'));
      });
      const settled = new Transform({
        transform: (chunk, _encoding, callback) => callback(null, chunk),
        flush: (callback) => void charged.then(() => callback()),
      });
      res.writeHead(200, headers);
      res.setTimeout(STALLED_EXPORT_MS, () => res.destroy(new Error(`nothing sent for ${STALLED_EXPORT_MS} ms`)));
      await pipeline(cursor, formatter, settled, res);
      completed = true;
      this.logger.info({ requestId, export: kind, format, records, ms: Date.now() - started, keyId: viewer.keyId }, 'export sent');
    } catch (error) {
      this.fail(res, error, requestId, { records, ms: Date.now() - started });
    } finally {
      // A connection whose cursor was cut off midway (a failure, a client that went away) is not reused.
      client?.release(completed ? undefined : true);
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  private async viewerOf(req: http.IncomingMessage): Promise<Viewer> {
    let viewer: Viewer;
    try {
      viewer = await viewerFromAuthorization(this.orm.em.fork(), req.headers.authorization);
    } catch (error) {
      if (error instanceof GraphQLError) throw new ExportRefused(401, 'UNAUTHENTICATED', error.message, {}, { 'www-authenticate': 'Bearer' });
      throw error;
    }
    if (viewer.role === Role.PUBLIC) {
      throw new ExportRefused(401, 'UNAUTHENTICATED', 'Exports need an API key: send Authorization: Bearer <key>.', {}, { 'www-authenticate': 'Bearer' });
    }
    return viewer;
  }

  private async checkQuota(viewer: Viewer): Promise<Record<string, string>> {
    if (!this.quota || viewer.keyId === null) return {};
    const state = await this.quota.state(viewer.keyId);
    const headers = {
      'x-export-quota-limit': String(state.limit),
      'x-export-quota-remaining': String(state.remaining),
      'x-export-quota-reset': String(Math.ceil(state.resetAt / 1000)),
    };
    if (state.allowed) return headers;
    const retryAfter = Math.max(1, Math.ceil((state.resetAt - Date.now()) / 1000));
    throw new ExportRefused(
      429,
      'RATE_LIMITED',
      `This key has used its export quota of ${state.limit} rows per ${this.quota.windowSeconds} s; retry in ${retryAfter} s.`,
      { retryAfter },
      { ...headers, 'retry-after': String(retryAfter) },
    );
  }

  private fail(res: http.ServerResponse, error: unknown, requestId: string, progress: { records: number; ms: number }): void {
    if (res.headersSent) {
      // The status is sent: cut the response off, so the client sees an incomplete transfer, never a
      // file that looks whole.
      this.logger.warn({ err: error, requestId, ...progress }, 'export failed midway; response cut off');
      res.destroy();
      return;
    }
    const fault = databaseFault(error);
    const refused =
      error instanceof ExportRefused
        ? error
        : fault
          ? new ExportRefused(503, 'INTERNAL_SERVER_ERROR', fault.message, { reason: fault.reason }, { 'retry-after': '5' })
          : new ExportRefused(500, 'INTERNAL_SERVER_ERROR', 'Internal server error.', { requestId });
    if (refused.status === 500) this.logger.error({ err: error, requestId }, 'export failed');
    const body = JSON.stringify({ errors: [{ message: refused.message, extensions: { code: refused.code, ...refused.extra } }] });
    res.writeHead(refused.status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
      ...refused.headers,
    });
    res.end(body);
  }
}

/** A refused filter value (the lists' own checks throw BAD_USER_INPUT) as a 400 naming the parameter. */
function refusedAsBadInput<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    const extensions = (error as GraphQLError).extensions;
    if (error instanceof GraphQLError && extensions?.code === 'BAD_USER_INPUT') {
      const argument = typeof extensions.argument === 'string' ? extensions.argument.replace(/^filter\./, '') : undefined;
      throw new ExportRefused(400, 'BAD_USER_INPUT', error.message.replace(/\bfilter\./g, ''), argument ? { argument } : {});
    }
    throw error;
  }
}
