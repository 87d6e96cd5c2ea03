import type { Migration } from './types';

/**
 * Properties (Objekte) with units and files, the versioned Widerrufsbelehrung, and offers.
 * The outbox table is rebuilt because its state CHECK gains 'published' (SQLite cannot alter a
 * CHECK in place); nothing references the outbox, so copy-drop-rename keeps every row.
 * File bytes live on disk (content-addressed), the tables hold their SHA-256.
 */
export const migration002: Migration = {
  version: 2,
  name: 'properties_offers',
  up(db) {
    db.exec(`
      CREATE TABLE properties (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('single', 'project')),
        external_id TEXT,
        title TEXT NOT NULL,
        street TEXT NOT NULL,
        house_number TEXT NOT NULL,
        postal_code TEXT NOT NULL,
        city TEXT NOT NULL,
        price REAL,
        area REAL,
        rooms REAL,
        description TEXT NOT NULL,
        -- [{label, url}] as validated by OfferLink
        links TEXT NOT NULL,
        commission_notice TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX properties_by_external_id ON properties (external_id) WHERE external_id IS NOT NULL;

      CREATE TABLE property_units (
        property_id TEXT NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        number TEXT NOT NULL,
        floor TEXT,
        area REAL,
        rooms REAL,
        price REAL,
        status TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'sold')),
        PRIMARY KEY (property_id, id)
      ) STRICT;

      CREATE TABLE property_files (
        id TEXT PRIMARY KEY,
        property_id TEXT NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('image', 'floor_plan', 'document', 'expose')),
        name TEXT NOT NULL,
        content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX property_files_by_property ON property_files (property_id, position);

      -- every edit of a legal text is a new version; sent offers name the version they carried
      CREATE TABLE legal_texts (
        kind TEXT NOT NULL CHECK (kind IN ('widerrufsbelehrung')),
        version INTEGER NOT NULL CHECK (version > 0),
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kind, version)
      ) STRICT;

      -- one per offer activity: what is published (a snapshot, so later edits of the property do
      -- not change a sent offer) and, once published, the collector's answer
      CREATE TABLE offers (
        activity_id TEXT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        property_id TEXT NOT NULL,
        property TEXT NOT NULL,
        files TEXT NOT NULL,
        intro TEXT NOT NULL,
        -- the Widerrufsbelehrung as sent: the version's text with the agent's details filled in
        policy TEXT NOT NULL,
        legal_kind TEXT NOT NULL,
        legal_version INTEGER NOT NULL,
        offer_id TEXT,
        landing TEXT,
        published_at TEXT,
        FOREIGN KEY (legal_kind, legal_version) REFERENCES legal_texts (kind, version)
      ) STRICT;
      CREATE INDEX offers_by_property ON offers (property_id);

      CREATE TABLE outbox_v2 (
        activity_id TEXT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'registered', 'published', 'sending', 'sent', 'filed',
          'waiting_collector', 'retrying', 'failed', 'uncertain')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        untracked INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;
      INSERT INTO outbox_v2 (activity_id, state, attempts, next_attempt_at, error, untracked, updated_at)
        SELECT activity_id, state, attempts, next_attempt_at, error, untracked, updated_at FROM outbox;
      DROP TABLE outbox;
      ALTER TABLE outbox_v2 RENAME TO outbox;
    `);
  },
};
