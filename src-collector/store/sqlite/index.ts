import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { preparePrivateSqlite } from '../../../src-shared/private-fs';
import { DiskFileStore } from '../../offers/files';
import { composeStore } from '../compose';
import { Listeners } from '../listeners';
import type { EventsChange, Store } from '../types';
import { SqliteAccounts } from './accounts';
import { SqliteConsent, sqliteConsentSubjectParts } from './consent';
import { SqliteEvidenceChain } from './evidence-chain';
import { SqliteTrackingDomains } from './tracking-domains';
import { SqliteEvents } from './events';
import { sqliteHealth } from './health';
import { SqliteMessages } from './messages';
import { migrate } from './migrate';
import { SqliteOffers } from './offers';
import { SqlitePrivacySql } from './privacy-sql';
import { PrivacyTables } from '../privacy/store';
import { HitWriterThread } from './worker-client';

/** address space, not memory: pages are only read in as they are touched */
const MMAP_BYTES = 4 * 1024 ** 3;

export interface SqliteStoreOptions {
  /** file path, or ':memory:' */
  file: string;
  /** FULL (default) survives power loss; NORMAL only process crashes */
  synchronous?: 'FULL' | 'NORMAL';
  senderIpTtlMs?: number;
  /** commit hits on a worker thread (default for files); off = on the calling thread */
  writerThread?: boolean;
}

/**
 * The collector's SQLite store: one file, one connection on this thread (plus the hit writer's
 * and the checkpointer's threads), the offers' files beside it in `<file>.files/`.
 */
export function openSqliteStore(opts: SqliteStoreOptions): Store {
  // full IPs, token hashes, the CSRF key: 0600, and so its -wal/-shm (src-shared/private-fs.ts)
  preparePrivateSqlite(opts.file);
  const db = new Database(opts.file);
  const synchronous = opts.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL';
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${synchronous}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // pulls read whole event rows in seq order: through a memory map the pages come straight from
  // the OS cache instead of one read() each into SQLite's own 2 MB cache
  db.pragma('cache_size = -65536');
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  const inMemory = opts.file === ':memory:';
  const writer =
    !inMemory && opts.writerThread !== false ? new HitWriterThread(opts.file, synchronous) : null;
  // the writer thread checkpoints; a commit here (a registration) must not run one inline
  if (writer) db.pragma('wal_autocheckpoint = 0');
  // a database in memory keeps its files in a temporary folder, gone with it
  const tmpFiles = inMemory ? mkdtempSync(join(tmpdir(), 'blitz-offer-files-')) : null;
  const files = new DiskFileStore(tmpFiles ?? `${opts.file}.files`);
  const committed = new Listeners<string>();
  const changed = new Listeners<EventsChange>();
  const health = sqliteHealth(opts.file, db);
  return composeStore({
    accounts: new SqliteAccounts(db, opts.senderIpTtlMs),
    messages: new SqliteMessages(db, committed),
    events: new SqliteEvents(db, writer, committed, changed),
    offers: new SqliteOffers(db),
    consent: new SqliteConsent(db),
    files,
    health,
    evidenceChain: new SqliteEvidenceChain(db, synchronous),
    trackingDomains: new SqliteTrackingDomains(db),
    privacy: new PrivacyTables(
      new SqlitePrivacySql(db, changed, (sha) => files.remove(sha)),
      sqliteConsentSubjectParts(db),
    ),
    close: async () => {
      if (!db.open) return;
      health.close();
      committed.clear();
      changed.clear();
      await writer?.close();
      await files.close();
      if (db.open) db.close();
      if (tmpFiles) rmSync(tmpFiles, { recursive: true, force: true });
    },
  });
}
