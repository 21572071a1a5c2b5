// Prices every operation before it runs, refuses one that costs too much (400 QUERY_TOO_COMPLEX) or does
// not fit the caller's remaining budget (429 RATE_LIMITED, Retry-After), and reports the cost in
// extensions.cost and the budget in X-RateLimit-* headers of every response.
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { Context } from '../context';
import { ErrorCode } from '../errors';
import { operationCost } from './cost';
import type { CostRateLimiter, RateClient, RateDecision } from './rate-limiter';

export interface LimitsPluginOptions {
  maxCost: number;
  /** Absent: no rate limits (in-process use, tests). */
  rateLimiter?: CostRateLimiter;
}

function rateClient(ctx: Context): RateClient {
  if (ctx.viewer.keyId != null) return { kind: 'key', id: ctx.viewer.keyId };
  return { kind: 'address', address: ctx.request?.clientAddress ?? 'local' };
}

function tooComplex(cost: number, maxCost: number): GraphQLError {
  return new GraphQLError(
    `This operation costs ${cost}, over the limit of ${maxCost} per operation. The cost is the sum of the page sizes of its connections multiplied by the page sizes around them: ask for smaller pages or nest fewer lists.`,
    { extensions: { code: ErrorCode.QUERY_TOO_COMPLEX, cost, maxCost, http: { status: 400 } } },
  );
}

function rateLimited(cost: number, decision: RateDecision): GraphQLError {
  const retryAfter = Math.max(1, Math.ceil((decision.resetAt - Date.now()) / 1000));
  return new GraphQLError(
    `Rate limit exceeded: this operation costs ${cost} and ${decision.remaining} of your ${decision.limit} points are left in this window; retry after ${retryAfter} s.`,
    {
      extensions: {
        code: ErrorCode.RATE_LIMITED,
        cost,
        retryAfter,
        http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter)]]) },
      },
    },
  );
}

/** The X-RateLimit-* headers of a response, from the caller's budget after the operation. */
export function rateLimitHeaders(budget: RateDecision): [string, string][] {
  return [
    ['x-ratelimit-limit', String(budget.limit)],
    ['x-ratelimit-remaining', String(budget.remaining)],
    ['x-ratelimit-used', String(budget.used)],
    ['x-ratelimit-reset', String(Math.ceil(budget.resetAt / 1000))],
  ];
}

/** extensions.cost: the operation's price, the limit per operation and, when rate limited, what is left. */
export function costExtension(cost: number, maxCost: number, budget: RateDecision | null): Record<string, number> {
  const extension: Record<string, number> = { requested: cost, limit: maxCost };
  if (budget) extension.remaining = budget.remaining;
  return extension;
}

export function limitsPlugin({ maxCost, rateLimiter }: LimitsPluginOptions): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let cost = 0;
      let budget: RateDecision | null = null;
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          // No operation to price: execution refuses the request ("must provide operation name").
          if (!operation) return;
          cost = operationCost(schema, document, operation, request.variables);
          const record = contextValue.request;
          if (record) record.cost = cost;
          if (cost > maxCost) throw tooComplex(cost, maxCost);
          if (!rateLimiter) return;
          budget = await rateLimiter.consume(rateClient(contextValue), cost);
          if (record) record.budget = budget;
          if (budget && !budget.allowed) throw rateLimited(cost, budget);
        },
        async willSendResponse({ response, contextValue }) {
          budget ??= rateLimiter ? await rateLimiter.peek(rateClient(contextValue)) : null;
          if (budget) for (const [name, value] of rateLimitHeaders(budget)) response.http.headers.set(name, value);
          if (response.body.kind !== 'single') return;
          const result = response.body.singleResult;
          // Read the extensions only now: other plugins add theirs to the same response concurrently.
          result.extensions = { ...result.extensions, cost: costExtension(cost, maxCost, budget) };
        },
      };
    },
  };
}
