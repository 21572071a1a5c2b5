// The prepared lane: a query Apollo has answered from one compiled SQL statement is answered the next time
// without Apollo. Apollo's pipeline (parse and validation caches, its plugins, a request context with its
// EntityManager fork, the JSON of the answer) took as long as the statement itself for the small dashboard
// reads: the floor's own HTTP server, run inside this process, answered mentoring programmes in 0.27 ms
// where the API took 0.60 ms. What a compiled answer depends on is known once Apollo has made it: the
// statement depends only on the query, its operation and variables; the cost likewise; the headers and the
// extensions only on the request id and the caller's budget.
//
// So the lane keeps, per query text, operation name, variables and Accept header, what Apollo's answer was
// made of, and makes the same answer again: it charges the same rate limit, runs the same statement and
// writes the same headers and body, byte for byte (checked against Apollo's own answer before an entry is
// kept, so a plugin that adds a header or an extension simply keeps such queries on Apollo's path). Only
// anonymous JSON POSTs take the lane (an API key's role is Apollo's to check). Whatever the lane cannot
// answer as Apollo would (a request over its budget, a database fault, a statement the database refuses)
// goes to Apollo, with the charge already made and the fault already met, and Apollo answers it as usual.
import type http from 'node:http';
import { HeaderMap, type HTTPGraphQLResponse } from '@apollo/server';
import type { EntityManager } from '@mikro-orm/postgresql';
import { databaseFault } from '../db/faults';
import { runStatement } from '../db/sql';
import { costExtension, rateLimitHeaders } from '../limits/limits-plugin';
import type { CostRateLimiter, RateDecision } from '../limits/rate-limiter';
import type { RequestRecord } from './request-scope';

/** Entries kept; past this, the lane starts over (a dashboard asks a few dozen distinct questions). */
const MAX_ENTRIES = 1000;
/** Keys (query text, variables, ...) longer than this are not kept: they would make the lane large. */
const MAX_KEY_LENGTH = 16_384;

const JSON_CONTENT = /^application\/json\s*(;|$)/i;
const EXTENSIONS = new Set(['requestId', 'sqlStatements', 'cost']);
const RATE_LIMIT_HEADER = /^x-ratelimit-/;

interface Entry {
  statement: string;
  cost: number;
  maxCost: number;
  rateLimiter?: CostRateLimiter;
  /** Apollo's headers in its order; the rate-limit ones are written per request. */
  headers: [string, string][];
  /** The extensions in Apollo's order (plugins add theirs as they finish, so it varies with the setup). */
  extensionKeys: string[];
  operationName: string | null | undefined;
  operationType: string | undefined;
  variableNames: string[] | undefined;
  role: string | undefined;
  /** The answer's text around the request id, and its headers, when the caller has no budget (render). */
  fixed?: { headers: HeaderMap; before: string; after: string };
}

/** What the lane hands to Apollo with a request it did not answer. */
export interface Handover {
  /** The rate-limit charge made for the request. */
  charged?: RateDecision;
  /** The database fault its statement met: the resolvers fail with it at once. */
  fault?: Error;
  /** Statements the lane sent (counted in the answer's extensions.sqlStatements like Apollo's own). */
  statements: number;
}

export class PreparedAnswers {
  private readonly entries = new Map<string, Entry>();
  /** Keys by body as sent (with the Accept header), for the questions the lane answers. */
  private readonly bodies = new Map<string, string>();

  constructor(private readonly em: EntityManager) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The lane's key for a request, or undefined when the request cannot take the lane: not an anonymous JSON
   * POST of a query with at most variables and an operation name (persisted-query extensions go to Apollo).
   */
  keyOf(req: http.IncomingMessage, body: unknown, text?: string): string | undefined {
    if (!laneRequest(req)) return undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
    const fields = body as Record<string, unknown>;
    for (const name in fields) {
      if (name !== 'query' && name !== 'variables' && name !== 'operationName') return undefined;
    }
    const { query, variables, operationName } = fields;
    if (typeof query !== 'string') return undefined;
    if (variables != null && (typeof variables !== 'object' || Array.isArray(variables))) return undefined;
    if (operationName != null && typeof operationName !== 'string') return undefined;
    const key = JSON.stringify([req.headers.accept ?? '', operationName ?? '', variables ?? {}, query]);
    if (key.length > MAX_KEY_LENGTH) return undefined;
    // A question the lane answers: the same bytes next time need no parsing (knownKey). Bodies padded past
    // the key's limit are not kept (whitespace does not count in the key, it would in memory).
    if (text !== undefined && text.length <= MAX_KEY_LENGTH && this.entries.has(key)) {
      if (this.bodies.size >= MAX_ENTRIES) this.bodies.clear();
      this.bodies.set(bodyKey(req, text), key);
    }
    return key;
  }

  /**
   * The lane's key for a request whose body, as sent, is one the lane answered before (keyOf saw it then):
   * the same bytes with the same Accept header parse to the same key, so they are not parsed again.
   */
  knownKey(req: http.IncomingMessage, text: string): string | undefined {
    if (this.bodies.size === 0 || !laneRequest(req)) return undefined;
    return this.bodies.get(bodyKey(req, text));
  }

  /**
   * Answers a request whose answer Apollo made before; undefined when there is no such answer, a Handover
   * when the request must go to Apollo after all.
   */
  async answer(key: string, record: RequestRecord): Promise<HTTPGraphQLResponse | Handover | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    record.operationName = entry.operationName;
    record.operationType = entry.operationType;
    record.variableNames = entry.variableNames;
    record.role = entry.role;
    record.keyId = null;
    record.cost = entry.cost;
    let budget: RateDecision | null = null;
    if (entry.rateLimiter?.limitsAddresses) {
      budget = await entry.rateLimiter.consume({ kind: 'address', address: record.clientAddress }, entry.cost);
      // Over budget: Apollo refuses it, with its error and headers.
      if (budget && !budget.allowed) return { charged: budget, statements: 0 };
    }
    let rows: { data: string }[];
    try {
      rows = await runStatement<{ data: string }>(this.em, entry.statement, []);
    } catch (error) {
      const fault = databaseFault(error) ? (error as Error) : undefined;
      // Not a fault: the compiler's bug, which Apollo's path reports and stops sending.
      if (!fault) this.entries.delete(key);
      return { charged: budget ?? undefined, fault, statements: 1 };
    }
    record.compiled = true;
    record.prepared = true;
    return this.render(entry, record.requestId, rows[0].data, budget);
  }

  /**
   * Keeps what Apollo's answer to a request was made of, when Apollo answered it from one compiled
   * statement and the lane would have written the same answer.
   */
  learn(key: string, record: RequestRecord, statement: string, dataText: string, result: HTTPGraphQLResponse): void {
    if (this.entries.has(key) || (result.status ?? 200) !== 200 || result.body.kind !== 'complete') return;
    if (record.codes.length || record.cost === undefined || !record.limits || record.operationType !== 'query') return;
    const budget = record.budget ?? null;
    if (budget && !budget.allowed) return;
    const extensionKeys = extensionKeysOf(result.body.string, dataText);
    if (!extensionKeys) return;
    const headers: [string, string][] = [];
    const rateNames: string[] = [];
    for (const [name, value] of result.headers) {
      headers.push([name, value]);
      if (RATE_LIMIT_HEADER.test(name)) rateNames.push(name);
    }
    const entry: Entry = {
      statement,
      cost: record.cost,
      maxCost: record.limits.maxCost,
      rateLimiter: record.limits.rateLimiter,
      headers,
      extensionKeys,
      operationName: record.operationName,
      operationType: record.operationType,
      variableNames: record.variableNames,
      role: record.role,
    };
    const expected = this.render(entry, record.requestId, dataText, budget);
    if (expected.body.kind !== 'complete' || expected.body.string !== result.body.string) return;
    const expectedRateNames = budget ? rateLimitHeaders(budget).map(([name]) => name) : [];
    if (rateNames.sort().join() !== expectedRateNames.sort().join()) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, entry);
  }

  private render(entry: Entry, requestId: string, dataText: string, budget: RateDecision | null): HTTPGraphQLResponse {
    // Without a budget (no rate limit for the caller) only the request id varies: written into a template.
    if (!budget) {
      const fixed = (entry.fixed ??= unbudgeted(entry));
      return { status: 200, headers: fixed.headers, body: { kind: 'complete', string: `{"data":${dataText}${fixed.before}${JSON.stringify(requestId)}${fixed.after}` } };
    }
    const rate = new Map(rateLimitHeaders(budget));
    const headers = new HeaderMap();
    for (const [name, value] of entry.headers) headers.set(name, rate.get(name) ?? value);
    return { status: 200, headers, body: { kind: 'complete', string: `{"data":${dataText},"extensions":${extensionsText(entry, requestId, budget)}}\n` } };
  }
}

function extensionsText(entry: Entry, requestId: string, budget: RateDecision | null): string {
  const extensions: Record<string, unknown> = {};
  for (const name of entry.extensionKeys) {
    if (name === 'requestId') extensions.requestId = requestId;
    else if (name === 'sqlStatements') extensions.sqlStatements = 1;
    else extensions.cost = costExtension(entry.cost, entry.maxCost, budget);
  }
  return JSON.stringify(extensions);
}

/** An entry's answer without a budget, around its request id; its headers are shared (respond only reads them). */
function unbudgeted(entry: Entry): NonNullable<Entry['fixed']> {
  const marker = '\u0000request-id\u0000';
  const [before, after] = `,"extensions":${extensionsText(entry, marker, null)}}\n`.split(JSON.stringify(marker));
  return { headers: new HeaderMap(entry.headers), before, after };
}

/** What a request must be to take the lane, whatever its body: an anonymous JSON POST. */
function laneRequest(req: http.IncomingMessage): boolean {
  return req.method === 'POST' && req.headers.authorization === undefined && JSON_CONTENT.test(req.headers['content-type'] ?? '');
}

/** A body as sent, with what else its key depends on (the Accept header). */
function bodyKey(req: http.IncomingMessage, text: string): string {
  return `${req.headers.accept ?? ''}\n${text}`;
}

/** The names of an answer's extensions, in order, when they are the ones the lane writes; else undefined. */
function extensionKeysOf(body: string, dataText: string): string[] | undefined {
  const start = '{"data":'.length + dataText.length;
  if (!body.startsWith(',"extensions":', start)) return undefined;
  let parsed: { extensions?: unknown };
  try {
    parsed = JSON.parse(`{${body.slice(start + 1)}`) as { extensions?: unknown };
  } catch {
    return undefined;
  }
  const keys = Object.keys(parsed);
  if (keys.length !== 1 || typeof parsed.extensions !== 'object' || parsed.extensions === null) return undefined;
  const names = Object.keys(parsed.extensions);
  return names.length === EXTENSIONS.size && names.every((name) => EXTENSIONS.has(name)) ? names : undefined;
}
