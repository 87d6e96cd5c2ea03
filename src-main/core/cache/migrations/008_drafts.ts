import type { Migration } from './types';

/**
 * „Neue E-Mail“ drafts: what the agent typed, saved as it is typed, until sent or discarded.
 * One row per draft; `body` is the draft as JSON (recipients, subject, HTML, choices), validated
 * with zod when read back (cache/drafts.ts).
 */
export const migration008: Migration = {
  version: 8,
  name: 'drafts',
  up(db) {
    db.exec(`
      CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX drafts_updated ON drafts (updated_at DESC);
    `);
  },
};
