/** Version 1: accounts, users, messages with their trackers, and the events (hits). */
export const version = 1;
export const sql = `
CREATE TABLE accounts (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  tracking_enabled INTEGER NOT NULL DEFAULT 1 CHECK (tracking_enabled IN (0, 1)),
  -- the account's sequence: events and message registrations draw from it
  last_seq INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  email TEXT NOT NULL,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('admin', 'agent')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX users_account ON users(account_id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  user_id TEXT NOT NULL REFERENCES users(id),
  client_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  sent_individually INTEGER NOT NULL CHECK (sent_individually IN (0, 1)),
  recipients TEXT NOT NULL,
  links TEXT NOT NULL,
  created_at TEXT NOT NULL,
  seq INTEGER NOT NULL,
  UNIQUE (user_id, client_id),
  UNIQUE (account_id, seq)
) STRICT;
CREATE INDEX messages_user_seq ON messages(account_id, user_id, seq);

CREATE TABLE trackers (
  token TEXT PRIMARY KEY,
  message_id TEXT NOT NULL REFERENCES messages(id),
  position INTEGER NOT NULL,
  recipient_email TEXT,
  recipient_name TEXT
) STRICT;
CREATE INDEX trackers_message ON trackers(message_id, position);

CREATE TABLE events (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts(id),
  -- the message's sender, denormalised so an agent's pull is one index range
  user_id TEXT NOT NULL REFERENCES users(id),
  message_id TEXT NOT NULL REFERENCES messages(id),
  token TEXT NOT NULL,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  recipient_email TEXT,
  occurred_at TEXT NOT NULL,
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
) STRICT;
CREATE UNIQUE INDEX events_account_seq ON events(account_id, seq);
CREATE INDEX events_user_seq ON events(account_id, user_id, seq);
CREATE INDEX events_message ON events(message_id, seq);
`;
