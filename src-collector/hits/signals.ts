import type { IncomingHttpHeaders } from 'node:http';
import type { HitSignals } from '../classify/types';
import type { StoredSignals } from '../store/types';
import { ipPrefix, prefixNetwork } from '../util/ip';

const KEPT_HEADERS = ['sec-purpose', 'purpose', 'accept', 'x-moz', 'x-purpose'] as const;

export function signalsFromRequest(
  kind: HitSignals['kind'],
  method: string,
  ip: string,
  headers: IncomingHttpHeaders,
  extra: Pick<HitSignals, 'linkIndex' | 'action' | 'honeypot'> = {},
): HitSignals {
  const kept: HitSignals['headers'] = {};
  for (const name of KEPT_HEADERS) {
    const v = headers[name];
    if (typeof v === 'string') kept[name] = v.slice(0, 512);
  }
  const ua = headers['user-agent'];
  return {
    kind,
    ...extra,
    method,
    at: new Date(),
    ip,
    userAgent: typeof ua === 'string' ? ua.slice(0, 1024) : '',
    headers: kept,
  };
}

/** What survives to disk: the IP reduced to its prefix, the sender's prefixes beside it. */
export function toStoredSignals(s: HitSignals, senderIps: readonly string[]): StoredSignals {
  return storedSignals(s, ipPrefix(s.ip), senderPrefixes(senderIps));
}

/** The sender's addresses as stored: prefixes, each once. */
export function senderPrefixes(senderIps: readonly string[]): string[] {
  return [...new Set(senderIps.map(ipPrefix))];
}

/** toStoredSignals with the prefixes already computed (the hot path computes them once). */
export function storedSignals(s: HitSignals, prefix: string, senders: string[]): StoredSignals {
  const out: StoredSignals = {
    kind: s.kind,
    method: s.method,
    at: s.at.toISOString(),
    ipPrefix: prefix,
    userAgent: s.userAgent,
    headers: { ...s.headers } as Record<string, string>,
    senderPrefixes: senders,
  };
  if (s.action !== undefined) out.action = s.action;
  if (s.linkIndex !== undefined) out.linkIndex = s.linkIndex;
  if (s.honeypot !== undefined) out.honeypot = s.honeypot;
  return out;
}

/**
 * What fromStoredSignals(storedSignals(s, prefix, …)).signals gives, built without the round
 * trip: the classifier's context holds a hit exactly as it would read it back from disk.
 */
export function contextSignals(s: HitSignals, prefix: string): HitSignals {
  const out: HitSignals = {
    kind: s.kind,
    method: s.method,
    at: s.at,
    ip: prefixNetwork(prefix),
    userAgent: s.userAgent,
    headers: s.headers,
  };
  if (s.action !== undefined) out.action = s.action;
  if (s.linkIndex !== undefined) out.linkIndex = s.linkIndex;
  if (s.honeypot !== undefined) out.honeypot = s.honeypot;
  return out;
}

/**
 * Signals rebuilt from disk for reclassification. The full IPs are gone, so the hit and the
 * sender stand in with their prefixes' network addresses: owner ranges are wider than the
 * prefixes and a hit from the sender's own address still matches the sender.
 */
export function fromStoredSignals(s: StoredSignals): { signals: HitSignals; senderIps: string[] } {
  const signals: HitSignals = {
    kind: s.kind,
    method: s.method,
    at: new Date(s.at),
    ip: prefixNetwork(s.ipPrefix),
    userAgent: s.userAgent,
    headers: s.headers,
  };
  if (s.action !== undefined) signals.action = s.action;
  if (s.linkIndex !== undefined) signals.linkIndex = s.linkIndex;
  if (s.honeypot !== undefined) signals.honeypot = s.honeypot;
  return { signals, senderIps: s.senderPrefixes.map(prefixNetwork) };
}
