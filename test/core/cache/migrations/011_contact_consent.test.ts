import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createConsentRepo } from '../../../../src-main/core/cache/consent';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';

describe('migration 011_contact_consent', () => {
  it('adds the contacts’ consent and the consent links to a version-10 cache, and the repo works on them', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 10)).toBe(10);
      const table = (name: string) => db.prepare('SELECT name FROM sqlite_schema WHERE name = ?').get(name);
      expect(table('contact_consent')).toBeUndefined();
      db.exec(`INSERT INTO activities (id, kind, subject, track_requested, tracked, sent_individually, message_id,
          created_at, sent_at, seen_local_id)
        VALUES ('a1', 'email', 'Exposé', 1, 1, 1, '<a1@test>', '2026-01-01', '2026-01-01', 0)`);
      expect(migrate(db, 11)).toBe(11);
      expect(schemaVersion(db)).toBe(11);
      expect(table('contact_consent')).toBeDefined();
      expect(table('delivery_consent_links')).toBeDefined();

      const repo = createConsentRepo(db);
      const c = {
        email: 'anna@kunde.example',
        mode: 'after_consent' as const,
        state: 'given' as const,
        stateAt: '2026-01-02T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
        version: 5,
      };
      repo.apply([c]);
      // an older version arriving late does not overwrite the newer one
      repo.apply([{ ...c, mode: 'never', state: 'none', version: 3 }]);
      expect(repo.get('Anna@Kunde.example')).toEqual(c);
      repo.saveConsentLinks('a1', [{ email: 'Anna@Kunde.example', consentUrl: 'https://c.example/e/x' }]);
      expect(repo.consentLink('a1', 'anna@kunde.example')).toBe('https://c.example/e/x');
      // the links go with their activity
      db.exec("DELETE FROM activities WHERE id = 'a1'");
      expect(repo.consentLink('a1', 'anna@kunde.example')).toBeNull();
      expect(() =>
        db.exec("INSERT INTO contact_consent VALUES ('x@y', 'sometimes', 'none', NULL, 'x', 1)"),
      ).toThrow(/CHECK/);
    } finally {
      db.close();
    }
  });
});
