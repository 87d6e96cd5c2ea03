/**
 * Version 5 (was offers version 1 in its own table, offer_schema_version, before issue 15):
 * offers, their files and recipients, likes, legal evidence, secrets.
 */
export const version = 5;
export const sql = `
CREATE TABLE offers (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- one offer per message: the landing token is the message's tracker token
  message_id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('active', 'withdrawn', 'sold')),
  property TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX offers_account ON offers(account_id);

CREATE TABLE offer_files (
  offer_id TEXT NOT NULL REFERENCES offers(id),
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('image', 'document', 'expose')),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (offer_id, id)
) STRICT;

CREATE TABLE offer_recipients (
  token TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL REFERENCES offers(id),
  position INTEGER NOT NULL,
  recipient_email TEXT,
  recipient_name TEXT
) STRICT;
CREATE INDEX offer_recipients_offer ON offer_recipients(offer_id, position);

CREATE TABLE offer_likes (
  token TEXT NOT NULL,
  offer_id TEXT NOT NULL REFERENCES offers(id),
  unit_id TEXT NOT NULL,
  liked INTEGER NOT NULL CHECK (liked IN (0, 1)),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (token, unit_id)
) STRICT;

-- legal confirmations with the full IP; nothing else in the database keeps a full address
CREATE TABLE offer_evidence (
  id TEXT PRIMARY KEY,
  offer_id TEXT NOT NULL REFERENCES offers(id),
  account_id TEXT NOT NULL,
  token TEXT NOT NULL,
  recipient_email TEXT,
  confirmation TEXT NOT NULL,
  wording TEXT NOT NULL,
  wording_sha256 TEXT NOT NULL,
  policy_version TEXT NOT NULL,
  confirmed_at TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
) STRICT;
CREATE INDEX offer_evidence_offer ON offer_evidence(offer_id, confirmed_at);
CREATE INDEX offer_evidence_token ON offer_evidence(token, policy_version);

CREATE TABLE offer_secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;
`;
