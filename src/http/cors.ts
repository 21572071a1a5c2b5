// Cross-origin access for dashboards in the browser: the HTTP front answers preflights itself (before
// Apollo, whose CSRF prevention refuses an OPTIONS with 400) and adds the CORS headers to GraphQL answers.
//
// The default, any origin without credentials, suits a public read API: answers carry no cookies and no
// ambient authority, a key travels only in an Authorization header the page's own code sets, so a foreign
// page learns nothing it could not fetch itself. A list of origins narrows it (the origin is then echoed,
// with Vary: Origin, so a cache never hands one origin's answer to another).
import type { IncomingHttpHeaders } from 'node:http';

export type CorsPolicy = { kind: 'any' } | { kind: 'list'; origins: ReadonlySet<string> } | { kind: 'none' };

/** Request headers a dashboard sends: its key, JSON, and Apollo's CSRF header for GET queries. */
const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name';
const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Response headers a page's code may read: the request id to quote, the rate-limit budget. */
const EXPOSED_HEADERS = 'x-request-id, retry-after, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-used, x-ratelimit-reset';
/** How long a browser may keep a preflight's answer (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Reads CORS_ORIGINS: `*` (any origin, the default), `none` (no cross-origin access), or a comma-separated
 * list of origins such as `https://dashboard.example.go.id,http://localhost:5173`.
 */
export function parseCorsOrigins(value: string): CorsPolicy {
  const text = value.trim();
  if (text === '*') return { kind: 'any' };
  if (text.toLowerCase() === 'none') return { kind: 'none' };
  const origins = text.split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of origins) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    // An origin is scheme, host and port only: "https://a.example/" or a path would never match a browser's.
    if (!parsed || parsed.origin !== origin || !/^https?:$/.test(parsed.protocol)) {
      throw new Error(`"${origin}" is not an origin (scheme://host[:port], no path or trailing slash)`);
    }
  }
  if (!origins.length) throw new Error('give *, none, or at least one origin');
  return { kind: 'list', origins: new Set(origins) };
}

/** The Access-Control-Allow-Origin value for a request's Origin, or null when that origin is not allowed. */
function allowedOrigin(policy: CorsPolicy, origin: string): string | null {
  if (policy.kind === 'any') return '*';
  if (policy.kind === 'list' && policy.origins.has(origin)) return origin;
  return null;
}

/**
 * Headers every GraphQL answer carries. The answer depends on the caller's key (anonymous answers are
 * public and cacheable, keyed ones private and no-store), so Vary: Authorization keeps a shared cache
 * from handing a public answer to a key holder or the reverse; Vary: Origin whenever the origin is echoed.
 */
export function corsHeaders(policy: CorsPolicy, headers: IncomingHttpHeaders): Record<string, string> {
  const vary = policy.kind === 'list' ? 'Authorization, Origin' : 'Authorization';
  const origin = headers.origin;
  const allow = origin ? allowedOrigin(policy, origin) : null;
  if (!allow) return { vary };
  return { vary, 'access-control-allow-origin': allow, 'access-control-expose-headers': EXPOSED_HEADERS };
}

export type Preflight = { status: 204; headers: Record<string, string> } | { status: 403; message: string };

/** Whether a request is a CORS preflight (an OPTIONS that names the method to come). */
export function isPreflight(method: string | undefined, headers: IncomingHttpHeaders): boolean {
  return method === 'OPTIONS' && typeof headers.origin === 'string' && typeof headers['access-control-request-method'] === 'string';
}

/** The answer to a preflight: what the page may send, or why not. */
export function preflight(policy: CorsPolicy, headers: IncomingHttpHeaders): Preflight {
  const origin = String(headers.origin);
  const allow = allowedOrigin(policy, origin);
  if (!allow) return { status: 403, message: `Cross-origin requests from ${origin} are not allowed here (CORS_ORIGINS).` };
  const method = String(headers['access-control-request-method']).toUpperCase();
  if (!ALLOWED_METHODS.split(', ').includes(method)) {
    return { status: 403, message: `${method} is not a method of this API; use GET or POST.` };
  }
  return {
    status: 204,
    headers: {
      'access-control-allow-origin': allow,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': ALLOWED_HEADERS,
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_SECONDS),
      vary: policy.kind === 'list' ? 'Origin, Access-Control-Request-Headers' : 'Access-Control-Request-Headers',
    },
  };
}
