import type { TrackingDomain } from '../../src-shared/tracking-domain';
import { messagesDe } from '../../src-shared/i18n/messages-de';
import type { MessageKey } from '../../src-shared/messages';
import { DOMAIN_CHECK_MESSAGES, DomainCheckFailure, trackingBaseUrl } from '../../src-shared/tracking-domain';
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
    state: rec.state,
    verifiedAt: rec.verifiedAt,
    lastCheck: rec.lastCheck,
    nextCheckAt: rec.nextCheckAt,
  };
}

/**
 * The state in German words, for the CLI (the desktop translates the same message keys): what
 * the admin reads after `domain set|verify|list`.
 */
export function stateInWords(rec: TrackingDomainRecord): string {
  const failure = rec.lastCheck && !rec.lastCheck.ok ? checkFailureDe(rec.host, rec.lastCheck.code) : null;
  if (rec.state === 'verified')
    return failure
      ? `IN VERWENDUNG, ABER DIE LETZTE PRÜFUNG IST FEHLGESCHLAGEN (${rec.lastCheck!.at}): ${failure} Bereits versandte Links zeigen auf ${rec.host}: sofort beheben (docs/operations.md).`
      : `geprüft${rec.verifiedAt ? ` seit ${rec.verifiedAt}` : ''}: neue Links verwenden https://${rec.host}.`;
  if (rec.state === 'failed')
    return `Prüfung fehlgeschlagen (${rec.lastCheck?.at ?? '?'}): ${failure ?? ''} Neue Links verwenden weiter die Adresse des Collectors; nächste Prüfung ${rec.nextCheckAt ?? 'bald'} (oder: domain verify).`;
  return 'wartet auf die Prüfung: neue Links verwenden weiter die Adresse des Collectors.';
}

function checkFailureDe(host: string, code: string | null): string {
  const parsed = DomainCheckFailure.safeParse(code);
  const key: MessageKey = parsed.success ? DOMAIN_CHECK_MESSAGES[parsed.data] : 'trackingDomainCheckFailed';
  return messagesDe[key].replace(/\{\{host\}\}/g, host);
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
