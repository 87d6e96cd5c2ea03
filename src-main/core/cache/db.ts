import Database from 'better-sqlite3';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';

export const AUTOCHECKPOINT_PAGES = 10_000;

/**
 * A connection to the cache file with the settings every connection uses (the UI's, in index.ts,
 * and the sync writer's, in sync-cache.ts); the caller migrates.
 */
export function openCacheDb(file: string): Database.Database {
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
  return db;
}
