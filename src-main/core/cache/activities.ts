import { decodeOutboxError } from './outbox-error';
import { WORKABLE_STATES } from './outbox';
import type Database from 'better-sqlite3';
import type { ActivityDto, OutboxState } from '../../../src-shared/ipc';
import { escapeLike } from './contacts';

export type RecipientKind = 'to' | 'cc' | 'bcc';
export interface ActivityRecipient {
  kind: RecipientKind;
  email: string;
  name: string | null;
}
export interface StoredAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface NewActivity {
  id: string;
  kind: 'email' | 'offer';
  subject: string;
  html: string | null;
  text: string | null;
  trackRequested: boolean;
  tracked: boolean;
  sentIndividually: boolean;
  /** RFC 5322 Message-ID of the message (and of the copy filed in Sent) */
  messageId: string;
  createdAt: string;
  sentAt: string | null;
  fromOtherDevice: boolean;
  recipients: ActivityRecipient[];
  attachments: StoredAttachment[];
}

export interface ActivityRecord extends Omit<NewActivity, 'attachments'> {
  seenLocalId: number;
}

export type ActivityFilter = 'all' | 'tracked' | 'with_events' | 'unseen' | 'pending';

interface ActivityRow {
  id: string;
  kind: 'email' | 'offer';
  subject: string;
  html: string | null;
  text: string | null;
  track_requested: number;
  tracked: number;
  sent_individually: number;
  message_id: string;
  created_at: string;
  sent_at: string | null;
  from_other_device: number;
  seen_local_id: number;
}

interface ListRow {
  id: string;
  kind: 'email' | 'offer';
  subject: string;
  sent_at: string | null;
  tracked: number;
  sent_individually: number;
  from_other_device: number;
  outbox_state: OutboxState | null;
  outbox_error: string | null;
  outbox_next_attempt_at: number | null;
  event_count: number;
  new_event_count: number;
  last_event_at: string | null;
  recipients_json: string;
}

/**
 * Counts cover only events that count as the person (verdict human or proxy): a prefetch or a
 * scanner is shown in the feed but never makes an activity look opened or new.
 */
export const LIST_SQL = `
  SELECT a.id, a.kind, a.subject, a.sent_at, a.tracked, a.sent_individually, a.from_other_device,
    o.state AS outbox_state, o.error AS outbox_error, o.next_attempt_at AS outbox_next_attempt_at,
    COALESCE(s.event_count, 0) AS event_count,
    COALESCE(s.new_event_count, 0) AS new_event_count,
    s.last_event_at,
    (SELECT json_group_array(json_object('kind', r.kind, 'email', r.email, 'name', r.name))
      FROM (SELECT kind, email, name FROM activity_recipients
        WHERE activity_id = a.id ORDER BY position) r) AS recipients_json
  FROM activities a
  LEFT JOIN outbox o ON o.activity_id = a.id
  LEFT JOIN (
    SELECT m.activity_id,
      COUNT(*) AS event_count,
      SUM(e.local_id > act.seen_local_id) AS new_event_count,
      MAX(e.occurred_at) AS last_event_at
    FROM activity_messages m
    JOIN events e ON e.collector_message_id = m.collector_message_id
    JOIN activities act ON act.id = m.activity_id
    WHERE e.verdict IN ('human', 'proxy')
    GROUP BY m.activity_id
  ) s ON s.activity_id = a.id`;

/** a retry the outbox schedules by itself: only in states it works on alone, and only in the future */
function retryAt(state: OutboxState | null, at: number | null): string | null {
  if (state === null || at === null || at <= 0 || !WORKABLE_STATES.includes(state)) return null;
  return new Date(at).toISOString();
}

export function createActivitiesRepo(db: Database.Database) {
  const insertActivity = db.prepare(`
    INSERT INTO activities (id, kind, subject, html, text, track_requested, tracked, sent_individually,
      message_id, created_at, sent_at, from_other_device)
    VALUES (@id, @kind, @subject, @html, @text, @trackRequested, @tracked, @sentIndividually,
      @messageId, @createdAt, @sentAt, @fromOtherDevice)`);
  const insertRecipient = db.prepare(
    'INSERT INTO activity_recipients (activity_id, position, kind, email, name) VALUES (?, ?, ?, ?, ?)',
  );
  const insertAttachment = db.prepare(
    'INSERT INTO attachments (activity_id, position, filename, content_type, content) VALUES (?, ?, ?, ?, ?)',
  );
  const getStmt = db.prepare<[string], ActivityRow>('SELECT * FROM activities WHERE id = ?');
  const recipientsStmt = db.prepare<[string], ActivityRecipient>(
    'SELECT kind, email, name FROM activity_recipients WHERE activity_id = ? ORDER BY position',
  );
  const attachmentsStmt = db.prepare<[string], { filename: string; content_type: string; content: Buffer }>(
    'SELECT filename, content_type, content FROM attachments WHERE activity_id = ? ORDER BY position',
  );
  const listOneStmt = db.prepare<[string], ListRow>(`${LIST_SQL} WHERE a.id = ?`);
  const linkMessageStmt = db.prepare<[string, string, string]>(`
    INSERT INTO activity_messages (collector_message_id, activity_id, client_id) VALUES (?, ?, ?)
    ON CONFLICT DO NOTHING`);
  const activityByClientId = db.prepare<[string], { activity_id: string }>(
    'SELECT activity_id FROM activity_messages WHERE client_id = ?',
  );
  const activityByMessageId = db.prepare<[string], { activity_id: string }>(
    'SELECT activity_id FROM activity_messages WHERE collector_message_id = ?',
  );
  const setSentAt = db.prepare<[string, string]>(
    'UPDATE activities SET sent_at = COALESCE(sent_at, ?) WHERE id = ?',
  );
  const setTracked = db.prepare<[number, string]>('UPDATE activities SET tracked = ? WHERE id = ?');
  const markSeenStmt = db.prepare<[string]>(`
    UPDATE activities SET seen_local_id = COALESCE((SELECT MAX(local_id) FROM events), 0) WHERE id = ?`);
  const maxPosStmt = db.prepare<[string], { p: number | null }>(
    'SELECT MAX(position) AS p FROM activity_recipients WHERE activity_id = ?',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM activities WHERE id = ?');
  const existsStmt = db.prepare<[string], { id: string }>('SELECT id FROM activities WHERE id = ?');

  const toDto = (r: ListRow): ActivityDto => ({
    id: r.id,
    kind: r.kind,
    subject: r.subject,
    recipients: JSON.parse(r.recipients_json) as ActivityRecipient[],
    sentAt: r.sent_at,
    tracked: r.tracked === 1,
    sentIndividually: r.sent_individually === 1,
    outboxState: r.outbox_state,
    outboxError: decodeOutboxError(r.outbox_error),
    outboxRetryAt: retryAt(r.outbox_state, r.outbox_next_attempt_at),
    eventCount: r.event_count,
    newEventCount: r.new_event_count,
    lastEventAt: r.last_event_at,
    fromOtherDevice: r.from_other_device === 1,
  });

  return {
    insert(a: NewActivity): void {
      insertActivity.run({
        ...a,
        trackRequested: a.trackRequested ? 1 : 0,
        tracked: a.tracked ? 1 : 0,
        sentIndividually: a.sentIndividually ? 1 : 0,
        fromOtherDevice: a.fromOtherDevice ? 1 : 0,
      });
      a.recipients.forEach((r, i) => insertRecipient.run(a.id, i, r.kind, r.email, r.name));
      a.attachments.forEach((f, i) => insertAttachment.run(a.id, i, f.filename, f.contentType, f.content));
    },
    exists(id: string): boolean {
      return existsStmt.get(id) !== undefined;
    },
    get(id: string): ActivityRecord | null {
      const r = getStmt.get(id);
      if (!r) return null;
      return {
        id: r.id,
        kind: r.kind,
        subject: r.subject,
        html: r.html,
        text: r.text,
        trackRequested: r.track_requested === 1,
        tracked: r.tracked === 1,
        sentIndividually: r.sent_individually === 1,
        messageId: r.message_id,
        createdAt: r.created_at,
        sentAt: r.sent_at,
        fromOtherDevice: r.from_other_device === 1,
        seenLocalId: r.seen_local_id,
        recipients: recipientsStmt.all(id),
      };
    },
    attachments(id: string): StoredAttachment[] {
      return attachmentsStmt
        .all(id)
        .map((r) => ({ filename: r.filename, contentType: r.content_type, content: r.content }));
    },
    dto(id: string): ActivityDto | null {
      const r = listOneStmt.get(id);
      return r ? toDto(r) : null;
    },
    /** the list view virtualises; 25,000 keeps a decade of an agent's mail in one query */
    list(query: string, filter: ActivityFilter, limit = 25_000): ActivityDto[] {
      const where: string[] = [];
      const params: Record<string, string | number> = { limit };
      const q = query.trim();
      if (q !== '') {
        params.q = `%${escapeLike(q)}%`;
        where.push(`(a.subject LIKE @q ESCAPE '\\' OR EXISTS (SELECT 1 FROM activity_recipients r
          WHERE r.activity_id = a.id AND (r.email LIKE @q ESCAPE '\\' OR r.name LIKE @q ESCAPE '\\')))`);
      }
      if (filter === 'tracked') where.push('a.tracked = 1');
      if (filter === 'with_events') where.push('COALESCE(s.event_count, 0) > 0');
      if (filter === 'unseen') where.push('COALESCE(s.new_event_count, 0) > 0');
      if (filter === 'pending') where.push("o.state IS NOT NULL AND o.state <> 'filed'");
      const sql = `${LIST_SQL} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY COALESCE(a.sent_at, a.created_at) DESC LIMIT @limit`;
      return db.prepare<Record<string, string | number>, ListRow>(sql).all(params).map(toDto);
    },
    linkCollectorMessage(activityId: string, collectorMessageId: string, clientId: string): void {
      linkMessageStmt.run(collectorMessageId, activityId, clientId);
    },
    activityIdForClientId(clientId: string): string | null {
      return activityByClientId.get(clientId)?.activity_id ?? null;
    },
    activityIdForMessage(collectorMessageId: string): string | null {
      return activityByMessageId.get(collectorMessageId)?.activity_id ?? null;
    },
    /** adds recipients not yet listed (a second registration of an activity from another device) */
    addRecipients(id: string, recipients: readonly ActivityRecipient[]): void {
      const known = new Set(recipientsStmt.all(id).map((r) => r.email.toLowerCase()));
      let pos = (maxPosStmt.get(id)?.p ?? -1) + 1;
      for (const r of recipients) {
        if (known.has(r.email.toLowerCase())) continue;
        known.add(r.email.toLowerCase());
        insertRecipient.run(id, pos++, r.kind, r.email, r.name);
      }
    },
    setSentAt(id: string, at: string): void {
      setSentAt.run(at, id);
    },
    setTracked(id: string, tracked: boolean): void {
      setTracked.run(tracked ? 1 : 0, id);
    },
    markSeen(id: string): void {
      markSeenStmt.run(id);
    },
    delete(id: string): void {
      deleteStmt.run(id);
    },
  };
}
export type ActivitiesRepo = ReturnType<typeof createActivitiesRepo>;
