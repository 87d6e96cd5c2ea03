import Database from 'better-sqlite3';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';

export const AUTOCHECKPOINT_PAGES = 10_000;
/**
 * The sync writer's setting while a first sync runs (1 GiB of 16 KiB pages): a checkpoint copies
 * the WAL into the file and waits for the disk twice, 0.3-0.4 s each here, on the thread that
 * writes the next page. A first sync of 1,000,000 events (~450 MB) now makes none until its end,
 * when the writer checkpoints the whole WAL once after reporting the run done; a larger history
 * still checkpoints every 1 GiB, so the WAL cannot grow without bound.
 */
export const BULK_AUTOCHECKPOINT_PAGES = 65_536;

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
  // checkpointing every 160 MB of WAL (10,000 pages of 16 KiB) instead of SQLite's 1,000 pages
  // copies each B-tree page that many pages of events touch once, not ten times; the file is cut
  // back to 64 MB after a checkpoint (a first sync's writer goes further: BULK_AUTOCHECKPOINT_PAGES)
  db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  db.pragma('journal_size_limit = 67108864');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db;
}
