import type { Migration } from './types';

/**
 * Issue 17: each contact's tracking mode and consent state as the collector has it (synced by
 * version, `consent_cursor` in meta), and the consent link the collector handed out for a
 * recipient of an activity („nur nach Einwilligung“ without consent yet), so a retried send
 * composes the same copy.
 */
export const migration011: Migration = {
  version: 11,
  name: 'contact_consent',
  up(db) {
    db.exec(`
      CREATE TABLE contact_consent (
        email TEXT PRIMARY KEY,
        mode TEXT CHECK (mode IN ('always', 'after_consent', 'never')),
        state TEXT NOT NULL CHECK (state IN ('none', 'given', 'withdrawn')),
        state_at TEXT,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE delivery_consent_links (
        activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        consent_url TEXT NOT NULL,
        PRIMARY KEY (activity_id, email)
      ) STRICT;
    `);
  },
};
