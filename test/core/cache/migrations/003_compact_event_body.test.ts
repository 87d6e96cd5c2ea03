import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventsRepo } from '../../../../src-main/core/cache/events';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';
import type { TrackingEvent } from '../../../../src-shared/events';

const event: TrackingEvent = {
  id: 'evt-1',
  seq: 7,
  type: 'landing.document_downloaded',
  messageId: 'msg-1',
  offerId: 'offer-1',
  recipientEmail: 'kunde@example.org',
  occurredAt: '2026-03-01T10:00:00.000Z',
  detail: { document: 'expose', sha256: 'ab'.repeat(32) },
  client: {
    verdict: 'human',
    reasons: ['ua.browser'],
    correctedFrom: 'prefetch',
    uaFamily: 'Firefox',
    os: 'Linux',
    ipPrefix: '198.51.100.0/24',
  },
};

describe('migration 003_compact_event_body', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('turns a version-2 row (whole event in body) into the compact body, and the event reads back unchanged', () => {
    db = new Database(':memory:');
    migrate(db, 2);
    db.prepare(
      `INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at, verdict, body)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      event.id,
      event.seq,
      event.messageId,
      event.type,
      event.recipientEmail,
      event.occurredAt,
      event.client.verdict,
      JSON.stringify(event),
    );
    expect(migrate(db, 3)).toBe(3);
    expect(schemaVersion(db)).toBe(3);
    const body = JSON.parse(db.prepare('SELECT body FROM events').pluck().get() as string) as Record<
      string,
      unknown
    >;
    // nothing a column holds is left in the body
    expect(Object.keys(body).sort()).toEqual(['client', 'detail', 'offerId']);
    expect(body.client).not.toHaveProperty('verdict');
    expect(createEventsRepo(db).get(event.id)?.event).toEqual(event);
  });

  it('stores a new event compactly: the body is less than half the whole event', () => {
    db = new Database(':memory:');
    migrate(db);
    const repo = createEventsRepo(db);
    const plain: TrackingEvent = {
      ...event,
      offerId: undefined,
      detail: {},
      client: { verdict: 'human', reasons: [] },
    };
    delete plain.offerId;
    expect(repo.apply(plain)).toBe('inserted');
    const body = db.prepare('SELECT json(body) FROM events').pluck().get() as string;
    expect(body.length).toBeLessThan(JSON.stringify(plain).length / 2);
    expect(repo.get(plain.id)?.event).toEqual(plain);
    // a newer version replaces, and reads back whole
    const newer = { ...plain, seq: 9, client: { verdict: 'prefetch' as const, reasons: ['ip.apple_mpp'] } };
    expect(repo.apply(newer)).toBe('updated');
    expect(repo.get(plain.id)?.event).toEqual(newer);
  });
});
