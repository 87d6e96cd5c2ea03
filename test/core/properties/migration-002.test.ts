import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../../../src-main/core/cache/migrations';

describe('migration 002_properties_offers', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('adds STRICT property, legal and offer tables and keeps every outbox row through the rebuild', () => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 1);
    db.prepare(
      `INSERT INTO activities (id, kind, subject, track_requested, tracked, sent_individually, message_id, created_at)
       VALUES ('a', 'email', 's', 1, 1, 0, '<a@x>', 'now')`,
    ).run();
    db.prepare(
      "INSERT INTO outbox (activity_id, state, attempts, next_attempt_at, error, untracked, updated_at) VALUES ('a', 'retrying', 3, 99, 'x', 1, 't')",
    ).run();
    expect(migrate(db, 2)).toBe(2);
    expect(schemaVersion(db)).toBe(2);
    const tables = db
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'table'")
      .all();
    for (const name of ['properties', 'property_units', 'property_files', 'legal_texts', 'offers', 'outbox'])
      expect(tables.find((t) => t.name === name)?.sql).toMatch(/\)\s*STRICT$/);
    expect(tables.some((t) => t.name === 'outbox_v2')).toBe(false);
    expect(db.prepare('SELECT * FROM outbox').get()).toEqual({
      activity_id: 'a',
      state: 'retrying',
      attempts: 3,
      next_attempt_at: 99,
      error: 'x',
      untracked: 1,
      updated_at: 't',
    });
    // the new state is allowed, unknown ones still are not
    db.prepare("UPDATE outbox SET state = 'published' WHERE activity_id = 'a'").run();
    expect(() => db.prepare("UPDATE outbox SET state = 'lost'").run()).toThrow(/CHECK/);
    // still cascades with the activity
    db.prepare("DELETE FROM activities WHERE id = 'a'").run();
    expect(db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('enforces types, roles, hashes and the legal version an offer points at', () => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    db.prepare(
      `INSERT INTO properties (id, kind, title, street, house_number, postal_code, city, description, links, created_at, updated_at)
       VALUES ('p', 'single', 'T', '', '', '', '', '', '[]', 'n', 'n')`,
    ).run();
    expect(() => db.prepare("UPDATE properties SET price = 'teuer' WHERE id = 'p'").run()).toThrow(
      /cannot store TEXT value in REAL column/,
    );
    expect(() =>
      db
        .prepare(
          "INSERT INTO property_files (id, property_id, position, role, name, content_type, size, sha256, created_at) VALUES ('f', 'p', 0, 'video', 'x', 'application/pdf', 1, ?, 'n')",
        )
        .run('a'.repeat(64)),
    ).toThrow(/CHECK/);
    db.prepare(
      `INSERT INTO activities (id, kind, subject, track_requested, tracked, sent_individually, message_id, created_at)
       VALUES ('o', 'offer', 's', 1, 1, 1, '<o@x>', 'now')`,
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO offers (activity_id, property_id, property, files, intro, policy, legal_kind, legal_version) VALUES ('o', 'p', '{}', '[]', '', '', 'widerrufsbelehrung', 7)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
