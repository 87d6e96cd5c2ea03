/**
 * IP parsing for the classifier. Addresses become fixed-width integers so that range lookups are
 * plain integer comparisons: IPv4 as one unsigned 32-bit number, IPv6 as four unsigned 32-bit words.
 */

export type ParsedIp = { v: 4; n: number } | { v: 6; w: [number, number, number, number] };

function parseV4(s: string): number | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const octet = Number(p);
    if (octet > 255) return null;
    n = n * 256 + octet;
  }
  return n;
}

function parseV6(s: string): [number, number, number, number] | null {
  let text = s;
  // An embedded dotted quad (e.g. ::ffff:192.0.2.1) stands for the last two groups.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseV4(tail);
    if (v4 === null) return null;
    text = `${text.slice(0, lastColon + 1)}${Math.floor(v4 / 65536).toString(16)}:${(v4 % 65536).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] === '' ? [] : (halves[0] ?? '').split(':');
  const rest = halves.length === 2 ? (halves[1] === '' ? [] : (halves[1] ?? '').split(':')) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const nums: number[] = [];
  for (const g of groups) {
    if (!/^[0-9a-f]{1,4}$/i.test(g)) return null;
    nums.push(parseInt(g, 16));
  }
  const w: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) w[i] = ((nums[2 * i] ?? 0) * 65536 + (nums[2 * i + 1] ?? 0)) >>> 0;
  return w;
}

/** Plain dotted-quad text, the common case, without splitting or regular expressions; else null. */
function quickV4(s: string): number | null {
  let n = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return null;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return null;
      n = n * 256 + octet;
      octet = 0;
      digits = 0;
    } else return null;
  }
  if (dots !== 3 || digits === 0) return null;
  return n * 256 + octet;
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 (::ffff:a.b.c.d, as Node reports) becomes IPv4. */
export function parseIp(input: string): ParsedIp | null {
  const quick = quickV4(input);
  if (quick !== null) return { v: 4, n: quick };
  const s = input
    .trim()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  if (s.includes(':')) {
    const w = parseV6(s);
    if (!w) return null;
    if (w[0] === 0 && w[1] === 0 && w[2] === 0xffff) return { v: 4, n: w[3] };
    return { v: 6, w };
  }
  const n = parseV4(s);
  return n === null ? null : { v: 4, n };
}

export interface ParsedCidr {
  v: 4 | 6;
  /** first and last address: IPv4 as [n], IPv6 as four words */
  start: number[];
  end: number[];
  prefix: number;
}

/** Parses `a.b.c.d/len` or `x:y::/len`; host bits set below the prefix are ignored. */
export function parseCidr(cidr: string): ParsedCidr | null {
  const [addr, lenText] = cidr.split('/');
  if (addr === undefined) return null;
  const ip = parseIp(addr);
  if (!ip) return null;
  const max = ip.v === 4 ? 32 : 128;
  const prefix = lenText === undefined ? max : Number(lenText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  if (ip.v === 4) {
    const size = 2 ** (32 - prefix);
    const start = Math.floor(ip.n / size) * size;
    return { v: 4, start: [start], end: [start + size - 1], prefix };
  }
  const start: number[] = [];
  const end: number[] = [];
  for (let i = 0; i < 4; i++) {
    const bits = Math.min(32, Math.max(0, prefix - 32 * i));
    const word = ip.w[i] ?? 0;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    start.push((word & mask) >>> 0);
    end.push((word | ~mask) >>> 0);
  }
  return { v: 6, start, end, prefix };
}

/**
 * "The same network" for burst detection where no known range says more: the same /24 for IPv4,
 * the same /48 for IPv6 (one site; a provider's scanner fleet spans many hosts of it). Compared as
 * numbers, not as key strings: it runs against each of a message's recent hits for every new one.
 */
export function sameCoarseNetwork(a: ParsedIp, b: ParsedIp): boolean {
  if (a.v === 4 && b.v === 4) return Math.floor(a.n / 256) === Math.floor(b.n / 256);
  if (a.v === 6 && b.v === 6)
    return a.w[0] === b.w[0] && Math.floor(a.w[1] / 65536) === Math.floor(b.w[1] / 65536);
  return false;
}

/** Same host, or for IPv6 the same /64 (privacy addresses rotate the interface part). */
export function sameHost(a: ParsedIp, b: ParsedIp): boolean {
  if (a.v === 4 && b.v === 4) return a.n === b.n;
  if (a.v === 6 && b.v === 6) return a.w[0] === b.w[0] && a.w[1] === b.w[1];
  return false;
}

export function formatIp(ip: ParsedIp): string {
  if (ip.v === 4) return [24, 16, 8, 0].map((s) => Math.floor(ip.n / 2 ** s) % 256).join('.');
  const groups: string[] = [];
  for (const w of ip.w) groups.push((w >>> 16).toString(16), (w & 0xffff).toString(16));
  return groups.join(':');
}

/**
 * The same office network (issue 21): IPv4 /24, IPv6 /56. An office line gets a single static
 * address or a small block (/29…/24) in IPv4, and its other devices or a second line of the same
 * provider leave from neighbouring addresses; in IPv6 the provider delegates a /56 (RIPE-690's
 * recommendation for small business and homes; some give a /48) and each of the office's LANs
 * or each rotation gets a /64 inside it. A /48 would also cover up to 255 other customers of the
 * same provider that were each given a /56, so /56 is the widest block that is still one office.
 */
export function sameOfficeBlock(a: ParsedIp, b: ParsedIp): boolean {
  if (a.v === 4 && b.v === 4) return Math.floor(a.n / 256) === Math.floor(b.n / 256);
  if (a.v === 6 && b.v === 6) return a.w[0] === b.w[0] && a.w[1] >>> 8 === b.w[1] >>> 8;
  return false;
}
