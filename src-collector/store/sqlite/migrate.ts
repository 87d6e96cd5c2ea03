import type Database from 'better-sqlite3';
import { migrateSync, type SyncMigrationDialect } from '../../../src-shared/migrations';
import { migrations } from './migrations';

/**
 * Until issue 15 the offer tables had their own runner and version table (offer_schema_version,
 * versions 1–2, always applied after the collector's 1–4). They are versions 5–6 of the one
 * sequence now: a file from then has its offer versions carried over once, and the old table goes.
 */
const OFFER_VERSION_OFFSET = 4;

function adoptOfferBookkeeping(db: Database.Database): void {
  const old = db
    .prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'offer_schema_version'")
    .get();
  if (!old) return;
  db.transaction(() => {
    db.prepare(
      `INSERT OR IGNORE INTO schema_version (version, applied_at)
       SELECT version + ${OFFER_VERSION_OFFSET}, applied_at FROM offer_schema_version`,
    ).run();
    db.exec('DROP TABLE offer_schema_version');
  }).immediate();
}

/**
 * The versions a file records, read only (nothing created, nothing carried over): for probes and
 * backups, which must not change the database they look at. A file from before issue 15 counts
 * its offer versions as the one sequence numbers them.
 */
export function recordedVersions(db: Database.Database): number[] {
  const has = (t: string): boolean =>
    !!db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?").get(t);
  const versions = has('schema_version')
    ? db
        .prepare<[], { v: number }>('SELECT version AS v FROM schema_version')
        .all()
        .map((r) => r.v)
    : [];
  if (has('offer_schema_version'))
    for (const r of db.prepare<[], { v: number }>('SELECT version AS v FROM offer_schema_version').all())
      versions.push(r.v + OFFER_VERSION_OFFSET);
  return [...new Set(versions)];
}

function dialect(db: Database.Database): SyncMigrationDialect<Database.Database> {
  return {
    label: 'collector database (SQLite)',
    db,
    appliedVersions() {
      db.exec(
        'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT',
      );
      adoptOfferBookkeeping(db);
      return db
        .prepare<[], { version: number }>('SELECT version FROM schema_version')
        .all()
        .map((r) => r.version);
    },
    transaction: (fn) => db.transaction(fn).immediate(),
    record: (m) =>
      db
        .prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)')
        .run(m.version, new Date().toISOString()),
  };
}

/** Brings the collector's SQLite file to the newest schema (src-shared/migrations.ts). */
export function migrate(db: Database.Database, target?: number): number {
  return migrateSync(dialect(db), migrations, target);
}
