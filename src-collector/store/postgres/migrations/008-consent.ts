/**
 * Version 8 (issue 17): tracking consent per contact, as SQLite's version 9 (contacts with
 * their mode and consent state, consent records as evidence, the account's consent settings).
 */
export const version = 8;
export const sql = `
CREATE TABLE contacts (
  account_id TEXT NOT NULL,
  email_lower TEXT NOT NULL,
  mode TEXT CHECK (mode IN ('always', 'after_consent', 'never')),
  consent_state TEXT NOT NULL DEFAULT 'none' CHECK (consent_state IN ('none', 'given', 'withdrawn')),
  consent_at TIMESTAMPTZ,
  updated_at TIMESTAMPTZ NOT NULL,
  updated_by TEXT,
  version BIGINT NOT NULL,
  PRIMARY KEY (account_id, email_lower)
);
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
  at TIMESTAMPTZ NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL
);
CREATE INDEX consent_records_subject ON consent_records(account_id, email_lower, at);

CREATE TABLE consent_settings (
  account_id TEXT PRIMARY KEY,
  default_mode TEXT NOT NULL DEFAULT 'always' CHECK (default_mode IN ('always', 'after_consent', 'never')),
  track_opens BOOLEAN NOT NULL DEFAULT true,
  track_clicks BOOLEAN NOT NULL DEFAULT true,
  track_landing BOOLEAN NOT NULL DEFAULT true,
  withdrawal_link BOOLEAN NOT NULL DEFAULT false
);
`;
