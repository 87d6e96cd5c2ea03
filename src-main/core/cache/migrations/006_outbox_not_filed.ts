import type { Migration } from './types';

/**
 * The outbox gains 'not_filed': sent, but the clean copy could not be filed in Sent (issue 12).
 * SQLite cannot alter a CHECK in place; nothing references the outbox, so copy-drop-rename keeps
 * every row (as in migration 002).
 */
export const migration006: Migration = {
  version: 6,
  name: 'outbox_not_filed',
  up(db) {
    db.exec(`
      CREATE TABLE outbox_v5 (
        activity_id TEXT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'registered', 'published', 'sending', 'sent', 'filed',
          'not_filed', 'waiting_collector', 'retrying', 'failed', 'uncertain')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        untracked INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO outbox_v5 (activity_id, state, attempts, next_attempt_at, error, untracked, updated_at)
        SELECT activity_id, state, attempts, next_attempt_at, error, untracked, updated_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v5 RENAME TO outbox;
    `);
  },
};
