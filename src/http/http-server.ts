// The HTTP front: GraphQL on /graphql (POST, and GET for queries) with CORS, the browser pages (the
// explorer at / and /graphql, the network at /explore), health routes and metrics. Every GraphQL request gets an id, a log line and its metrics, whatever stage it ends at.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError } from 'graphql';
import type { Logger } from 'pino';
import { authenticate } from '../auth/authenticate';
import { createContext, type Context } from '../context';
import { databaseFault } from '../db/faults';
import { clientAddress } from './client-address';
import { corsHeaders, isPreflight, preflight, type CorsPolicy } from './cors';
import { ExportRoute } from '../modules/exports/export.http';
import { ApiMetrics } from './metrics';
import { logOperation } from './operation-log';
import type { ReadEngine } from '../graphql/sql/engine';
import type { RequestRecord } from './request-record';
import { WebAssets } from './web-assets';

export const MAX_BODY_BYTES = 1_000_000;
/** The deepest nesting of JSON values a request may carry (the deepest input of the schema needs fewer than 10). */
export const MAX_JSON_DEPTH = 64;

/** Whether a parsed JSON value nests deeper than MAX_JSON_DEPTH (walked without recursion). */
function nestedTooDeeply(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** A JSON parameter of a GET request's URL, parsed; undefined when absent or not JSON (Apollo reports that). */
function parseParameter(url: URL, name: string): unknown {
  const text = url.searchParams.get(name);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const GRAPHQL_URL = new URL('/graphql', 'http://localhost');

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  orm: MikroORM;
  /** The read engine (its pool answers /readyz). */
  engine: ReadEngine;
  logger: Logger;
  /** Served at /metrics; by default a registry of this server's own, without process metrics. */
  metrics?: ApiMetrics;
  /** Trusted reverse proxies in front of the API (see client-address.ts); 0 by default. */
  trustProxyHops?: number;
  /** Cross-origin access (CORS_ORIGINS); any origin, without credentials, by default. */
  cors?: CorsPolicy;
  /** The built browser pages; dist/web by default. */
  web?: WebAssets;
  /** WEBHOOK_ALLOW_PRIVATE_ADDRESSES, given to every request's context; off by default. */
  allowPrivateWebhookAddresses?: boolean;
  /** Bulk exports at /export/...; absent, those paths are 404 like any other. (Not named `exports`: in the compiled CommonJS that would hide the module's own.) */
  exportRoute?: ExportRoute;
}

class BodyTooLarge extends Error {}

async function stream(res: http.ServerResponse, chunks: AsyncIterableIterator<string>): Promise<void> {
  for await (const chunk of chunks) res.write(chunk);
  res.end();
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      reject(new BodyTooLarge());
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Keep draining instead of destroying the socket, so the client still receives the 413.
        chunks.length = 0;
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorBody(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Codes of an answer Apollo gave without running the plugins (context or request-level failures). */
function codesOf(text: string): string[] {
  try {
    const parsed = JSON.parse(text) as { errors?: { extensions?: { code?: unknown } }[] };
    return (parsed.errors ?? []).map((e) => String(e.extensions?.code ?? 'UNKNOWN'));
  } catch {
    return [];
  }
}

/** A database that cannot answer while the caller's key is checked: 503, coded, retryable. */
function unavailableContext(error: unknown): unknown {
  const fault = databaseFault(error);
  if (!fault) return error;
  return new GraphQLError(fault.message, {
    originalError: error instanceof Error ? error : undefined,
    extensions: { http: { status: 503, headers: new HeaderMap([['retry-after', '5']]) } },
  });
}

export interface HttpFront {
  server: http.Server;
  metrics: ApiMetrics;
  /** Readiness turns false and answers ask clients to close their connections; in-flight requests go on. */
  startDraining: () => void;
}

export function createHttpServer({
  apollo,
  orm,
  engine,
  logger,
  metrics = new ApiMetrics(orm, engine),
  trustProxyHops = 0,
  cors = { kind: 'any' },
  web = new WebAssets(),
  exportRoute,
  allowPrivateWebhookAddresses = false,
}: HttpOptions): HttpFront {
  let draining = false;

  const handleGraphQL = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, record: RequestRecord) => {
    const refuse = (message: string) => {
      record.codes.push('BAD_REQUEST');
      sendJson(res, 400, errorBody(message, 'BAD_REQUEST'), { 'x-request-id': record.requestId });
    };
    let body: unknown = undefined;
    if (req.method === 'POST') {
      const text = await readBody(req);
      if (String(req.headers['content-type'] ?? '').includes('application/json')) {
        try {
          body = text.length ? JSON.parse(text) : undefined;
        } catch {
          return refuse('The request body is not valid JSON.');
        }
      } else {
        body = text;
      }
    }
    // Variables nested beyond any input type of the schema can only be an attack on whatever walks them.
    if (nestedTooDeeply(body) || nestedTooDeeply(parseParameter(url, 'variables')) || nestedTooDeeply(parseParameter(url, 'extensions'))) {
      return refuse(`The request nests values more than ${MAX_JSON_DEPTH} levels deep; no input of this API needs that.`);
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    let context: Context | undefined;
    try {
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
        context: () =>
          authenticate((context = createContext(orm, engine, { request: record, allowPrivateWebhookAddresses })), req.headers.authorization).catch((error: unknown) => {
            throw unavailableContext(error);
          }),
      });
      const streaming = respond(res, record, result);
      if (streaming) await streaming;
    } finally {
      context?.release();
    }
  };

  /** Sends Apollo's answer; a promise only for a streamed one. */
  const respond = (res: http.ServerResponse, record: RequestRecord, result: HTTPGraphQLResponse): Promise<void> | undefined => {
    const { requestId } = record;
    const outHeaders: Record<string, string> = { 'x-request-id': requestId };
    for (const [key, value] of result.headers) outHeaders[key] = key === 'vary' ? `${value}, ${String(res.getHeader('vary'))}` : value;
    if (draining) outHeaders.connection = 'close';
    if (result.body.kind === 'complete') {
      // A known length: one write for head and body, not chunked encoding's three parts.
      outHeaders['content-length'] = String(Buffer.byteLength(result.body.string));
      res.writeHead(result.status ?? 200, outHeaders);
      if (!record.codes.length && (result.status ?? 200) >= 400) record.codes.push(...codesOf(result.body.string));
      res.end(result.body.string);
      return undefined;
    }
    res.writeHead(result.status ?? 200, outHeaders);
    return stream(res, result.body.asyncIterator);
  };

  const graphql = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => {
    const record: RequestRecord = {
      requestId: randomUUID(),
      clientAddress: clientAddress(req, trustProxyHops),
      startedAt: process.hrtime.bigint(),
      codes: [],
    };
    res.once('close', () => {
      logOperation(logger, record, res.statusCode);
      metrics.observe(record, res.statusCode);
    });
    // On every answer, errors and 413 included, so a page on another origin can read why it failed.
    for (const [name, value] of Object.entries(corsHeaders(cors, req.headers))) res.setHeader(name, value);
    return handleGraphQL(req, res, url, record).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) record.codes.push('BAD_REQUEST');
      throw error;
    });
  };

  const server = http.createServer((req, res) => {
    // The usual request needs no parsing: a POST to /graphql (the URL object is only read).
    const url = req.url === '/graphql' ? GRAPHQL_URL : new URL(req.url ?? '/', 'http://localhost');
    const route = async () => {
      if (url.pathname === '/livez') return sendJson(res, 200, { status: 'ok' });
      if (url.pathname === '/readyz') {
        if (draining) return sendJson(res, 503, { status: 'draining' }, { connection: 'close' });
        const ok = await engine.pool.ping();
        return sendJson(res, ok ? 200 : 503, { status: ok ? 'ready' : 'database unreachable' });
      }
      if (url.pathname === '/metrics') {
        const text = await metrics.scrape();
        res.writeHead(200, { 'content-type': metrics.contentType });
        res.end(text);
        return;
      }
      if (exportRoute && ExportRoute.handles(url.pathname)) return exportRoute.handle(req, res, url, randomUUID());
      const reading = req.method === 'GET' || req.method === 'HEAD';
      if (reading && url.pathname === '/') return web.page('explorer', req, res);
      if (reading && url.pathname === '/explore') return web.page('explore', req, res);
      if (reading && url.pathname.startsWith('/assets/') && web.asset(url.pathname, req, res)) return;
      if (url.pathname !== '/graphql') {
        return sendJson(res, 404, errorBody(`Nothing at ${url.pathname}; GraphQL is at /graphql.`, 'NOT_FOUND'));
      }
      // Answered here: Apollo's CSRF prevention would refuse the OPTIONS with 400.
      if (isPreflight(req.method, req.headers)) {
        const answer = preflight(cors, req.headers);
        if (answer.status === 403) return sendJson(res, 403, errorBody(answer.message, 'FORBIDDEN'), { vary: 'Origin' });
        res.writeHead(204, answer.headers);
        res.end();
        return;
      }
      const wantsPage = req.method === 'GET' && !url.searchParams.has('query') && String(req.headers.accept ?? '').includes('text/html');
      if (wantsPage) return web.page('explorer', req, res);
      return graphql(req, res, url);
    };
    const fail = (error: unknown) => {
      if (error instanceof BodyTooLarge) {
        sendJson(res, 413, errorBody(`The request body is larger than ${MAX_BODY_BYTES} bytes.`, 'BAD_REQUEST'), {
          connection: 'close',
        });
        return;
      }
      logger.error({ err: error }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, errorBody('Internal server error.', 'INTERNAL_SERVER_ERROR'));
      else res.end();
    };
    // The usual request, a POST of GraphQL, goes straight to its handler.
    if (url === GRAPHQL_URL && req.method === 'POST') graphql(req, res, url).catch(fail);
    else route().catch(fail);
  });

  return {
    server,
    metrics,
    startDraining: () => {
      draining = true;
    },
  };
}
