import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createActivitiesRepo, type NewActivity } from '../../../../src-main/core/cache/activities';
import { createContactsRepo } from '../../../../src-main/core/cache/contacts';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';

const activity = (id: string): NewActivity => ({
  id,
  kind: 'email',
  subject: `Betreff ${id}`,
  html: '<p>Hallo</p>',
  text: 'Hallo',
  trackRequested: true,
  tracked: true,
  sentIndividually: true,
  messageId: `<${id}@makler.example>`,
  createdAt: '2026-12-08T09:00:00.000Z',
  sentAt: null,
  fromOtherDevice: false,
  recipients: [{ kind: 'to', email: 'anna@kunde.example', name: null }],
  attachments: [],
});

describe('migration 015_prospect_language', () => {
  it('keeps activities of a version-14 cache as German; a new one keeps the language it was sent in', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 14)).toBe(14);
      db.prepare(
        `INSERT INTO activities (id, kind, subject, html, text, track_requested, tracked, sent_individually,
           message_id, created_at, sent_at, from_other_device)
         VALUES ('old', 'email', 'Exposé', NULL, 'Hallo', 1, 1, 1, '<old@makler.example>', '2026-12-01T09:00:00.000Z', NULL, 0)`,
      ).run();
      expect(migrate(db)).toBe(15);
      expect(schemaVersion(db)).toBe(15);
      const repo = createActivitiesRepo(db);
      expect(repo.get('old')?.prospectLanguage).toBe('de');
      repo.insert({ ...activity('en1'), prospectLanguage: 'en' });
      repo.insert(activity('de1'));
      expect(repo.get('en1')?.prospectLanguage).toBe('en');
      expect(repo.get('de1')?.prospectLanguage).toBe('de');
      // only the languages the catalogue has
      expect(() =>
        db.prepare("UPDATE activities SET prospect_language = 'fr' WHERE id = 'en1'").run(),
      ).toThrow(/CHECK constraint failed/);
    } finally {
      db.close();
    }
  });

  it('remembers the language last sent to a contact; a sync from another device keeps it', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 14)).toBe(14);
      db.prepare(
        "INSERT INTO contacts (email, id, name, use_count, last_used_at) VALUES ('anna@kunde.example', 'c1', 'Anna', 3, '2026-12-01')",
      ).run();
      migrate(db);
      const contacts = createContactsRepo(db);
      // a contact of a version-14 cache: none chosen yet
      expect(contacts.commonLanguage(['anna@kunde.example'])).toBeNull();
      contacts.remember([{ email: 'John@Buyer.example', name: 'John' }], '2026-12-08T09:00:00Z', 'en');
      contacts.remember([{ email: 'anna@kunde.example', name: null }], '2026-12-08T09:00:00Z', 'de');
      expect(contacts.commonLanguage(['john@buyer.example'])).toBe('en');
      expect(contacts.commonLanguage(['JOHN@buyer.example', 'john@buyer.example '])).toBe('en');
      expect(contacts.commonLanguage(['anna@kunde.example'])).toBe('de');
      // different languages, or one recipient without any: no guess
      expect(contacts.commonLanguage(['john@buyer.example', 'anna@kunde.example'])).toBeNull();
      expect(contacts.commonLanguage(['john@buyer.example', 'new@buyer.example'])).toBeNull();
      expect(contacts.commonLanguage([])).toBeNull();
      contacts.remember([{ email: 'john@buyer.example', name: null }], '2026-12-08T10:00:00Z');
      expect(contacts.commonLanguage(['john@buyer.example'])).toBe('en');
      contacts.remember([{ email: 'john@buyer.example', name: null }], '2026-12-08T11:00:00Z', 'de');
      expect(contacts.commonLanguage(['john@buyer.example', 'anna@kunde.example'])).toBe('de');
    } finally {
      db.close();
    }
  });
});
