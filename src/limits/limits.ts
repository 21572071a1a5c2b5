// The published per-operation limits, in one place: config.ts reads them from the environment, server.ts
// enforces them, and the README quotes these defaults.

export interface QueryLimits {
  /** Nesting of selection sets, fragments counted where they are spread. */
  maxDepth: number;
  /** Aliased fields in one operation (aliases multiply work without multiplying the query's size). */
  maxAliases: number;
  /** Directives in one operation. */
  maxDirectives: number;
  /** Lexical tokens in one document, enforced by the parser before anything else runs. */
  maxTokens: number;
  /** The most one operation may cost (see cost.ts for the formula). */
  maxCost: number;
}

export const DEFAULT_QUERY_LIMITS: QueryLimits = Object.freeze({
  maxDepth: 15,
  maxAliases: 30,
  maxDirectives: 20,
  maxTokens: 5_000,
  maxCost: 50_000,
});

export interface RateLimits {
  /** Length of the window, in seconds; budgets refill at its end. */
  windowSeconds: number;
  /** Cost points per window for each anonymous client address; 0 turns the limit off for them. */
  anonymousPoints: number;
  /** Cost points per window for each API key; 0 turns the limit off for keys. */
  keyPoints: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = Object.freeze({
  windowSeconds: 60,
  anonymousPoints: 100_000,
  keyPoints: 500_000,
});
