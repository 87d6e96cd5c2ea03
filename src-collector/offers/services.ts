import type { Store } from '../store/types';
import type { OfferStore } from '../store/offers/types';
import type { FileStore } from './files';

/** What the offer routes need, opened once beside the collector's store. */
export interface OfferServices {
  offers: OfferStore;
  files: FileStore;
  /** HMAC key of the pages' CSRF tokens; stored so every instance and restart agrees */
  secret: Buffer;
  onStatusChanged(listener: (offerId: string) => void): void;
  statusChanged(offerId: string): void;
  close(): Promise<void>;
}

/** The offers' part of the store and its files, with the landing pages' CSRF key. */
export async function openOfferServices(store: Store): Promise<OfferServices> {
  return assemble(store, store.files, await store.secret('landing-csrf'));
}

/** `close` ends only the listeners: the store (offers and files) is closed by its owner */
export function assemble(offers: OfferStore, files: FileStore, secret: Buffer): OfferServices {
  const listeners = new Set<(offerId: string) => void>();
  return {
    offers,
    files,
    secret,
    onStatusChanged: (l) => listeners.add(l),
    statusChanged: (offerId) => {
      for (const l of listeners) l(offerId);
    },
    close: async () => {
      listeners.clear();
    },
  };
}
