import type Database from 'better-sqlite3';
import { TrackingEvent } from '../../../src-shared/events';

export type ApplyOutcome = 'inserted' | 'updated' | 'unchanged';

export interface StoredEvent {
  localId: number;
  event: TrackingEvent;
}

/** Tracking events, stored as received and upserted by event id (a higher seq wins). */
export function createEventsRepo(db: Database.Database) {
  const seqStmt = db.prepare<[string], { seq: number }>('SELECT seq FROM events WHERE id = ?');
  const insertStmt = db.prepare(`
    INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
    VALUES (@id, @seq, @messageId, @type, @recipientEmail, @occurredAt, @verdict, @body)`);
  const updateStmt = db.prepare(`
    UPDATE events SET seq = @seq, collector_message_id = @messageId, type = @type,
      recipient_email = @recipientEmail, occurred_at = @occurredAt, verdict = @verdict, body = @body
    WHERE id = @id AND seq < @seq`);
  const byActivityStmt = db.prepare<[string], { local_id: number; body: string }>(`
    SELECT e.local_id, e.body FROM events e
    JOIN activity_messages m ON m.collector_message_id = e.collector_message_id
    WHERE m.activity_id = ?
    ORDER BY e.occurred_at, e.seq`);
  const byIdStmt = db.prepare<[string], { local_id: number; body: string }>(
    'SELECT local_id, body FROM events WHERE id = ?',
  );
  const countStmt = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM events');

  const parse = (r: { local_id: number; body: string }): StoredEvent => ({
    localId: r.local_id,
    event: TrackingEvent.parse(JSON.parse(r.body)),
  });

  return {
    /** idempotent: the same event again changes nothing, a newer version (higher seq) replaces it */
    apply(e: TrackingEvent): ApplyOutcome {
      const row = {
        id: e.id,
        seq: e.seq,
        messageId: e.messageId,
        type: e.type,
        recipientEmail: e.recipientEmail,
        occurredAt: e.occurredAt,
        verdict: e.client.verdict,
        body: JSON.stringify(e),
      };
      const existing = seqStmt.get(e.id);
      if (!existing) {
        insertStmt.run(row);
        return 'inserted';
      }
      if (existing.seq >= e.seq) return 'unchanged';
      updateStmt.run(row);
      return 'updated';
    },
    forActivity(activityId: string): StoredEvent[] {
      return byActivityStmt.all(activityId).map(parse);
    },
    get(id: string): StoredEvent | null {
      const r = byIdStmt.get(id);
      return r ? parse(r) : null;
    },
    count(): number {
      return countStmt.get()?.n ?? 0;
    },
  };
}
export type EventsRepo = ReturnType<typeof createEventsRepo>;
