import Database from 'better-sqlite3';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';
import { createActivitiesRepo } from './activities';
import { createConsentRepo } from './consent';
import { createContactsRepo } from './contacts';
import { createDraftsRepo } from './drafts';
import { createEventsRepo } from './events';
import { createMetaRepo } from './meta';
import { createErasedRepo } from './erased';
import { migrate } from './migrations';
import { createOutboxRepo } from './outbox';
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

const AUTOCHECKPOINT_PAGES = 10_000;

/** The desktop's local cache: everything the app shows, readable offline. */
export function openCache(file: string) {
  // private: contacts, subjects, the offline evidence copy (src-shared/private-fs.ts)
  preparePrivateSqlite(file);
  const db = new Database(file);
  // only takes effect on a new, empty file (before WAL and the first table). Measured on a first
  // sync of 1,000,000 events, 16 KiB pages insert a quarter faster than 4 KiB: fewer page splits
  // and fewer pages written to the WAL per event. An older cache keeps its 4 KiB pages.
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a commit survives a process crash (our kill tests); only an OS crash may lose the
  // last ones. For synced events that is harmless: the collector keeps the durable copy and the
  // cursor rolls back with the events it was committed with, so the lost pages are pulled again.
  db.pragma('synchronous = NORMAL');
  // 64 MiB instead of SQLite's 2 MB: a large first sync keeps the events table's and its indexes'
  // upper B-tree pages in memory instead of reading them back for every page of events
  db.pragma('cache_size = -65536');
  // a first sync writes hundreds of MB: checkpointing every 40 MB of WAL instead of every 4 MB
  // copies each B-tree page that many pages of events touch once, not ten times; the file is cut
  // back to 64 MB after a checkpoint
  db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  db.pragma('journal_size_limit = 67108864');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return {
    db,
    meta: createMetaRepo(db),
    contacts: createContactsRepo(db),
    activities: createActivitiesRepo(db),
    outbox: createOutboxRepo(db),
    events: createEventsRepo(db),
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
    /** copies what the WAL holds into the database file now (readers are never blocked) */
    checkpoint(): void {
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    /** runs fn in one transaction (nested calls become savepoints) */
    tx<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}
export type Cache = ReturnType<typeof openCache>;
