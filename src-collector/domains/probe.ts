import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { request } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { DomainCheckFailure } from '../../src-shared/tracking-domain';

/**
 * Issue 20: does `https://{host}` reach THIS collector? Before an account's tracking domain goes
 * live the collector asks itself through the name: DNS resolves it, TLS presents a certificate
 * valid for it (the system's CAs, or `ca`), and `/healthz?probe={nonce}` answers with
 * HMAC(secret, host, nonce). The secret lives in the store (collector_secrets), so any instance
 * on the same store answers correctly and any other server — another Blitz collector included —
 * cannot: it never saw the secret, and the nonce is new for every probe.
 */

/** why a probe failed; the admin is told it in words (DOMAIN_CHECK_MESSAGES), the log gets `detail` */
export type ProbeFailure = DomainCheckFailure;

export interface ProbeResult {
  ok: boolean;
  code: ProbeFailure | null;
  /** the precise error: codes, addresses, status — for the log and the CLI */
  detail: string;
  /** what the name resolved to */
  addresses: string[];
}

export interface ProbeOptions {
  /** the resolver (dns.lookup's signature); tests map their host name to 127.0.0.1 with it */
  lookup?: LookupFunction;
  /** CAs to trust instead of the system's (tests: their own CA); never turns verification off */
  ca?: string | Buffer | (string | Buffer)[];
  /** default 443; tests run their TLS endpoint on a free port */
  port?: number;
  /** the whole probe, DNS to answer (default 10 s) */
  timeoutMs?: number;
  /**
   * where the admin was told to point the name (BLITZ_DOMAIN_TARGET / the public URL's host):
   * when the name resolves elsewhere and the server there is not this collector, the message
   * says so ("zeigt nicht auf diesen Server") instead of blaming TLS or HTTP
   */
  expectedTarget?: string;
  /**
   * probe a name that resolves to a loopback, private, link-local or other non-public address
   * (BLITZ_DOMAIN_PROBE_PRIVATE=1). Off by default: an account admin sets the name, and the
   * probe must not let them make the collector knock on its own network's internal services.
   */
  allowPrivate?: boolean;
}

/** BLITZ_DOMAIN_PROBE_CA: a PEM file of CAs to trust instead of the system's (a private CA) */
export function probeOptionsFromEnv(env: NodeJS.ProcessEnv): ProbeOptions {
  const file = env.BLITZ_DOMAIN_PROBE_CA;
  return {
    ...(file ? { ca: readFileSync(file) } : {}),
    ...(env.BLITZ_DOMAIN_PROBE_PRIVATE === '1' ? { allowPrivate: true } : {}),
  };
}

/** addresses no prospect on the internet reaches (IANA special-purpose registries, the common part) */
const NOT_PUBLIC = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  NOT_PUBLIC.addSubnet(net, bits, 'ipv6');

/** true when `address` is loopback, private, link-local, shared, multicast or reserved */
export function isNonPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return NOT_PUBLIC.check(address, 'ipv4');
  if (family !== 6) return true;
  // ::ffff:10.0.0.1 reaches 10.0.0.1
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return NOT_PUBLIC.check(mapped[1]!, 'ipv4');
  return NOT_PUBLIC.check(address, 'ipv6');
}

const PROBE_PREFIX = 'blitz-domain-probe';
const MAX_BODY = 4096;

/** what /healthz answers to `?probe=nonce` on `host` */
export function probeAnswer(secret: string, host: string, nonce: string): string {
  return createHmac('sha256', secret).update(`${PROBE_PREFIX}\n${host}\n${nonce}`).digest('base64url');
}

/** a nonce /healthz takes: base64url, 16–128 characters */
export function isProbeNonce(v: unknown): v is string {
  return typeof v === 'string' && /^[A-Za-z0-9_-]{16,128}$/.test(v);
}

function resolveAll(lookup: LookupFunction, host: string): Promise<LookupAddress[]> {
  return new Promise((res, rej) => {
    const opts: LookupOptions = { all: true };
    lookup(host, opts, (err, addresses) => {
      if (err) rej(err);
      else if (typeof addresses === 'string') res([{ address: addresses, family: isIP(addresses) || 4 }]);
      else res(addresses);
    });
  });
}

/** a resolver that answers only `addresses` (the connection uses what the DNS step found) */
function pinned(addresses: LookupAddress[]): LookupFunction {
  return (_host, options, cb) => {
    if (options.all) cb(null, addresses);
    else cb(null, addresses[0]!.address, addresses[0]!.family);
  };
}

const TLS_EXPIRED = new Set(['CERT_HAS_EXPIRED']);
const TLS_WRONG_NAME = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
const TLS_UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
]);
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EADDRNOTAVAIL',
  'probe_timeout',
]);

function classify(e: NodeJS.ErrnoException): ProbeFailure {
  const code = e.code ?? '';
  if (TLS_EXPIRED.has(code)) return 'tls_expired';
  if (TLS_WRONG_NAME.has(code)) return 'tls_wrong_name';
  if (TLS_UNTRUSTED.has(code)) return 'tls_untrusted';
  if (UNREACHABLE.has(code)) return 'unreachable';
  if (code.startsWith('ERR_SSL') || code === 'EPROTO' || /ssl|tls/i.test(e.message)) return 'tls_failed';
  return 'unreachable';
}

interface Answer {
  status: number;
  body: string;
}

function get(
  host: string,
  path: string,
  addresses: LookupAddress[],
  opts: ProbeOptions,
  signal: AbortSignal,
): Promise<Answer> {
  return new Promise((res, rej) => {
    const r = request(
      {
        host,
        port: opts.port ?? 443,
        path,
        method: 'GET',
        lookup: pinned(addresses),
        servername: host,
        ca: opts.ca,
        // each probe on a fresh connection: a pooled socket would skip the handshake it checks
        agent: false,
        signal,
        headers: { host, accept: 'application/json', 'user-agent': 'blitz-collector domain probe' },
      },
      (resp) => {
        let body = '';
        resp.setEncoding('utf8');
        resp.on('data', (d: string) => {
          body += d;
          if (body.length > MAX_BODY) resp.destroy();
        });
        resp.on('end', () => res({ status: resp.statusCode ?? 0, body }));
        resp.on('close', () => res({ status: resp.statusCode ?? 0, body }));
        resp.on('error', rej);
      },
    );
    r.on('error', rej);
    r.end();
  });
}

async function targetAddresses(
  lookup: LookupFunction,
  target: string | undefined,
): Promise<Set<string> | null> {
  if (!target) return null;
  const t = target.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (isIP(t)) return new Set([t]);
  try {
    return new Set((await resolveAll(lookup, t)).map((a) => a.address));
  } catch {
    return null;
  }
}

/** Probes `https://{host}/healthz` for this collector's answer (see the module comment). */
export async function probeDomain(
  host: string,
  secret: string,
  opts: ProbeOptions = {},
): Promise<ProbeResult> {
  const lookup = opts.lookup ?? (dnsLookup as LookupFunction);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(lookup, host);
    if (addresses.length === 0) throw Object.assign(new Error(`no address for ${host}`), { code: 'ENODATA' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return {
      ok: false,
      code: 'dns_not_found',
      detail: `DNS lookup of ${host} failed: ${err.code ?? 'error'} ${err.message}`,
      addresses: [],
    };
  }
  const list = addresses.map((a) => a.address);
  const internal = list.filter(isNonPublicAddress);
  if (internal.length > 0 && !opts.allowPrivate)
    // refused before any connection: nothing on the internal address learns of the probe
    return {
      ok: false,
      code: 'private_address',
      detail: `${host} resolves to ${internal.join(', ')}, not a public address; not probed (BLITZ_DOMAIN_PROBE_PRIVATE=1 allows it)`,
      addresses: list,
    };
  const target = await targetAddresses(lookup, opts.expectedTarget);
  const elsewhere = target !== null && !list.some((a) => target.has(a));
  const wrongTarget = (why: string): ProbeResult => ({
    ok: false,
    code: 'dns_wrong_target',
    detail: `${host} resolves to ${list.join(', ')}, not to ${opts.expectedTarget} (${[...target!].join(', ')}); ${why}`,
    addresses: list,
  });

  const nonce = randomBytes(24).toString('base64url');
  const ac = new AbortController();
  const timer = setTimeout(
    () => ac.abort(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'probe_timeout' })),
    timeoutMs,
  );
  let answer: Answer;
  try {
    answer = await get(host, `/healthz?probe=${nonce}`, addresses, opts, ac.signal);
  } catch (e) {
    const err = (ac.signal.aborted ? ac.signal.reason : e) as NodeJS.ErrnoException;
    const code = classify(err);
    const detail = `https://${host}:${opts.port ?? 443}/healthz (${list.join(', ')}): ${err.code ?? 'error'} ${err.message}`;
    if (elsewhere && (code === 'unreachable' || code === 'tls_wrong_name' || code === 'tls_untrusted'))
      return wrongTarget(detail);
    return { ok: false, code, detail, addresses: list };
  } finally {
    clearTimeout(timer);
  }

  const expected = Buffer.from(probeAnswer(secret, host, nonce));
  let given: unknown;
  try {
    given = (JSON.parse(answer.body) as { probe?: unknown }).probe;
  } catch {
    given = undefined;
  }
  if (
    answer.status === 200 &&
    typeof given === 'string' &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), expected)
  )
    return {
      ok: true,
      code: null,
      detail: `https://${host}/healthz answered as this collector`,
      addresses: list,
    };
  const why =
    answer.status !== 200
      ? `HTTP ${answer.status}`
      : typeof given === 'string'
        ? 'HTTP 200 with a probe answer that is not this collector’s (another collector or server)'
        : 'HTTP 200 without a probe answer (not a Blitz collector, or an old one)';
  const detail = `https://${host}:${opts.port ?? 443}/healthz (${list.join(', ')}): ${why}`;
  if (elsewhere) return wrongTarget(detail);
  return { ok: false, code: 'not_this_collector', detail, addresses: list };
}
