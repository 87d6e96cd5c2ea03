import { isIPv4, isIPv6 } from 'node:net';
import { boundedMemo } from './memo';

/** `::ffff:1.2.3.4` is an IPv4 client behind a dual-stack socket. */
export function normaliseIp(ip: string): string {
  const lower = ip.toLowerCase();
  if (lower.startsWith('::ffff:') && isIPv4(lower.slice(7))) return lower.slice(7);
  return lower;
}

/**
 * The stored form of a client address: /24 for IPv4, /48 for IPv6. The full address never
 * reaches the store. Remembered: prospects come back from the same few addresses, and the parse
 * (node's isIP regexes, splits) was 2 % of the event loop's time per stored hit.
 */
export const ipPrefix: (ip: string) => string = boundedMemo(computePrefix, 20_000);

function computePrefix(ip: string): string {
  const n = normaliseIp(ip);
  if (isIPv4(n)) {
    const p = n.split('.');
    return `${p[0]}.${p[1]}.${p[2]}.0/24`;
  }
  if (isIPv6(n)) {
    const groups = expandIPv6(n);
    if (groups) return `${groups.slice(0, 3).join(':')}::/48`;
  }
  return 'unknown';
}

/** The network address of a stored prefix: what reclassification passes as the hit's IP. */
export function prefixNetwork(prefix: string): string {
  const slash = prefix.indexOf('/');
  return slash === -1 ? prefix : prefix.slice(0, slash);
}

function expandIPv6(ip: string): string[] | null {
  let addr = ip;
  const zone = addr.indexOf('%');
  if (zone !== -1) addr = addr.slice(0, zone);
  // an embedded IPv4 tail becomes two hex groups
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(addr);
  if (v4?.[1]) {
    const o = v4[1].split('.').map(Number);
    const hi = (((o[0] ?? 0) << 8) | (o[1] ?? 0)).toString(16);
    const lo = (((o[2] ?? 0) << 8) | (o[3] ?? 0)).toString(16);
    addr = `${addr.slice(0, -v4[1].length)}${hi}:${lo}`;
  }
  const [head, tail] = addr.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? 0 : 8 - h.length - t.length;
  if (fill < 0) return null;
  const groups = [...h, ...Array<string>(fill).fill('0'), ...t];
  if (groups.length !== 8) return null;
  return groups.map((g) => (parseInt(g, 16) || 0).toString(16));
}

/** 127.0.0.0/8 and ::1: a caller on the collector's own computer. */
export function isLoopback(ip: string): boolean {
  const n = normaliseIp(ip);
  return n === '::1' || (isIPv4(n) && n.startsWith('127.'));
}
