// Which hosts a webhook may be delivered to: public internet addresses only, so a key holder cannot make
// the API post into the ministry's own network (server-side request forgery). Registration refuses the
// hosts it can judge from the URL alone; every delivery resolves the name and refuses a non-public answer
// (webhook-request.ts), since a public name can point inward, or be repointed later.
import { BlockList, isIP } from 'node:net';

/** Ranges that are not the public internet (IANA's special-purpose registries, plus multicast and reserved). */
const IPV4: readonly (readonly [prefix: string, bits: number, kind: string])[] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['100.64.0.0', 10, 'shared (carrier-grade NAT)'],
  ['127.0.0.0', 8, 'loopback'],
  ['169.254.0.0', 16, 'link-local (cloud metadata)'],
  ['172.16.0.0', 12, 'private'],
  ['192.0.0.0', 24, 'reserved (IETF)'],
  ['192.0.2.0', 24, 'documentation'],
  ['192.88.99.0', 24, 'reserved (6to4 relay)'],
  ['192.168.0.0', 16, 'private'],
  ['198.18.0.0', 15, 'benchmarking'],
  ['198.51.100.0', 24, 'documentation'],
  ['203.0.113.0', 24, 'documentation'],
  ['224.0.0.0', 4, 'multicast'],
  ['255.255.255.255', 32, 'broadcast'],
  ['240.0.0.0', 4, 'reserved'],
];

/** First match names the kind, so the named ranges come before the catch-all of what is not global unicast. */
const IPV6: readonly (readonly [prefix: string, bits: number, kind: string])[] = [
  ['::', 128, 'unspecified'],
  ['::1', 128, 'loopback'],
  ['::', 96, 'reserved (IPv4-compatible)'],
  ['64:ff9b::', 96, 'NAT64 (reaches the IPv4 address inside)'],
  ['64:ff9b:1::', 48, 'NAT64 (reaches the IPv4 address inside)'],
  ['100::', 64, 'discard'],
  ['2001::', 23, 'reserved (IETF, Teredo)'],
  ['2001:db8::', 32, 'documentation'],
  ['2002::', 16, '6to4 (reaches the IPv4 address inside)'],
  ['3fff::', 20, 'documentation'],
  ['fc00::', 7, 'private (unique local)'],
  ['fe80::', 10, 'link-local'],
  ['fec0::', 10, 'reserved (site-local)'],
  ['ff00::', 8, 'multicast'],
  ['::', 3, 'reserved (not global unicast)'],
  ['4000::', 2, 'reserved (not global unicast)'],
  ['8000::', 1, 'reserved (not global unicast)'],
];

// One list per range, and the two families apart: a BlockList matches an IPv4 address against IPv6 rules
// through its mapped form (::ffff:a.b.c.d), so the catch-all ::/3 would swallow every IPv4 address.
const lists = (ranges: typeof IPV4, type: 'ipv4' | 'ipv6') =>
  ranges.map(([prefix, bits, kind]) => {
    const list = new BlockList();
    list.addSubnet(prefix, bits, type);
    return { list, what: `${kind}, ${prefix}/${bits}` };
  });
const IPV4_LISTS = lists(IPV4, 'ipv4');
const IPV6_LISTS = lists(IPV6, 'ipv6');
const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/** Why an IP address is not a public one (its kind and range), or null when it is public. */
export function nonPublicRange(address: string): string | null {
  const family = isIP(address);
  if (family === 4) return IPV4_LISTS.find((r) => r.list.check(address, 'ipv4'))?.what ?? null;
  if (family !== 6) return 'not an IP address';
  // An IPv4-mapped address (::ffff:10.0.0.1) connects to the IPv4 address inside: judge that one.
  const ranges = MAPPED.check(address, 'ipv6') ? IPV4_LISTS : IPV6_LISTS;
  return ranges.find((r) => r.list.check(address, 'ipv6'))?.what ?? null;
}

/** URL.hostname without the brackets of an IPv6 address. */
export const unbracketed = (hostname: string): string => (hostname.startsWith('[') ? hostname.slice(1, -1) : hostname);

/** Names that never leave this machine or its network: RFC 6761 localhost, mDNS .local, ICANN's .internal, home.arpa. */
const LOCAL_SUFFIXES = ['localhost', 'local', 'internal', 'home.arpa'];

/**
 * Why a URL's host (URL.hostname: IPv4 already normalised from 2130706433 or 0x7f.1, IPv6 in brackets) is
 * not a public endpoint, or null when it may be one: a name is judged again, by its addresses, at delivery.
 */
export function hostRefusal(hostname: string): string | null {
  const host = unbracketed(hostname).replace(/\.$/, '');
  if (isIP(host)) {
    const range = nonPublicRange(host);
    return range && `${host} is not a public address (${range})`;
  }
  if (LOCAL_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return `${host} names this machine or its local network`;
  if (!host.includes('.')) return `${host} is a name of one label, which only a local network resolves`;
  return null;
}
