import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createErasedRepo } from '../../../../src-main/core/cache/erased';
import { migrate, schemaVersion } from '../../../../src-main/core/cache/migrations';

describe('migration 013_events_without_recipient_index', () => {
  it('drops the events’ address index; an erasure still finds the address’s events in any letter case', () => {
    const db = new Database(':memory:');
    try {
      expect(migrate(db, 12)).toBe(12);
      const index = (name: string) => db.prepare('SELECT name FROM sqlite_schema WHERE name = ?').get(name);
      expect(index('events_by_recipient')).toBeDefined();
      const insert = db.prepare(`INSERT INTO events (id, seq, collector_message_id, type, recipient_email, occurred_at,
          verdict, body) VALUES (?, ?, 'm1', 'email.opened', ?, '2026-01-01T00:00:00.000Z', 'human', '{}')`);
      insert.run('e1', 1, 'Anna@Kunde.example');
      insert.run('e2', 2, 'bert@kunde.example');
      insert.run('e3', 3, 'anna@kunde.example');
      expect(migrate(db, 13)).toBe(13);
      expect(schemaVersion(db)).toBe(13);
      expect(index('events_by_recipient')).toBeUndefined();
      expect(index('mailbox_signals_by_recipient')).toBeDefined();
      const r = createErasedRepo(db).eraseAddress('ANNA@kunde.example');
      expect(r.events).toBe(2);
      expect(db.prepare('SELECT id FROM events').all()).toEqual([{ id: 'e2' }]);
    } finally {
      db.close();
    }
  });
});
