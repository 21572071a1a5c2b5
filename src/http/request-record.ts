// What the HTTP front knows of a GraphQL request (who sent it, when) and what the Apollo plugins learn of
// it (operation, cost, codes), for its one log line and its metrics. It travels in the request's context.
import type { RateDecision } from '../limits/rate-limiter';

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
  /** The caller's budget after the operation was charged; null when this kind of caller has no limit. */
  budget?: RateDecision | null;
  /** SQL statements the operation ran. */
  sqlStatements?: number;
  codes: string[];
}
