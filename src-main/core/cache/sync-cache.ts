import type Database from 'better-sqlite3';
import { createActivitiesRepo } from './activities';
import { createContactsRepo } from './contacts';
import { AUTOCHECKPOINT_PAGES, BULK_AUTOCHECKPOINT_PAGES, openCacheDb } from './db';
import { createEventsRepo } from './events';
import { createMetaRepo } from './meta';
import { migrate } from './migrations';
import { writerSide } from './write-gate';

/**
 * what a synced page touches (sync/apply.ts), and the connection's own controls. `around`: what
 * each transaction runs inside (the sync writer's side of the write gate, write-gate.ts)
 */
export function cacheCore(db: Database.Database, around: <T>(fn: () => T) => T = (fn) => fn()) {
  return {
    db,
    meta: createMetaRepo(db),
    contacts: createContactsRepo(db),
    activities: createActivitiesRepo(db),
    events: createEventsRepo(db),
    /** a first sync's WAL setting on this connection (BULK_AUTOCHECKPOINT_PAGES), or back to the usual */
    bulkWal(on: boolean): void {
      db.pragma(`wal_autocheckpoint = ${on ? BULK_AUTOCHECKPOINT_PAGES : AUTOCHECKPOINT_PAGES}`);
    },
    /** copies what the WAL holds into the database file now (readers are never blocked) */
    checkpoint(): void {
      db.pragma('wal_checkpoint(PASSIVE)');
    },
    /**
     * runs fn in one transaction (nested calls become savepoints). IMMEDIATE: the write lock is
     * taken at the start, waiting up to busy_timeout for the other connection (the UI's and the
     * sync writer's share the file). A deferred one that read first and then wrote got
     * SQLITE_BUSY at once, without waiting, whenever the other held the write lock just then
     * (an outbox step failed that way during a sync).
     */
    tx<T>(fn: () => T): T {
      return around(() => db.transaction(fn).immediate());
    },
    close(): void {
      if (db.open) db.close();
    },
  };
}

/**
 * The sync's writing thread's own connection to the cache, with only the repositories a page
 * touches. Opening the whole cache there (index.ts) loaded every repository's code, parse5 and the
 * offers' and properties' among it, and prepared all their statements at each start of the thread.
 */
export function openSyncCache(file: string, writeGate?: SharedArrayBuffer) {
  const db = openCacheDb(file);
  // a no-op once the UI's connection migrated, which it does before any sync starts
  migrate(db);
  if (!writeGate) return cacheCore(db);
  const gate = writerSide(writeGate);
  return cacheCore(db, (fn) => gate.around(fn));
}
export type SyncCache = ReturnType<typeof openSyncCache>;
