import type { MeResponse } from '../../src-shared/api';
import { msg } from '../../src-shared/messages';
import { err, ok, type Result } from '../../src-shared/result';
import { normaliseTrackingHost, type TrackingDomain } from '../../src-shared/tracking-domain';
import type { CoreLogger } from './api';
import type { Cache } from './cache';
import type { CollectorClient } from './collector/client';
import type { CollectorError } from './collector/errors';
import { KEYS } from './settings';

/**
 * Issue 20: the account's own tracking domain on this desktop. The collector builds every
 * tracking URL (pixel, links, landing pages) from it when it registers a message, so a mail
 * sent from any desktop of the account uses it; this desktop keeps a copy for the settings view
 * (an admin changes it there, an agent sees which address links use), read again after pulls.
 */
export const TRACKING_DOMAIN_KEY = 'settings.trackingDomain';
/** how often the copy is read again after a pull (another desktop's admin may have changed it) */
export const TRACKING_DOMAIN_REFRESH_MS = 60_000;

export function cachedTrackingDomain(cache: Cache): TrackingDomain | null {
  return cache.meta.get<TrackingDomain | null>(TRACKING_DOMAIN_KEY) ?? null;
}

/**
 * the base the account's tracking links use: its domain once the collector verified it (it
 * reached itself through the name), else the collector's address
 */
export function trackingBase(cache: Cache): string | null {
  const d = cachedTrackingDomain(cache);
  return d && d.state === 'verified' ? d.baseUrl : (cache.meta.get<string>(KEYS.collectorUrl) ?? null);
}

function store(cache: Cache, d: TrackingDomain | null): boolean {
  const before = JSON.stringify(cachedTrackingDomain(cache));
  cache.meta.set(TRACKING_DOMAIN_KEY, d);
  return before !== JSON.stringify(d);
}

/** reads the account's domain from the collector; true when the copy here changed */
export async function refreshTrackingDomain(cache: Cache, client: CollectorClient): Promise<Result<boolean>> {
  const r = await client.getTrackingDomain();
  if (!r.ok) return r;
  return ok(store(cache, r.value.domain));
}

/** after pulls, at most once a minute; a failure is logged and tried again next time */
export function createTrackingDomainSync(deps: {
  cache: Cache;
  collector(): CollectorClient | null;
  log: CoreLogger;
  onChanged(): void;
  now?: () => number;
}) {
  let last = 0;
  let running: Promise<void> | null = null;
  const now = deps.now ?? Date.now;
  return {
    poll(force = false): Promise<void> {
      const client = deps.collector();
      if (!client || running) return running ?? Promise.resolve();
      if (!force && now() - last < TRACKING_DOMAIN_REFRESH_MS) return Promise.resolve();
      last = now();
      running = refreshTrackingDomain(deps.cache, client)
        .then((r) => {
          if (!r.ok)
            deps.log.warn({ code: r.error.code, detail: r.error.detail }, 'tracking domain not read');
          else if (r.value) deps.onChanged();
        })
        .finally(() => {
          running = null;
        });
      return running;
    },
  };
}

const domainErrors: Record<string, () => ReturnType<typeof msg>> = {
  domain_taken: () => msg('trackingDomainTaken'),
  shared_host: () => msg('trackingDomainShared'),
  invalid_request: () => msg('trackingDomainInvalid'),
};

function adminClient(cache: Cache, client: CollectorClient | null): Result<CollectorClient> {
  const me = cache.meta.get<MeResponse>(KEYS.me);
  if (!client || !me) return err({ code: 'not_configured', message: msg('trackingDomainNoCollector') });
  if (me.role !== 'admin') return err({ code: 'forbidden', message: msg('onlyAdminAccountSetting') });
  return ok(client);
}

function explained(e: CollectorError): CollectorError {
  const known = domainErrors[e.code];
  return known ? { ...e, message: known() } : e;
}

/** an admin sets the account's host name; the collector's answer is kept here */
export async function setTrackingDomain(
  cache: Cache,
  client: CollectorClient | null,
  input: string,
): Promise<Result<TrackingDomain | null>> {
  const host = normaliseTrackingHost(input);
  if (host === null) return err({ code: 'invalid_request', message: msg('trackingDomainInvalid') });
  const c = adminClient(cache, client);
  if (!c.ok) return c;
  const r = await c.value.putTrackingDomain(host);
  if (!r.ok) return err(explained(r.error));
  store(cache, r.value.domain);
  return ok(r.value.domain);
}

/** an admin has the collector probe the domain now (DNS, TLS, its own /healthz through it) */
export async function verifyTrackingDomain(
  cache: Cache,
  client: CollectorClient | null,
): Promise<Result<TrackingDomain | null>> {
  const c = adminClient(cache, client);
  if (!c.ok) return c;
  const r = await c.value.verifyTrackingDomain();
  if (!r.ok) return err(explained(r.error));
  store(cache, r.value.domain);
  return ok(r.value.domain);
}

/** an admin removes it: new links use the collector's address again */
export async function removeTrackingDomain(
  cache: Cache,
  client: CollectorClient | null,
): Promise<Result<null>> {
  const c = adminClient(cache, client);
  if (!c.ok) return c;
  const r = await c.value.deleteTrackingDomain();
  if (!r.ok) return err(explained(r.error));
  store(cache, null);
  return ok(null);
}
