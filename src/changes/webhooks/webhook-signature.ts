// How deliveries are signed, as GitHub and Stripe sign theirs: an HMAC-SHA256, keyed by the endpoint's
// secret, over the timestamp, a dot and the raw body. The receiver recomputes it, compares in constant
// time, and refuses old timestamps (replays). docs/changes.md has the snippet receivers copy.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-jipp-signature-256';
export const TIMESTAMP_HEADER = 'x-jipp-timestamp';
export const EVENT_ID_HEADER = 'x-jipp-event-id';
export const DELIVERY_ID_HEADER = 'x-jipp-delivery-id';

/** The signature header's value: `sha256=<hex>`. */
export function sign(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A receiver's check: the signature matches and the timestamp is at most `toleranceSeconds` old. */
export function verify(secret: string, headers: { timestamp: string; signature: string }, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, timestamp, body));
  const actual = Buffer.from(headers.signature);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
