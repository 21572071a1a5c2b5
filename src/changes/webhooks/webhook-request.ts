// One delivery's POST. The endpoint's name is resolved here and every address vetted; the request's
// `lookup` then answers with those addresses only, so the connection goes where the check looked (DNS
// cannot change in between), while the Host header and the TLS server name stay the endpoint's name.
import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { finished } from 'node:stream';
import { nonPublicRange, unbracketed } from './webhook-address';

/** Every address of a name, as `dns.promises.lookup(name, { all: true })` gives them. */
export type Lookup = (hostname: string) => Promise<LookupAddress[]>;

export const dnsLookupAll: Lookup = (hostname) => dnsLookup(hostname, { all: true });

export interface RequestOptions {
  timeoutMs: number;
  /** Deliver to loopback and private addresses too (WEBHOOK_ALLOW_PRIVATE_ADDRESSES: development and tests). */
  allowPrivateAddresses: boolean;
  lookup: Lookup;
}

export type RequestOutcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

type Vetted = { ok: true; addresses: LookupAddress[] } | { ok: false; status: null; error: string };

/** A 2xx answer within the timeout is a delivery; anything else a failure with its reason. */
export async function postEvent(endpoint: string, body: string, headers: Record<string, string>, options: RequestOptions): Promise<RequestOutcome> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const url = new URL(endpoint);
    const vetted = await Promise.race([vet(url.hostname, options), whenAborted(signal)]);
    if (!vetted.ok) return vetted;
    const status = await send(url, body, headers, vetted.addresses, signal);
    return status >= 200 && status < 300 ? { ok: true, status } : { ok: false, status, error: `HTTP ${status}` };
  } catch (error) {
    return { ok: false, status: null, error: signal.aborted ? `no answer within ${options.timeoutMs} ms` : `could not connect: ${(error as Error).message}` };
  }
}

async function vet(hostname: string, options: RequestOptions): Promise<Vetted> {
  const host = unbracketed(hostname);
  const family = isIP(host);
  let addresses: LookupAddress[];
  try {
    addresses = family ? [{ address: host, family }] : await options.lookup(host);
  } catch (error) {
    return { ok: false, status: null, error: `could not resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
  if (!addresses.length) return { ok: false, status: null, error: `could not resolve ${host}: no address` };
  if (!options.allowPrivateAddresses) {
    for (const { address } of addresses) {
      const range = nonPublicRange(address);
      if (range) {
        const what = family ? `${host} is` : `${host} resolves to ${address},`;
        return { ok: false, status: null, error: `refused: ${what} not a public address (${range})` };
      }
    }
  }
  return { ok: true, addresses };
}

/** Answers every lookup of the request with the vetted addresses (all of them when asked for all, to try in turn). */
function pinned(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0].address, addresses[0].family);
  };
}

function send(url: URL, body: string, headers: Record<string, string>, addresses: LookupAddress[], signal: AbortSignal): Promise<number> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    // A connection of its own (no pooled socket): each delivery connects to the addresses vetted for it.
    const request = client.request(
      url,
      { method: 'POST', agent: false, lookup: pinned(addresses), signal, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (response) => {
        // The answer's status is what counts; its body is read and dropped (within the timeout) before it does.
        response.resume();
        finished(response, () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));
}
