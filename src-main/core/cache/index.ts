import { createConsentRepo } from './consent';
import { AUTOCHECKPOINT_PAGES, openCacheDb } from './db';
import { createDraftsRepo } from './drafts';
import { createErasedRepo } from './erased';
import { migrate } from './migrations';
import { createOutboxRepo } from './outbox';
import { cacheCore } from './sync-cache';
import { gateWrites, newWriteGate, uiSide } from './write-gate';
import { createLandingRepo } from '../landing/store';
import { createLegalRepo } from '../legal/store';
import { createOffersRepo } from '../offers/store';
import { createPropertiesRepo } from '../properties/store';

export type {
  ActivityRecipient,
  ActivityRecord,
  ActivityFilter,
  NewActivity,
  StoredAttachment,
} from './activities';
export type { ApplyOutcome, StoredEvent } from './events';
export type { Delivery, DeliveryState, OutboxRecord } from './outbox';
export type { SyncCache } from './sync-cache';

/** The desktop's local cache: everything the app shows, readable offline. */
export function openCache(file: string) {
  const db = openCacheDb(file);
  // this connection's writes go ahead of the sync writer's next page (write-gate.ts)
  const writeGate = newWriteGate();
  gateWrites(db, uiSide(writeGate));
  migrate(db);
  return {
    ...cacheCore(db),
    /** the words the sync's writing thread shares with this connection's writes (write-gate.ts) */
    writeGate,
    outbox: createOutboxRepo(db),
    properties: createPropertiesRepo(db),
    legal: createLegalRepo(db),
    /** AGB and Datenschutzerklärung, versioned like the Widerrufsbelehrung */
    documents: createLegalRepo(db, 'legal_documents'),
    landing: createLandingRepo(db),
    offers: createOffersRepo(db),
    drafts: createDraftsRepo(db),
    /** issue 17: contacts' tracking modes and consent, consent links per delivery */
    consent: createConsentRepo(db),
    /** issue 17: what the collector deleted, and an admin's erasure on this computer */
    erased: createErasedRepo(db),
    /**
     * Whether commits on THIS connection checkpoint the WAL. Off on the UI's connection while the
     * sync's writer thread fills the cache: a checkpoint of a first sync's WAL takes long enough
     * to be felt if a small write of the UI happens to trigger it; the writer checkpoints instead.
     */
    autoCheckpoint(on: boolean): void {
      db.pragma(`wal_autocheckpoint = ${on ? AUTOCHECKPOINT_PAGES : 0}`);
    },
  };
}
export type Cache = ReturnType<typeof openCache>;
