// GraphQL subscriptions over WebSocket on the HTTP server's own port and path (/graphql), with graphql-ws:
// the GraphQL over WebSocket protocol that Apollo Client, urql and GraphiQL speak. The caller's API key
// travels in connectionParams ({ "authorization": "Bearer <key>" }); without one the caller is PUBLIC.
// Subscriptions follow the request pipeline's rules where they apply: the same validation limits, the
// operation's cost against the limit and the caller's budget, errors coded and masked alike. Queries and
// mutations go over HTTP, where the response cache, the rate-limit headers and the request log live.
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { MikroORM } from '@mikro-orm/postgresql';
import { GraphQLError, parse, validate, specifiedRules, getOperationAST, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { handleProtocols } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Logger } from 'pino';
import { authenticate } from '../auth/authenticate';
import { PUBLIC_VIEWER, type Viewer } from '../auth/viewer';
import type { ChangeStream } from '../changes/change-stream';
import { createContext, type Context } from '../context';
import { createFormatError, ErrorCode, isMasked } from '../errors';
import type { ReadEngine } from '../graphql/sql/engine';
import { operationCost } from '../limits/cost';
import type { QueryLimits } from '../limits/limits';
import type { CostRateLimiter, RateClient } from '../limits/rate-limiter';
import { limitRules } from '../limits/validation-rules';
import { clientAddress } from './client-address';

export interface SubscriptionOptions {
  server: Server;
  orm: MikroORM;
  engine: ReadEngine;
  changes: ChangeStream;
  logger: Logger;
  limits: QueryLimits;
  rateLimiter?: CostRateLimiter;
  perConnection: number;
  perCaller: number;
  trustProxyHops?: number;
  /** Milliseconds between the server's pings; a connection that misses a pong is closed. */
  keepAliveMs?: number;
}

export interface SubscriptionServer {
  /** Ends every subscription and closes every socket with 1001 (going away): the process is stopping. */
  close(): Promise<void>;
  /** Sockets open now. */
  readonly connections: number;
}

interface Connection {
  viewer: Viewer;
  address: string;
  /** Subscriptions of this connection: their contexts, released when they end. */
  active: Map<string, Context>;
}

const GOING_AWAY = 1001;

function limitError(message: string, limit: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.RATE_LIMITED, reason: 'TOO_MANY_SUBSCRIPTIONS', limit } });
}

export function attachSubscriptions(options: SubscriptionOptions): SubscriptionServer {
  const { server, orm, engine, changes, logger, limits, rateLimiter } = options;
  const formatError = createFormatError();
  const rules = [...specifiedRules, ...limitRules(limits)];
  const byCaller = new Map<string, number>();
  const connections = new WeakMap<object, Connection>();
  const wss = new WebSocketServer({ noServer: true, handleProtocols, maxPayload: 1_000_000 });
  let closing = false;

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0];
    if (closing || path !== '/graphql') {
      socket.end(`HTTP/1.1 ${closing ? '503 Service Unavailable' : '404 Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  };
  server.on('upgrade', onUpgrade);

  const callerOf = (c: Connection) => (c.viewer.keyId != null ? `key:${c.viewer.keyId}` : `address:${c.address}`);
  const rateClient = (c: Connection): RateClient => (c.viewer.keyId != null ? { kind: 'key', id: c.viewer.keyId } : { kind: 'address', address: c.address });
  const release = (c: Connection, id: string) => {
    const context = c.active.get(id);
    if (!context) return;
    c.active.delete(id);
    context.release();
    const caller = callerOf(c);
    const left = (byCaller.get(caller) ?? 1) - 1;
    if (left > 0) byCaller.set(caller, left);
    else byCaller.delete(caller);
  };

  const disposable = useServer<Record<string, unknown> | undefined, { connection: Connection }>(
    {
      schema: engine.schema,
      onConnect: async (ctx) => {
        const params = ctx.connectionParams ?? {};
        const authorization = params.authorization ?? params.Authorization;
        const connection: Connection = { viewer: PUBLIC_VIEWER, address: clientAddress(ctx.extra.request, options.trustProxyHops ?? 0), active: new Map() };
        if (authorization !== undefined) {
          if (typeof authorization !== 'string') return false;
          const context = createContext(orm, engine);
          try {
            connection.viewer = (await authenticate(context, authorization)).viewer;
          } catch {
            // A bad key closes the socket with 4403 Forbidden (graphql-ws's code for a refused connection).
            return false;
          } finally {
            context.release();
          }
        }
        connections.set(ctx.extra, connection);
        return true;
      },
      onSubscribe: async (ctx, id, payload) => {
        const connection = connections.get(ctx.extra)!;
        let document;
        try {
          document = parse(payload.query, { maxTokens: limits.maxTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? new GraphQLError(error.message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }) : new GraphQLError('Unreadable query.')];
        }
        const schema: GraphQLSchema = engine.schema;
        const errors = validate(schema, document, rules);
        if (errors.length) return errors.map((e) => new GraphQLError(e.message, { nodes: e.nodes, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
        const operation = getOperationAST(document, payload.operationName);
        if (!operation) return [new GraphQLError('Name the operation to run.', { extensions: { code: ErrorCode.BAD_USER_INPUT } })];
        if (operation.operation !== 'subscription') {
          return [new GraphQLError('Only subscriptions go over WebSocket; send queries and mutations to /graphql over HTTP.', { extensions: { code: ErrorCode.BAD_USER_INPUT } })];
        }
        const cost = operationCost(schema, document, operation, payload.variables ?? undefined);
        if (cost > limits.maxCost) {
          return [new GraphQLError(`This subscription costs ${cost}, over the limit of ${limits.maxCost} per operation.`, { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost: limits.maxCost } })];
        }
        if (connection.active.size >= options.perConnection) {
          return [limitError(`A connection may hold ${options.perConnection} subscriptions; end one first, or open another connection.`, options.perConnection)];
        }
        const caller = callerOf(connection);
        if ((byCaller.get(caller) ?? 0) >= options.perCaller) {
          return [limitError(`You hold ${options.perCaller} subscriptions on this server, the most one caller may.`, options.perCaller)];
        }
        const budget = rateLimiter ? await rateLimiter.consume(rateClient(connection), cost) : null;
        if (budget && !budget.allowed) {
          return [new GraphQLError(`Rate limit exceeded: this subscription costs ${cost} and ${budget.remaining} of your ${budget.limit} points are left.`, { extensions: { code: ErrorCode.RATE_LIMITED, cost } })];
        }
        const contextValue = createContext(orm, engine, { viewer: connection.viewer, changes });
        connection.active.set(id, contextValue);
        byCaller.set(caller, (byCaller.get(caller) ?? 0) + 1);
        const args: ExecutionArgs = { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue, fieldResolver: engine.fieldResolver as ExecutionArgs['fieldResolver'] };
        return args;
      },
      onNext: (_ctx, _id, _payload, _args, result) => {
        if (!result.errors?.length) return undefined;
        for (const error of result.errors) if (isMasked(error)) logger.error({ err: error.originalError ?? error }, 'subscription: unexpected error');
        return { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) };
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)),
      onComplete: (ctx, id) => {
        const connection = connections.get(ctx.extra);
        if (connection) release(connection, id);
      },
      onClose: (ctx) => {
        const connection = connections.get(ctx.extra);
        if (connection) for (const id of [...connection.active.keys()]) release(connection, id);
      },
    },
    wss,
    options.keepAliveMs ?? 12_000,
  );

  return {
    get connections() {
      return wss.clients.size;
    },
    async close() {
      if (closing) return;
      // New upgrades are answered 503 from now on; the listener stays so they do not fall through to HTTP.
      closing = true;
      for (const socket of wss.clients) socket.close(GOING_AWAY, 'The server is restarting; reconnect.');
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
