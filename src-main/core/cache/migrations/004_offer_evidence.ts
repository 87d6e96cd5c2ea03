import type { Migration } from './types';

/**
 * The legal evidence of an offer as the collector last answered it, so the „Nachweise“ open
 * offline too (an agent may need them at a notary's or in court, without a network). One row per
 * offer activity: the collector's list as received, and when it answered. The collector stays
 * the record; this is its last copy.
 */
export const migration004: Migration = {
  version: 4,
  name: 'offer_evidence',
  up(db) {
    db.exec(`
      CREATE TABLE offer_evidence (
        activity_id TEXT PRIMARY KEY REFERENCES offers (activity_id) ON DELETE CASCADE,
        evidence TEXT NOT NULL,
        fetched_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
