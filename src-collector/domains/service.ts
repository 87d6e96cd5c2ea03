import type { TrackingDomain } from '../../src-shared/tracking-domain';
import { trackingBaseUrl } from '../../src-shared/tracking-domain';
import type { TrackingDomainRecord } from '../store/domains/types';
import type { Store } from '../store/types';
import { domainSetup, type SetupOptions } from './setup';

export type SetDomainOutcome =
  | { ok: true; record: TrackingDomainRecord; previous: string | null }
  | { ok: false; code: 'domain_taken' | 'shared_host' | 'no_account'; message: string };

/** the record with what the admin has to do for it (DNS, nginx, certificate) */
export function describeDomain(rec: TrackingDomainRecord, setup: SetupOptions): TrackingDomain {
  return {
    host: rec.host,
    baseUrl: trackingBaseUrl(rec.host),
    createdAt: rec.createdAt,
    setup: domainSetup(rec.host, setup),
  };
}

/**
 * Sets the account's tracking host (already normalised). Refused: the collector's own shared
 * host (it must keep taking every account's tokens) and a host another account has.
 */
export async function setTrackingDomain(
  store: Store,
  accountId: string,
  host: string,
  sharedHosts: readonly string[],
): Promise<SetDomainOutcome> {
  if (sharedHosts.includes(host))
    return {
      ok: false,
      code: 'shared_host',
      message: `${host} is the collector's own address, shared by every account`,
    };
  const r = await store.trackingDomains.set(accountId, host);
  if (r.ok) return r;
  return r.reason === 'taken'
    ? { ok: false, code: 'domain_taken', message: `${host} is the tracking domain of another account` }
    : { ok: false, code: 'no_account', message: 'no such account' };
}
