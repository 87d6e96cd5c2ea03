import type { Migration } from './types';

/**
 * The first schema. Events keep the JSON exactly as received (`body`); the other columns are
 * copies for querying. `local_id` is assigned once per event id and survives upserts, so a
 * corrected verdict (same id, higher seq) does not make a seen event new again.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE contacts (
        email TEXT PRIMARY KEY COLLATE NOCASE,
        id TEXT NOT NULL UNIQUE,
        name TEXT,
        use_count INTEGER NOT NULL DEFAULT 0,
        last_used_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE activities (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('email', 'offer')),
        subject TEXT NOT NULL,
        html TEXT,
        text TEXT,
        track_requested INTEGER NOT NULL,
        tracked INTEGER NOT NULL,
        sent_individually INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        from_other_device INTEGER NOT NULL DEFAULT 0,
        seen_local_id INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX activities_by_created ON activities (created_at);

      CREATE TABLE activity_recipients (
        activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('to', 'cc', 'bcc')),
        email TEXT NOT NULL,
        name TEXT,
        PRIMARY KEY (activity_id, position)
      ) STRICT;

      CREATE TABLE attachments (
        activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        filename TEXT NOT NULL,
        content_type TEXT NOT NULL,
        content BLOB NOT NULL,
        PRIMARY KEY (activity_id, position)
      ) STRICT;

      -- collector messages of an activity: the main registration and, for BCC copies of a
      -- shared send, a second one (client_id suffixed ':bcc')
      CREATE TABLE activity_messages (
        collector_message_id TEXT PRIMARY KEY,
        activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        client_id TEXT NOT NULL UNIQUE
      ) STRICT;
      CREATE INDEX activity_messages_by_activity ON activity_messages (activity_id);

      CREATE TABLE outbox (
        activity_id TEXT PRIMARY KEY REFERENCES activities (id) ON DELETE CASCADE,
        state TEXT NOT NULL CHECK (state IN ('queued', 'registered', 'sending', 'sent', 'filed',
          'waiting_collector', 'retrying', 'failed', 'uncertain')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        untracked INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
      ) STRICT;

      -- one row per recipient; recipients sharing an SMTP transaction share a unit
      CREATE TABLE deliveries (
        activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        email TEXT NOT NULL,
        unit INTEGER NOT NULL,
        message_id TEXT NOT NULL,
        tracker TEXT,
        state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'accepted', 'failed', 'uncertain')),
        error TEXT,
        PRIMARY KEY (activity_id, email)
      ) STRICT;

      CREATE TABLE events (
        local_id INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        seq INTEGER NOT NULL,
        collector_message_id TEXT NOT NULL,
        type TEXT NOT NULL,
        recipient_email TEXT,
        occurred_at TEXT NOT NULL,
        verdict TEXT NOT NULL,
        body TEXT NOT NULL
      ) STRICT;
      CREATE INDEX events_by_message ON events (collector_message_id, occurred_at);
    `);
  },
};
