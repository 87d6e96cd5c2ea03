import type { Migration } from './types';

/**
 * Issue 13, legal side:
 * - contacts are consumers or commercial, can be archived (their landing pages lock) and carry
 *   the Kontakterlaubnis a prospect gave on a landing page; `lock_pushed` = 0 while the
 *   collector does not know the archive state yet;
 * - AGB and Datenschutzerklärung, versioned like the Widerrufsbelehrung (own table: legal_texts
 *   is referenced by offers and its CHECK cannot be widened in place);
 * - per property: its marketing status, „alle Landing Pages sperren“, whether the buyer pays
 *   commission; per contact and property: the Absage. `pushed` = 0 until the collector has it;
 * - confirmation mails this desktop claimed, by declaration: never two for one declaration.
 */
export const migration007: Migration = {
  version: 7,
  name: 'legal_contacts_locks',
  up(db) {
    db.exec(`
      ALTER TABLE contacts ADD COLUMN kind TEXT NOT NULL DEFAULT 'consumer' CHECK (kind IN ('consumer', 'commercial'));
      ALTER TABLE contacts ADD COLUMN archived_at TEXT;
      ALTER TABLE contacts ADD COLUMN offer_permission_at TEXT;
      ALTER TABLE contacts ADD COLUMN lock_pushed INTEGER NOT NULL DEFAULT 1;

      CREATE TABLE legal_documents (
        kind TEXT NOT NULL CHECK (kind IN ('agb', 'datenschutz')),
        version INTEGER NOT NULL CHECK (version > 0),
        text TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (kind, version)
      ) STRICT;

      CREATE TABLE property_landing (
        property_id TEXT PRIMARY KEY,
        status TEXT NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'reserved', 'sold')),
        lock_all INTEGER NOT NULL DEFAULT 0,
        buyer_commission INTEGER NOT NULL DEFAULT 1,
        pushed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE deal_rejections (
        property_id TEXT NOT NULL,
        email TEXT NOT NULL COLLATE NOCASE,
        rejected INTEGER NOT NULL,
        pushed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (property_id, email)
      ) STRICT;

      CREATE TABLE confirmation_mails (
        declaration_id TEXT PRIMARY KEY,
        activity_id TEXT NOT NULL UNIQUE,
        offer_id TEXT NOT NULL,
        -- queued: in the outbox; sent: SMTP accepted, the collector not told yet; reported: done;
        -- dropped: another desktop sent it (or holds it)
        state TEXT NOT NULL CHECK (state IN ('queued', 'sent', 'reported', 'dropped')),
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
