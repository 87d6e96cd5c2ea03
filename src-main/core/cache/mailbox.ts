import type Database from 'better-sqlite3';
import type { MailboxSignalKind as SignalKind } from '../../../src-shared/mailbox';

/** Issue 19: the cache's part of the INBOX watcher (migration 010). SQL lives only here. */
export interface MailboxCursor {
  uidValidity: string;
  lastUid: number;
  scannedAt: string;
}

export interface LocalSignal {
  eventId: string;
  activityId: string;
  collectorMessageId: string | null;
  kind: SignalKind;
  recipientEmail: string | null;
  sourceKey: string;
  occurredAt: string;
  fromName: string | null;
  fromEmail: string | null;
  subject: string | null;
  firstLine: string | null;
  status: string | null;
  diagnostic: string | null;
  reported: 0 | 1 | 2;
  account: string;
  folder: string;
  uid: number;
}

interface SignalRow {
  event_id: string;
  activity_id: string;
  collector_message_id: string | null;
  kind: SignalKind;
  recipient_email: string | null;
  source_key: string;
  occurred_at: string;
  from_name: string | null;
  from_email: string | null;
  subject: string | null;
  first_line: string | null;
  status: string | null;
  diagnostic: string | null;
  reported: 0 | 1 | 2;
  account: string;
  folder: string;
  uid: number;
}

const fromRow = (r: SignalRow): LocalSignal => ({
  eventId: r.event_id,
  activityId: r.activity_id,
  collectorMessageId: r.collector_message_id,
  kind: r.kind,
  recipientEmail: r.recipient_email,
  sourceKey: r.source_key,
  occurredAt: r.occurred_at,
  fromName: r.from_name,
  fromEmail: r.from_email,
  subject: r.subject,
  firstLine: r.first_line,
  status: r.status,
  diagnostic: r.diagnostic,
  reported: r.reported,
  account: r.account,
  folder: r.folder,
  uid: r.uid,
});

/** Blitz's Message-IDs: `<activityId@domain>`, a recipient's own copy `<activityId.hash12@domain>` */
const OWN_ID = /^<([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\.[0-9a-f]{12})?@[^<>]+>$/i;

export function createMailboxRepo(db: Database.Database) {
  const s = {
    cursor: db.prepare<[string, string], { uid_validity: string; last_uid: number; scanned_at: string }>(
      'SELECT uid_validity, last_uid, scanned_at FROM mailbox_cursors WHERE account = ? AND folder = ?',
    ),
    setCursor: db.prepare(
      `INSERT INTO mailbox_cursors (account, folder, uid_validity, last_uid, scanned_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (account, folder) DO UPDATE SET uid_validity = excluded.uid_validity,
         last_uid = excluded.last_uid, scanned_at = excluded.scanned_at`,
    ),
    insert: db.prepare(
      `INSERT INTO mailbox_signals (event_id, activity_id, collector_message_id, kind, recipient_email, source_key,
         occurred_at, from_name, from_email, subject, first_line, status, diagnostic, reported, account, folder, uid, created_at)
       VALUES (@eventId, @activityId, @collectorMessageId, @kind, @recipientEmail, @sourceKey, @occurredAt, @fromName,
         @fromEmail, @subject, @firstLine, @status, @diagnostic, @reported, @account, @folder, @uid, @createdAt)
       ON CONFLICT (event_id) DO NOTHING`,
    ),
    forActivity: db.prepare<[string], SignalRow>(
      'SELECT * FROM mailbox_signals WHERE activity_id = ? ORDER BY occurred_at',
    ),
    byId: db.prepare<[string], SignalRow>('SELECT * FROM mailbox_signals WHERE event_id = ?'),
    unreported: db.prepare<[number], SignalRow>(
      'SELECT * FROM mailbox_signals WHERE reported = 0 ORDER BY occurred_at LIMIT ?',
    ),
    setReported: db.prepare('UPDATE mailbox_signals SET reported = ? WHERE event_id = ?'),
    deliveries: db.prepare<[string], { activity_id: string; email: string }>(
      'SELECT activity_id, email FROM deliveries WHERE message_id = ?',
    ),
    activityExists: db.prepare<[string], { id: string }>('SELECT id FROM activities WHERE id = ?'),
    activityByMessageId: db.prepare<[string], { id: string }>(
      'SELECT id FROM activities WHERE message_id = ?',
    ),
    recipients: db.prepare<[string], { email: string; name: string | null; kind: string }>(
      'SELECT email, name, kind FROM activity_recipients WHERE activity_id = ? ORDER BY position',
    ),
    collectorMessages: db.prepare<[string], { collector_message_id: string; client_id: string }>(
      'SELECT collector_message_id, client_id FROM activity_messages WHERE activity_id = ?',
    ),
    latestSentTo: db.prepare<[string, string, string], { id: string }>(
      `SELECT a.id FROM activity_recipients r JOIN activities a ON a.id = r.activity_id
       WHERE r.email = ? COLLATE NOCASE AND a.sent_at IS NOT NULL AND a.sent_at <= ? AND a.sent_at >= ?
       ORDER BY a.sent_at DESC LIMIT 1`,
    ),
  };

  return {
    cursor(account: string, folder: string): MailboxCursor | null {
      const r = s.cursor.get(account, folder);
      return r ? { uidValidity: r.uid_validity, lastUid: r.last_uid, scannedAt: r.scanned_at } : null;
    },
    setCursor(account: string, folder: string, c: MailboxCursor): void {
      s.setCursor.run(account, folder, c.uidValidity, c.lastUid, c.scannedAt);
    },
    /** true when the signal is new (its event id was not stored yet) */
    insert(sig: LocalSignal): boolean {
      return s.insert.run({ ...sig, createdAt: new Date().toISOString() }).changes === 1;
    },
    forActivity(activityId: string): LocalSignal[] {
      return s.forActivity.all(activityId).map(fromRow);
    },
    get(eventId: string): LocalSignal | null {
      const r = s.byId.get(eventId);
      return r ? fromRow(r) : null;
    },
    unreported(limit = 100): LocalSignal[] {
      return s.unreported.all(limit).map(fromRow);
    },
    setReported(eventId: string, reported: 1 | 2): void {
      s.setReported.run(reported, eventId);
    },
    /**
     * The activity a Message-ID of Blitz's belongs to and the addresses that copy went to: by the
     * delivery that used it (this computer sent it), else by the activity id inside it (sent from
     * another desktop of the agent: the id is the same everywhere).
     */
    sentMessage(messageId: string): { activityId: string; emails: string[] } | null {
      const rows = s.deliveries.all(messageId);
      if (rows.length > 0) return { activityId: rows[0]!.activity_id, emails: rows.map((r) => r.email) };
      const own = s.activityByMessageId.get(messageId);
      if (own) return { activityId: own.id, emails: [] };
      const m = OWN_ID.exec(messageId);
      if (m && s.activityExists.get(m[1]!.toLowerCase()))
        return { activityId: m[1]!.toLowerCase(), emails: [] };
      return null;
    },
    isOwnMessageId(messageId: string): boolean {
      return s.deliveries.get(messageId) !== undefined || OWN_ID.test(messageId);
    },
    recipients(activityId: string): { email: string; name: string | null; kind: string }[] {
      return s.recipients.all(activityId);
    },
    collectorMessages(activityId: string): { collectorMessageId: string; clientId: string }[] {
      return s.collectorMessages
        .all(activityId)
        .map((r) => ({ collectorMessageId: r.collector_message_id, clientId: r.client_id }));
    },
    /** the newest activity sent to `email` between `since` and `until` (ISO) */
    latestSentTo(email: string, until: string, since: string): string | null {
      return s.latestSentTo.get(email, until, since)?.id ?? null;
    },
  };
}
export type MailboxRepo = ReturnType<typeof createMailboxRepo>;
