import { z } from 'zod';

/**
 * Issue 20: an account's own tracking domain (`t.muster-immobilien.de`), the host name its
 * pixels, click links and landing pages use instead of the collector's shared one. The wire
 * shapes of `GET|PUT|DELETE /api/v1/tracking-domain` and the host name rules both sides apply.
 */

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host name as DNS and TLS certificates know it: lower case, ASCII (an umlaut domain in its
 * xn-- form), at least two labels, no port, no IP address, no wildcard. Null when it is none.
 */
export function normaliseTrackingHost(input: string): string | null {
  let h = input.trim().toLowerCase();
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === '' || h.length > 253 || /[/:@\s*]/.test(h)) return null;
  let ascii: string;
  try {
    // the WHATWG parser turns „müller-immobilien.de“ into its punycode form
    ascii = new URL(`http://${h}/`).hostname;
  } catch {
    return null;
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return null;
  // an IPv4 address parses as a host too; a TLD is never all digits
  if (/^\d+$/.test(labels[labels.length - 1] as string)) return null;
  return ascii;
}

export const TrackingHost = z
  .string()
  .max(260)
  .transform((s, ctx) => {
    const h = normaliseTrackingHost(s);
    if (h === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be a host name such as t.muster-immobilien.de (no scheme, port, path or IP address)',
      });
      return z.NEVER;
    }
    return h;
  });

export const SetTrackingDomainRequest = z.object({ host: TrackingHost }).strict();
export type SetTrackingDomainRequest = z.input<typeof SetTrackingDomainRequest>;

/** what the admin has to do outside Blitz so the host reaches this collector with TLS */
export const TrackingDomainSetup = z.object({
  /** the DNS record to create at the domain's DNS provider */
  dns: z.object({
    type: z.enum(['CNAME', 'A', 'AAAA']),
    name: z.string(),
    value: z.string(),
    /** the zone-file line, e.g. `t.muster-immobilien.de. 3600 IN CNAME collector.example.` */
    record: z.string(),
  }),
  /** a server block for the nginx in front of the collector (docs/operations.md) */
  nginx: z.string(),
  /** ACME client commands for the certificate, webroot (HTTP-01) and DNS (DNS-01) */
  acme: z.object({
    certbotWebroot: z.string(),
    certbotDns: z.string(),
    acmeShWebroot: z.string(),
    acmeShDns: z.string(),
  }),
});
export type TrackingDomainSetup = z.infer<typeof TrackingDomainSetup>;

/**
 * Why the collector could not reach itself through the domain (src-collector/domains/probe.ts);
 * each has a message for the admin (DOMAIN_CHECK_MESSAGES).
 */
export const DomainCheckFailure = z.enum([
  'dns_not_found',
  'dns_wrong_target',
  'private_address',
  'unreachable',
  'tls_expired',
  'tls_wrong_name',
  'tls_untrusted',
  'tls_failed',
  'not_this_collector',
]);
export type DomainCheckFailure = z.infer<typeof DomainCheckFailure>;

/** the message key (src-shared/i18n) telling an admin what failed; params: `{ host }` */
export const DOMAIN_CHECK_MESSAGES = {
  dns_not_found: 'trackingDomainCheckDnsNotFound',
  dns_wrong_target: 'trackingDomainCheckDnsWrongTarget',
  private_address: 'trackingDomainCheckPrivateAddress',
  unreachable: 'trackingDomainCheckUnreachable',
  tls_expired: 'trackingDomainCheckTlsExpired',
  tls_wrong_name: 'trackingDomainCheckTlsWrongName',
  tls_untrusted: 'trackingDomainCheckTlsUntrusted',
  tls_failed: 'trackingDomainCheckTlsFailed',
  not_this_collector: 'trackingDomainCheckNotThisCollector',
} as const satisfies Record<DomainCheckFailure, string>;

/** the last probe of a domain: passed, or what failed (code) and precisely how (detail) */
export const TrackingDomainCheck = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** a DomainCheckFailure; a string so that a newer collector's code does not break an older desktop */
  code: z.string().nullable(),
  detail: z.string().nullable(),
});
export type TrackingDomainCheck = z.infer<typeof TrackingDomainCheck>;

/**
 * pending: not yet reached through the name, new links keep the collector's address; failed:
 * the probe failed (retried with backoff); verified: live, new links use it (a later failed
 * probe leaves it live and shows in lastCheck)
 */
export const TrackingDomainState = z.enum(['pending', 'verified', 'failed']);
export type TrackingDomainState = z.infer<typeof TrackingDomainState>;

export const TrackingDomain = z.object({
  host: z.string(),
  /** the base of the account's tracking URLs once verified: `https://{host}` */
  baseUrl: z.string(),
  createdAt: z.string(),
  setup: TrackingDomainSetup,
  // a collector before the probe knew no states: its domains were live
  state: TrackingDomainState.default('verified'),
  verifiedAt: z.string().nullable().default(null),
  lastCheck: TrackingDomainCheck.nullable().default(null),
  /** when the collector probes it again by itself */
  nextCheckAt: z.string().nullable().default(null),
});
export type TrackingDomain = z.infer<typeof TrackingDomain>;

/** GET/PUT/DELETE answer: the account's domain, null when it uses the collector's own address */
export const TrackingDomainResponse = z.object({ domain: TrackingDomain.nullable() });
export type TrackingDomainResponse = z.infer<typeof TrackingDomainResponse>;

/** the base URL tracking links of an account with `host` use */
export function trackingBaseUrl(host: string): string {
  return `https://${host}`;
}
