// What the HTTP front knows about a GraphQL request (who sent it, when) and what the Apollo plugins learn
// about it (operation, cost, codes), shared through an AsyncLocalStorage scope opened per request so the
// HTTP front can write one log line and one set of metrics per operation, whatever stage it ended at.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CostRateLimiter, RateDecision } from '../limits/rate-limiter';

export interface RequestRecord {
  requestId: string;
  /** The client's address (the socket's, or the forwarded one behind trusted proxies). */
  clientAddress: string;
  startedAt: bigint;
  operationName?: string | null;
  operationType?: string;
  /** Names only: values may hold personal data. */
  variableNames?: string[];
  role?: string;
  keyId?: number | null;
  cost?: number;
  /** The limits the operation was priced against (set with cost). */
  limits?: { maxCost: number; rateLimiter?: CostRateLimiter };
  /** The caller's budget after the operation was charged; null when this kind of caller has no limit. */
  budget?: RateDecision | null;
  /** A charge the prepared lane made before it handed the request to Apollo: not to be made again. */
  charged?: RateDecision;
  /** Answered from one compiled SQL statement (src/graphql/compiled), not field by field. */
  compiled?: boolean;
  /** Answered by the prepared lane (src/http/prepared-answers.ts), without Apollo. */
  prepared?: boolean;
  codes: string[];
}

const storage = new AsyncLocalStorage<RequestRecord>();

export function inRequestScope<T>(record: RequestRecord, fn: () => T): T {
  return storage.run(record, fn);
}

/** The current HTTP request's record; undefined for operations run in-process (tests, scripts). */
export function currentRequest(): RequestRecord | undefined {
  return storage.getStore();
}
