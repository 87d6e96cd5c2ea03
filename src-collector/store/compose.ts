import type { FileStore } from '../offers/files';
import type { TrackingDomainsStore } from './domains/types';
import type { ConsentStore } from './consent/types';
import type { EvidenceChainStore } from './evidence/types';
import type { OfferStore } from './offers/types';
import type { PrivacyStore } from './privacy/types';
import type { AccountsStore, EventsStore, HealthStore, MessagesStore, Store } from './types';

export interface StoreParts {
  accounts: AccountsStore;
  messages: MessagesStore;
  events: EventsStore;
  offers: OfferStore;
  /** issue 17: contacts' tracking consent */
  consent: ConsentStore;
  files: FileStore;
  health: HealthStore;
  evidenceChain: EvidenceChainStore;
  trackingDomains: TrackingDomainsStore;
  privacy: PrivacyStore;
  close(): Promise<void>;
}

/** an object's methods (own and inherited), bound to it */
function methods<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (let p: object | null = o; p && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const k of Object.getOwnPropertyNames(p)) {
      const v: unknown = (o as Record<string, unknown>)[k];
      if (k !== 'constructor' && !(k in out) && typeof v === 'function') out[k] = v.bind(o);
    }
  }
  return out as T;
}

/** One Store out of a dialect's aggregate modules (each implements its part of the contract). */
export function composeStore(p: StoreParts): Store {
  return {
    ...methods(p.offers),
    ...methods(p.events),
    ...methods(p.messages),
    ...methods(p.accounts),
    ...methods(p.health),
    ...methods(p.consent),
    files: p.files,
    evidenceChain: p.evidenceChain,
    trackingDomains: p.trackingDomains,
    privacy: p.privacy,
    close: p.close,
  };
}
