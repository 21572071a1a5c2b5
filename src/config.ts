// The only reader of process.env: every setting is parsed and validated once, here.
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { EngineSettings } from './graphql/sql/engine';
import { parseCorsOrigins } from './http/cors';
import { DEFAULT_QUERY_LIMITS, DEFAULT_RATE_LIMITS, type QueryLimits, type RateLimits } from './limits/limits';

const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
/** 0 turns a rate limit off. */
const points = (fallback: number) => z.coerce.number().int().min(0).default(fallback);
/** On or off: 1/0 or true/false. */
const flag = (fallback: '0' | '1') =>
  z
    .enum(['0', '1', 'true', 'false'])
    .default(fallback)
    .transform((v) => v === '1' || v === 'true');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  DATABASE_URL: z.string().url().optional(),
  /** Streaming standbys that answer reads, comma-separated PostgreSQL URLs (docs/operations-scale.md). */
  DATABASE_REPLICA_URLS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const urls = (value ?? '').split(',').map((url) => url.trim()).filter(Boolean);
      for (const url of urls) {
        if (!/^postgres(ql)?:\/\/./.test(url) || !URL.canParse(url)) {
          ctx.addIssue({ code: 'custom', message: `not a PostgreSQL URL (postgresql://user:password@host:port/database): ${redactUrl(url)}` });
          return z.NEVER;
        }
      }
      return urls;
    }),
  /** API processes on this machine (Node's cluster): a number, or `auto` for one per available core. */
  WORKERS: z
    .string()
    .default('1')
    .transform((value, ctx) => {
      if (value === 'auto') return os.availableParallelism();
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1 || n > 64) {
        ctx.addIssue({ code: 'custom', message: `must be auto or a whole number from 1 to 64, not "${value}"` });
        return z.NEVER;
      }
      return n;
    }),
  /** How long a mutation waits for the replicas to replay it before answering (read-your-writes). */
  REPLICA_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(2_000),
  /** How often each process asks each replica for its replay position and lag. */
  REPLICA_CHECK_MS: z.coerce.number().int().min(100).max(60_000).default(1_000),
  DATA_DIR: z.string().min(1).default('.data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  /** Connections of the read engine's pool. */
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
  /** Connections of the ORM's pool, for writes (mutations, imports). */
  DB_WRITE_POOL_MAX: z.coerce.number().int().min(1).max(100).default(5),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  DB_POOL_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /** Reads as prepared statements (named); off behind a pooler in transaction mode (PgBouncer before 1.21). */
  DB_PREPARED_STATEMENTS: flag('1'),
  MAX_QUERY_DEPTH: positive(DEFAULT_QUERY_LIMITS.maxDepth),
  MAX_QUERY_ALIASES: positive(DEFAULT_QUERY_LIMITS.maxAliases),
  MAX_QUERY_DIRECTIVES: positive(DEFAULT_QUERY_LIMITS.maxDirectives),
  MAX_QUERY_TOKENS: positive(DEFAULT_QUERY_LIMITS.maxTokens),
  MAX_QUERY_COST: positive(DEFAULT_QUERY_LIMITS.maxCost),
  RATE_LIMIT_WINDOW_SECONDS: positive(DEFAULT_RATE_LIMITS.windowSeconds),
  RATE_LIMIT_ANONYMOUS_POINTS: points(DEFAULT_RATE_LIMITS.anonymousPoints),
  RATE_LIMIT_KEY_POINTS: points(DEFAULT_RATE_LIMITS.keyPoints),
  /** Reverse proxies in front of the API whose X-Forwarded-For entries are trusted (0: use the socket). */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** How long SIGTERM waits for in-flight requests before closing the connections left. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(25_000),
  /** The largest answer one read may return, in characters of JSON (QUERY_TOO_COMPLEX past it). */
  MAX_ANSWER_CHARS: z.coerce.number().int().min(10_000).default(8_000_000),
  /** Heavy statements (analytics, searches) at once; by default half the read pool, so cheap reads keep connections. */
  HEAVY_STATEMENTS: z.coerce.number().int().min(1).max(100).optional(),
  /** Heavy statements at once for one caller (an API key or an anonymous address). */
  HEAVY_STATEMENTS_PER_CALLER: z.coerce.number().int().min(1).max(100).default(2),
  RESPONSE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** Days change events are kept for the changes feed, subscriptions' catch-up and webhooks (docs/changes.md). */
  CHANGE_RETENTION_DAYS: z.coerce.number().int().min(1).max(365).default(7),
  /** Subscriptions one WebSocket connection may hold, and one caller (key or address) in one process. */
  SUBSCRIPTIONS_PER_CONNECTION: positive(20),
  SUBSCRIPTIONS_PER_CALLER: positive(100),
  /** Webhook deliveries: how long a receiver may take, the first retry's delay, failures in a row that disable. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  WEBHOOK_MAX_FAILURES: positive(10),
  /** Webhooks to loopback, private and link-local addresses: off (refused) unless set, for development and tests. */
  WEBHOOK_ALLOW_PRIVATE_ADDRESSES: flag('0'),
  /** Bulk exports (/export/...): connections of their own, and rows per API key per window (0: no quota). */
  EXPORT_CONNECTIONS: z.coerce.number().int().min(1).max(20).default(2),
  EXPORT_ROWS_PER_WINDOW: points(2_000_000),
  EXPORT_WINDOW_SECONDS: positive(3600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_SQL: flag('0'),
  /** Origins whose pages may call the API: `*` (any, no credentials), `none`, or a comma-separated list. */
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((value, ctx) => {
      try {
        return parseCorsOrigins(value);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
}).superRefine((c, ctx) => {
  // An operation allowed by the cost limit must fit a whole window's budget, or a Retry-After would never help.
  for (const key of ['RATE_LIMIT_ANONYMOUS_POINTS', 'RATE_LIMIT_KEY_POINTS'] as const) {
    if (c[key] > 0 && c[key] < c.MAX_QUERY_COST) {
      ctx.addIssue({ code: 'custom', path: [key], message: `must be 0 (off) or at least MAX_QUERY_COST (${c.MAX_QUERY_COST})` });
    }
  }
});

export type Config = z.infer<typeof schema> & { dataDir: string };

/** A URL for messages: without its password. */
function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.DATA_DIR) };
}

export function queryLimits(config: Config): QueryLimits {
  return {
    maxDepth: config.MAX_QUERY_DEPTH,
    maxAliases: config.MAX_QUERY_ALIASES,
    maxDirectives: config.MAX_QUERY_DIRECTIVES,
    maxTokens: config.MAX_QUERY_TOKENS,
    maxCost: config.MAX_QUERY_COST,
  };
}

export function engineSettings(config: Config): EngineSettings {
  return {
    maxAnswerChars: config.MAX_ANSWER_CHARS,
    heavy: {
      overall: config.HEAVY_STATEMENTS ?? Math.max(1, Math.floor(config.DB_POOL_MAX / 2)),
      perCaller: config.HEAVY_STATEMENTS_PER_CALLER,
      waitMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
    },
  };
}

export function rateLimits(config: Config): RateLimits {
  return {
    windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
    anonymousPoints: config.RATE_LIMIT_ANONYMOUS_POINTS,
    keyPoints: config.RATE_LIMIT_KEY_POINTS,
  };
}
