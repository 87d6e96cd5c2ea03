import { BlockList, isIP, isIPv4 } from 'node:net';

/**
 * The client address as fastify's `trustProxy` gives it (fastify hands the setting to
 * @fastify/proxy-addr, which is not a dependency of ours): the socket's address and the
 * X-Forwarded-For entries from the right form one chain; the walk stops at the first address
 * that is not trusted, and that address is the client. `null` when an address on the walk is
 * written in a form only proxy-addr's parser accepts (e.g. `127.1`, a zone id): the request then
 * goes to fastify, so the answer never differs from its.
 */
export type ClientIp = (socketAddr: string, xff: string | undefined) => string | null;

const PRESETS: Record<string, readonly string[]> = {
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  loopback: ['127.0.0.1/8', '::1/128'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

const TRUST_MEMO = 1024;

/** `null` when the setting uses a form this module does not mirror exactly (fastify decides then). */
export function compileClientIp(trustProxy: boolean | string): ClientIp | null {
  if (trustProxy === false) return (socketAddr) => socketAddr;
  if (trustProxy === true) {
    // everything trusted: the leftmost entry, whatever it says (as proxy-addr with trust-all)
    return (socketAddr, xff) => {
      const chain = forwardedChain(socketAddr, xff);
      return chain[chain.length - 1] ?? socketAddr;
    };
  }
  const v4 = new BlockList();
  const v6 = new BlockList();
  for (const entry of trustProxy.split(',').map((s) => s.trim())) {
    for (const note of PRESETS[entry] ?? [entry]) {
      if (!addSubnet(note, v4, v6)) return null;
    }
  }
  // BlockList.check builds a SocketAddress for every call (4 % of a pixel hit's time behind a
  // proxy); the addresses checked are the proxies' own, a handful, so each is decided once
  const decided = new Map<string, boolean | null>();
  const trusted = (addr: string): boolean | null => {
    const known = decided.get(addr);
    if (known !== undefined) return known;
    const a = canonical(addr);
    const t = a === null ? null : a.family === 'ipv4' ? v4.check(a.ip, 'ipv4') : v6.check(a.ip, 'ipv6');
    // bounded: forged X-Forwarded-For chains can name any number of addresses
    if (decided.size >= TRUST_MEMO) decided.clear();
    decided.set(addr, t);
    return t;
  };
  return (socketAddr, xff) => {
    const chain = forwardedChain(socketAddr, xff);
    for (let i = 0; i < chain.length - 1; i++) {
      const t = trusted(chain[i]!);
      if (t === null) return null;
      if (!t) return chain[i]!;
    }
    return chain[chain.length - 1] ?? socketAddr;
  };
}

/** proxy-addr's notations: `ip`, `ip/bits`, `ipv4/netmask`; IPv4-mapped subnets are left to fastify. */
function addSubnet(note: string, v4: BlockList, v6: BlockList): boolean {
  const slash = note.lastIndexOf('/');
  const addr = slash === -1 ? note : note.slice(0, slash);
  if (addr.includes('%')) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  // IPv4-mapped subnets match across families in proxy-addr: not mirrored here
  if (family === 6 && addr.toLowerCase().includes('ffff')) return false;
  const max = family === 4 ? 32 : 128;
  let bits = max;
  if (slash !== -1) {
    const range = note.slice(slash + 1);
    if (/^\d+$/.test(range)) bits = Number(range);
    else if (family === 4 && isIPv4(range)) {
      const m = maskBits(range);
      if (m === null) return false;
      bits = m;
    } else return false;
  }
  if (bits <= 0 || bits > max) return false;
  if (family === 4) v4.addSubnet(addr, bits, 'ipv4');
  else v6.addSubnet(addr, bits, 'ipv6');
  return true;
}

function maskBits(mask: string): number | null {
  const n = mask.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  let bits = 0;
  for (let bit = 31; bit >= 0; bit--) {
    if (Math.floor(n / 2 ** bit) % 2 === 1) bits++;
    else break;
  }
  // a contiguous mask only: every bit after the first 0 must be 0
  return n === (bits === 0 ? 0 : 2 ** 32 - 2 ** (32 - bits)) ? bits : null;
}

/** An IPv4-mapped address counts as its IPv4 address (as in proxy-addr). */
function canonical(addr: string): { ip: string; family: 'ipv4' | 'ipv6' } | null {
  if (addr.includes('%')) return null;
  const family = isIP(addr);
  if (family === 4) return { ip: addr, family: 'ipv4' };
  if (family !== 6) return null;
  const lower = addr.toLowerCase();
  if (lower.startsWith('::ffff:')) {
    const tail = lower.slice(7);
    if (isIPv4(tail)) return { ip: tail, family: 'ipv4' };
    // ::ffff:7f00:1 and other spellings of a mapped address: left to fastify
    return null;
  }
  return { ip: addr, family: 'ipv6' };
}

/**
 * The socket's address, then X-Forwarded-For's entries from the right, blanks trimmed and empty
 * entries dropped (@fastify/forwarded's parse).
 */
export function forwardedChain(socketAddr: string, xff: string | undefined): string[] {
  const out = [socketAddr];
  if (!xff) return out;
  if (!xff.includes(',')) {
    const one = xff.trim();
    if (one !== '') out.push(one);
    return out;
  }
  const parts = xff.split(',');
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!.replace(/^[ \t]+|[ \t]+$/g, '');
    if (p !== '') out.push(p);
  }
  return out;
}

/**
 * Whether the socket's peer is a proxy `trustProxy` trusts (issue 20: only such a peer's
 * X-Forwarded-Host may name the host, when BLITZ_TRUST_FORWARDED_HOST says so). A setting this
 * module cannot read trusts nobody.
 */
export function compileTrustedPeer(
  trustProxy: boolean | string,
): (socketAddr: string | undefined) => boolean {
  if (trustProxy === false) return () => false;
  if (trustProxy === true) return (a) => a !== undefined;
  const v4 = new BlockList();
  const v6 = new BlockList();
  for (const entry of trustProxy.split(',').map((s) => s.trim())) {
    for (const note of PRESETS[entry] ?? [entry]) {
      if (!addSubnet(note, v4, v6)) return () => false;
    }
  }
  return (addr) => {
    const a = addr === undefined ? null : canonical(addr);
    if (a === null) return false;
    return a.family === 'ipv4' ? v4.check(a.ip, 'ipv4') : v6.check(a.ip, 'ipv6');
  };
}
