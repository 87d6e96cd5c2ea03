import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';

describe('migrations 011 (reserved) and 012_erasure', () => {
  it('adds the indexes that find an address in any letter case, and the lookup uses them', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 10)).toBe(10);
      expect(migrate(db, 11)).toBe(11);
      const index = (name: string) => db.prepare('SELECT name FROM sqlite_schema WHERE name = ?').get(name);
      expect(index('events_by_recipient')).toBeUndefined();
      expect(migrate(db, 12)).toBe(12);
      expect(schemaVersion(db)).toBe(12);
      expect(index('events_by_recipient')).toBeDefined();
      expect(index('mailbox_signals_by_recipient')).toBeDefined();
      const plan = db
        .prepare("EXPLAIN QUERY PLAN SELECT id FROM events WHERE recipient_email = 'A@B.example' COLLATE NOCASE")
        .all() as { detail: string }[];
      expect(plan.map((p) => p.detail).join(' ')).toContain('events_by_recipient');
    } finally {
      db.close();
    }
  });
});
