import type { Migration } from './types';

/**
 * Issue 19, signals from the agent's INBOX (src-main/core/mailbox): where each account's folder
 * scan stands (UIDVALIDITY + last UID, so a restart resumes without reading a mail twice) and the
 * signals found, with what stays on this computer only (sender, subject, first line, the
 * server's diagnostic). `reported`: 0 still to tell the collector, 1 told, 2 nothing to tell
 * (an untracked mail, or the account's tracking switch is off).
 */
export const migration010: Migration = {
  version: 10,
  name: 'mailbox_signals',
  up(db) {
    db.exec(`
      CREATE TABLE mailbox_cursors (
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uid_validity TEXT NOT NULL,
        last_uid INTEGER NOT NULL,
        scanned_at TEXT NOT NULL,
        PRIMARY KEY (account, folder)
      ) STRICT;

      CREATE TABLE mailbox_signals (
        event_id TEXT PRIMARY KEY,
        activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
        collector_message_id TEXT,
        kind TEXT NOT NULL CHECK (kind IN ('replied', 'bounced', 'auto_replied')),
        recipient_email TEXT,
        source_key TEXT NOT NULL,
        occurred_at TEXT NOT NULL,
        from_name TEXT,
        from_email TEXT,
        subject TEXT,
        first_line TEXT,
        status TEXT,
        diagnostic TEXT,
        reported INTEGER NOT NULL DEFAULT 0 CHECK (reported IN (0, 1, 2)),
        account TEXT NOT NULL,
        folder TEXT NOT NULL,
        uid INTEGER NOT NULL,
        created_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX mailbox_signals_by_activity ON mailbox_signals (activity_id, occurred_at);
      CREATE INDEX mailbox_signals_unreported ON mailbox_signals (reported) WHERE reported = 0;

      -- a reply names the Message-ID of one delivery; an auto-reply without one, its sender
      CREATE INDEX deliveries_by_message_id ON deliveries (message_id);
      CREATE INDEX activity_recipients_by_email ON activity_recipients (email COLLATE NOCASE);
    `);
  },
};
