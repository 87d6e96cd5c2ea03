import type Database from 'better-sqlite3';

/**
 * Indexes a first sync leaves out while the history streams in and builds once at the end
 * (issue 22: "indexes built after the bulk load").
 *
 * events_by_recipient (migration 012, for an erasure by address) is ordered by address, so every
 * page of events lands on as many of its leaf pages as the page has recipients: on a first sync
 * of 1,000,000 events (500 recipients) each commit rewrote ~500 of its 16 KiB pages into the WAL,
 * and the insert plus its commit took 19.7 s instead of 8.0 s without it; building it afterwards
 * took 1.4 s (docs/bench/2026-12-06-s8-sync.md). Until it is back an erasure scans the events
 * table instead of seeking, which is slower, not wrong.
 *
 * events_by_message stays: the activity feed reads through it while the history streams in, and
 * a sync's events of one message append to it. The SQL is migration 012's, word for word
 * (test/core/cache/bulk-indexes.test.ts compares it with what the migration created).
 */
export const DEFERRED_INDEXES: readonly { name: string; sql: string }[] = [
  {
    name: 'events_by_recipient',
    sql: 'CREATE INDEX events_by_recipient ON events (recipient_email COLLATE NOCASE) WHERE recipient_email IS NOT NULL',
  },
];

export function createBulkIndexes(db: Database.Database) {
  const exists = db.prepare<[string], { n: number }>(
    "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = ?",
  );
  const missing = (): { name: string; sql: string }[] =>
    DEFERRED_INDEXES.filter((i) => (exists.get(i.name)?.n ?? 0) === 0);
  return {
    /** drops the deferred indexes (a first sync's pages then go in without maintaining them) */
    defer(): void {
      db.transaction(() => {
        for (const i of DEFERRED_INDEXES) db.exec(`DROP INDEX IF EXISTS ${i.name}`);
      })();
    },
    /**
     * builds the deferred indexes that are missing (after a first sync, or after one killed half
     * way); nothing to do when they are there. Returns the names built.
     */
    restore(): string[] {
      const todo = missing();
      if (todo.length === 0) return [];
      db.transaction(() => {
        for (const i of todo) db.exec(i.sql.replace(/^CREATE INDEX /, 'CREATE INDEX IF NOT EXISTS '));
      })();
      return todo.map((i) => i.name);
    },
    /** names of deferred indexes that are not there now */
    missing: (): string[] => missing().map((i) => i.name),
  };
}
export type BulkIndexes = ReturnType<typeof createBulkIndexes>;
