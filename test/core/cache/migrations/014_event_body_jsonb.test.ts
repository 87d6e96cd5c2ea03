import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEventsRepo } from '../../../../src-main/core/cache/events';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';
import type { TrackingEvent } from '../../../../src-shared/events';

const event = (id: string, seq: number, verdict: 'human' | 'prefetch'): TrackingEvent => ({
  id,
  seq,
  type: 'landing.document_downloaded',
  messageId: 'm1',
  offerId: 'offer-1',
  recipientEmail: 'anna@kunde.example',
  occurredAt: `2026-03-01T10:00:0${seq}.000Z`,
  detail: { document: 'expose', sha256: 'ab'.repeat(32) },
  client: { verdict, reasons: ['ua.browser'], uaFamily: 'Firefox', os: 'Linux', ipPrefix: '198.51.100.0/24' },
});

describe('migration 014_event_body_jsonb', () => {
  it('keeps every row, its local_id and its body (now JSONB) of a version-13 cache; new rows are JSONB too', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 13)).toBe(13);
      const old = createEventsRepo(db);
      // written by the version-13 statements: a body as JSON text (a gap in local_id as an erasure leaves it)
      db.prepare(
        `INSERT INTO events (local_id, id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
         VALUES (?, ?, ?, 'm1', ?, ?, ?, ?, ?)`,
      ).run(...row(1, event('e1', 1, 'human')));
      db.prepare(
        `INSERT INTO events (local_id, id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
         VALUES (?, ?, ?, 'm1', ?, ?, ?, ?, ?)`,
      ).run(...row(7, event('e2', 2, 'prefetch')));
      const before = [old.get('e1'), old.get('e2')];

      expect(migrate(db, 14)).toBe(14);
      expect(schemaVersion(db)).toBe(14);
      const repo = createEventsRepo(db);
      expect([repo.get('e1'), repo.get('e2')]).toEqual(before);
      expect(before.map((e) => e?.localId)).toEqual([1, 7]);
      const kinds = db.prepare('SELECT typeof(body) FROM events ORDER BY local_id').pluck().all();
      expect(kinds).toEqual(['blob', 'blob']);
      expect(db.prepare('SELECT count(*) FROM events WHERE NOT json_valid(body, 8)').pluck().get()).toBe(0);
      // the index the activity feed reads by is back
      expect(
        db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'events_by_message'").pluck().get(),
      ).toContain('collector_message_id, occurred_at');
      // a text body is refused by the column from now on
      expect(() =>
        db
          .prepare(
            `INSERT INTO events (id, seq, collector_message_id, type, occurred_at, verdict, body)
             VALUES ('e3', 3, 'm1', 'email.opened', '2026-03-01', 'human', '{}')`,
          )
          .run(),
      ).toThrow(/BLOB/);

      // the repo's paths write JSONB: one event, a newer version, and a bulk page of rows
      expect(repo.apply(event('e3', 3, 'human'))).toBe('inserted');
      expect(repo.apply(event('e2', 9, 'human'))).toBe('updated');
      const bulk = Array.from({ length: 10 }, (_, i) => event(`b${i}`, 10 + i, 'human'));
      expect(repo.applyMany(bulk)).toEqual(bulk.map(() => 'inserted'));
      expect(repo.get('e2')?.event).toEqual(event('e2', 9, 'human'));
      expect(repo.get('b9')?.event).toEqual(bulk[9]);
      expect(db.prepare("SELECT count(*) FROM events WHERE typeof(body) <> 'blob'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });
});

function row(localId: number, e: TrackingEvent): unknown[] {
  const { verdict, ...client } = e.client;
  return [
    localId,
    e.id,
    e.seq,
    e.type,
    e.recipientEmail,
    e.occurredAt,
    verdict,
    JSON.stringify({ offerId: e.offerId, detail: e.detail, client }),
  ];
}
