import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createMailboxRepo } from '../../../../src-main/core/cache/mailbox';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';

describe('migration 010_mailbox_signals', () => {
  it('adds the INBOX cursor and signal tables to a version-9 cache, and the repo works on them', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 9)).toBe(9);
      const table = (name: string) => db.prepare('SELECT name FROM sqlite_schema WHERE name = ?').get(name);
      expect(table('mailbox_signals')).toBeUndefined();
      db.exec(`INSERT INTO activities (id, kind, subject, track_requested, tracked, sent_individually, message_id,
          created_at, sent_at, seen_local_id)
        VALUES ('a1', 'email', 'Exposé', 1, 1, 1, '<a1@test>', '2026-01-01', '2026-01-01', 0)`);
      expect(migrate(db, 10)).toBe(10);
      expect(schemaVersion(db)).toBe(10);
      for (const name of [
        'mailbox_cursors',
        'mailbox_signals',
        'deliveries_by_message_id',
        'activity_recipients_by_email',
      ])
        expect(table(name)).toBeDefined();

      const repo = createMailboxRepo(db);
      expect(repo.cursor('imap://x', 'INBOX')).toBeNull();
      repo.setCursor('imap://x', 'INBOX', {
        uidValidity: '7',
        lastUid: 42,
        scannedAt: '2026-01-02T00:00:00.000Z',
      });
      expect(repo.cursor('imap://x', 'INBOX')).toEqual({
        uidValidity: '7',
        lastUid: 42,
        scannedAt: '2026-01-02T00:00:00.000Z',
      });
      const sig = {
        eventId: 'e1',
        activityId: 'a1',
        collectorMessageId: null,
        kind: 'bounced' as const,
        recipientEmail: 'niemand@test.local',
        sourceKey: 'k1',
        occurredAt: '2026-01-02T00:00:00.000Z',
        fromName: null,
        fromEmail: 'MAILER-DAEMON@test.local',
        subject: 'Undelivered Mail Returned to Sender',
        firstLine: null,
        status: '5.1.1',
        diagnostic: 'unknown user',
        reported: 0 as const,
        account: 'imap://x',
        folder: 'INBOX',
        uid: 43,
      };
      expect(repo.insert(sig)).toBe(true);
      // the same fact again (a restart that read it twice) is not a second signal
      expect(repo.insert(sig)).toBe(false);
      expect(repo.unreported().map((s) => s.eventId)).toEqual(['e1']);
      repo.setReported('e1', 1);
      expect(repo.unreported()).toEqual([]);
      // an unknown kind is refused by the table itself
      expect(() => repo.insert({ ...sig, eventId: 'e2', kind: 'read' as never })).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
