/**
 * Version 5 (was offers version 2 before issue 15; issue 13):
 * - recipients are consumers or commercial (only consumers are asked for the Widerruf);
 * - evidence is one row per token, confirmation and wording (version): the first kept, repeats
 *   counted with the time of the last one, instead of a row per POST;
 * - a declaration per submission of the legal form that added something: the confirmation
 *   mail's work item, claimed by one desktop and marked sent once;
 * - landing-page locks: property status (with the account's list of locking statuses), a lock of
 *   all pages of a property, archived contacts, rejected deals (Absage).
 */
export const version = 5;
/** no rowid: ties on the time are broken by the id */
export const sql = `
ALTER TABLE offer_recipients ADD COLUMN contact_kind TEXT NOT NULL DEFAULT 'consumer' CHECK (contact_kind IN ('consumer', 'commercial'));
ALTER TABLE offer_evidence ADD COLUMN repeat_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE offer_evidence ADD COLUMN last_seen_at TEXT;
UPDATE offer_evidence SET
  repeat_count = (SELECT COUNT(*) - 1 FROM offer_evidence d
    WHERE d.token = offer_evidence.token AND d.confirmation = offer_evidence.confirmation
      AND d.wording_sha256 = offer_evidence.wording_sha256),
  last_seen_at = (SELECT MAX(d.confirmed_at) FROM offer_evidence d
    WHERE d.token = offer_evidence.token AND d.confirmation = offer_evidence.confirmation
      AND d.wording_sha256 = offer_evidence.wording_sha256);
DELETE FROM offer_evidence e USING offer_evidence f
  WHERE f.token = e.token AND f.confirmation = e.confirmation AND f.wording_sha256 = e.wording_sha256
    AND (f.confirmed_at < e.confirmed_at OR (f.confirmed_at = e.confirmed_at AND f.id < e.id));

CREATE UNIQUE INDEX offer_evidence_once ON offer_evidence(token, confirmation, wording_sha256);

CREATE TABLE offer_declarations (
  id TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL REFERENCES offers(id),
  account_id TEXT NOT NULL,
  token TEXT NOT NULL,
  recipient_email TEXT,
  declared_at TEXT NOT NULL,
  -- [{confirmation, wording, wordingSha256}] as shown and checked in this submission
  items TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  mail_state TEXT NOT NULL DEFAULT 'pending' CHECK (mail_state IN ('pending', 'claimed', 'sent')),
  mail_claimed_by TEXT,
  mail_claimed_until TEXT,
  mail_sent_at TEXT,
  mail_message_id TEXT
);
CREATE INDEX offer_declarations_token ON offer_declarations(token, declared_at);
CREATE INDEX offer_declarations_open ON offer_declarations(mail_state, offer_id);

CREATE TABLE landing_lock_settings (
  account_id TEXT PRIMARY KEY,
  statuses TEXT NOT NULL
);
CREATE TABLE landing_property_locks (
  account_id TEXT NOT NULL,
  property_key TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('available', 'reserved', 'sold')),
  lock_all INTEGER NOT NULL CHECK (lock_all IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, property_key)
);
CREATE TABLE landing_contact_locks (
  account_id TEXT NOT NULL,
  email TEXT NOT NULL,
  archived INTEGER NOT NULL CHECK (archived IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, email)
);
CREATE TABLE landing_deal_locks (
  account_id TEXT NOT NULL,
  property_key TEXT NOT NULL,
  email TEXT NOT NULL,
  rejected INTEGER NOT NULL CHECK (rejected IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (account_id, property_key, email)
);
`;
