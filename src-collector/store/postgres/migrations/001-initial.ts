/**
 * Version 1: the same model as the SQLite store. Per-account sequences live in their own table so
 * the row lock that orders writers never blocks a settings change or a read of `accounts`.
 */
export const version = 1;
export const sql = `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  tracking_enabled BOOLEAN NOT NULL DEFAULT TRUE
);

-- the account's sequence: events and message registrations draw from it under this row's lock
CREATE TABLE account_seq (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  last_seq BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_account ON users(account_id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  sent_individually BOOLEAN NOT NULL,
  recipients TEXT NOT NULL,
  links TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  seq BIGINT NOT NULL,
  UNIQUE (user_id, client_id),
  UNIQUE (account_id, seq)
);
CREATE INDEX messages_user_seq ON messages(account_id, user_id, seq);

CREATE TABLE trackers (
  token TEXT PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES messages(id),
  position INTEGER NOT NULL,
  recipient_email TEXT,
  recipient_name TEXT
);
CREATE INDEX trackers_message ON trackers(message_id, position);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  -- the message's sender, denormalised so an agent's pull is one index range
  user_id TEXT NOT NULL REFERENCES users(id),
  message_id TEXT NOT NULL REFERENCES messages(id),
  token TEXT NOT NULL,
  seq BIGINT NOT NULL,
  type TEXT NOT NULL,
  recipient_email TEXT,
  occurred_at TIMESTAMPTZ NOT NULL,
  detail TEXT NOT NULL,
  verdict TEXT NOT NULL,
  reasons TEXT NOT NULL,
  corrected_from TEXT,
  ip_owner TEXT,
  ip_prefix TEXT NOT NULL,
  ua_family TEXT,
  os TEXT,
  -- the request's signals without the full IP, so verdicts can be recomputed
  signals TEXT NOT NULL
);
CREATE UNIQUE INDEX events_account_seq ON events(account_id, seq);
CREATE INDEX events_user_seq ON events(account_id, user_id, seq);
CREATE INDEX events_message ON events(message_id, occurred_at);
`;
