// The address a request comes from, for per-client rate limits and logs. Behind reverse proxies the socket
// address is the proxy's: with trustProxyHops = n the client is the n-th address from the right of
// X-Forwarded-For (the proxies append to it, so anything further left was written by the client itself).
import type http from 'node:http';

export function clientAddress(req: http.IncomingMessage, trustProxyHops: number): string {
  const socket = normalise(req.socket.remoteAddress ?? 'unknown');
  if (trustProxyHops <= 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const candidate = forwarded[forwarded.length - trustProxyHops];
  return candidate && /^[0-9a-fA-F.:]{2,45}$/.test(candidate) ? normalise(candidate) : socket;
}

/** IPv4 clients of a dual-stack socket show up as ::ffff:a.b.c.d; one client, one key. */
function normalise(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
