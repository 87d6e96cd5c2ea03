import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { trackingBaseUrl } from '../../src-shared/tracking-domain';
import type { TrackingDomainsStore } from '../store/domains/types';
import { compileTrustedPeer } from '../hits/client-ip';

export interface HostMapOptions {
  /** fastify's trustProxy setting (BLITZ_TRUST_PROXY) */
  trustProxy: boolean | string;
  /**
   * believe X-Forwarded-Host from a trusted proxy (BLITZ_TRUST_FORWARDED_HOST=1); off, the Host
   * header alone names the host (nginx: `proxy_set_header Host $host;`)
   */
  trustForwardedHost: boolean;
  /** how often the map is read again, so another instance's change is seen (default 10 s) */
  refreshMs?: number;
}

/** `Host: T.Muster-Immobilien.de:443` → `t.muster-immobilien.de`; undefined when absent */
export function hostName(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  let h = value.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end === -1 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  if (colon !== -1) h = h.slice(0, colon);
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

/**
 * Issue 20: which account owns the host a public request came in on. Kept in memory (every hit
 * asks, so it must not cost a query) and read again every `refreshMs`; a change made through
 * this instance applies at once. A host nobody configured — the collector's shared address —
 * takes every account's tokens, so links sent before a domain was set keep working.
 */
export class HostMap {
  private byHost = new Map<string, string>();
  private byAccount = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;
  private readonly trustedPeer: (addr: string | undefined) => boolean;
  private readonly trustForwardedHost: boolean;
  /** last warning per host, so a flood of foreign tokens is one log line per host every 10 s */
  private readonly warned = new Map<string, { at: number; more: number }>();

  constructor(
    private readonly store: TrackingDomainsStore,
    private readonly log: Logger,
    private readonly opts: HostMapOptions,
  ) {
    this.trustedPeer = compileTrustedPeer(opts.trustProxy);
    this.trustForwardedHost = opts.trustForwardedHost;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      this.refresh().catch((e: unknown) => this.log.warn({ err: e }, 'tracking domains not re-read'));
    }, this.opts.refreshMs ?? 10_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async refresh(): Promise<void> {
    const rows = await this.store.list();
    this.byHost = new Map(rows.map((r) => [r.host, r.accountId]));
    // new links only on a domain that passed its probe (domains/verifier.ts); a pending one still
    // refuses other accounts' tokens and serves no API, like a live one
    this.byAccount = new Map(rows.filter((r) => r.state === 'verified').map((r) => [r.accountId, r.host]));
  }

  /** the account's live host, undefined when it uses the collector's own address */
  hostOf(accountId: string): string | undefined {
    return this.byAccount.get(accountId);
  }

  /** the base of the account's tracking URLs: its domain, else `fallback` (the public URL) */
  baseUrlFor(accountId: string, fallback: string): string {
    const h = this.byAccount.get(accountId);
    return h === undefined ? fallback : trackingBaseUrl(h);
  }

  /** the host the request names: X-Forwarded-Host only from a trusted proxy and when allowed */
  requestHost(headers: IncomingHttpHeaders, socketAddr: string | undefined): string | undefined {
    if (this.trustForwardedHost) {
      const xfh = headers['x-forwarded-host'];
      if (typeof xfh === 'string' && xfh !== '' && this.trustedPeer(socketAddr)) {
        const comma = xfh.indexOf(',');
        return hostName(comma === -1 ? xfh : xfh.slice(0, comma));
      }
    }
    return hostName(headers.host);
  }

  /** true when the request came in on any account's tracking domain */
  onTrackingDomain(headers: IncomingHttpHeaders, socketAddr: string | undefined): boolean {
    if (this.byHost.size === 0) return false;
    const host = this.requestHost(headers, socketAddr);
    return host !== undefined && this.byHost.has(host);
  }

  /**
   * The host when the request came in on another account's tracking domain (and the token
   * must not be served there), else null. Logs it, throttled per host.
   */
  foreign(
    headers: IncomingHttpHeaders,
    socketAddr: string | undefined,
    tokenAccountId: string,
    route: 'pixel' | 'click' | 'landing' | 'consent',
  ): string | null {
    if (this.byHost.size === 0) return null;
    const host = this.requestHost(headers, socketAddr);
    if (host === undefined) return null;
    const owner = this.byHost.get(host);
    if (owner === undefined || owner === tokenAccountId) return null;
    const now = Date.now();
    const w = this.warned.get(host);
    if (w && now - w.at < 10_000) w.more++;
    else {
      if (this.warned.size > 1000) this.warned.clear();
      this.warned.set(host, { at: now, more: 0 });
      this.log.warn(
        { host, route, hostAccountId: owner, tokenAccountId, since: w?.more ?? 0 },
        "another account's token on a tracking domain: not recorded, not served",
      );
    }
    return host;
  }
}
