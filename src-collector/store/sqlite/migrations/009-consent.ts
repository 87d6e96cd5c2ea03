/**
 * Version 9 (issue 17): tracking consent per contact. `contacts` holds each address's mode
 * (null: the account default) and its consent state, keyed by account and the lower-cased
 * address; `version` is the account's change counter the desktops pull after. `consent_records`
 * keeps every consent given or withdrawn as evidence (wording, its SHA-256, time, full IP);
 * `consent_settings` the account's default mode and its analytics switches.
 */
export const version = 9;
export const sql = `
CREATE TABLE contacts (
  account_id TEXT NOT NULL,
  email_lower TEXT NOT NULL,
  mode TEXT CHECK (mode IN ('always', 'after_consent', 'never')),
  consent_state TEXT NOT NULL DEFAULT 'none' CHECK (consent_state IN ('none', 'given', 'withdrawn')),
  consent_at TEXT,
  updated_at TEXT NOT NULL,
  updated_by TEXT,
  version INTEGER NOT NULL,
  PRIMARY KEY (account_id, email_lower)
) STRICT;
CREATE INDEX contacts_version ON contacts(account_id, version);

CREATE TABLE consent_records (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  email_lower TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('given', 'withdrawn')),
  message_id TEXT,
  token TEXT,
  wording TEXT NOT NULL,
  wording_sha256 TEXT NOT NULL,
  wording_version TEXT NOT NULL,
  at TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
) STRICT;
CREATE INDEX consent_records_subject ON consent_records(account_id, email_lower, at);

CREATE TABLE consent_settings (
  account_id TEXT PRIMARY KEY,
  default_mode TEXT NOT NULL DEFAULT 'always' CHECK (default_mode IN ('always', 'after_consent', 'never')),
  track_opens INTEGER NOT NULL DEFAULT 1,
  track_clicks INTEGER NOT NULL DEFAULT 1,
  track_landing INTEGER NOT NULL DEFAULT 1,
  withdrawal_link INTEGER NOT NULL DEFAULT 0
) STRICT;
`;
