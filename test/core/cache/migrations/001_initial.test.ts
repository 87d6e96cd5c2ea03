import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS, schemaVersion } from '../../../../src-main/core/cache/migrations';

describe('migration 001_initial', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('creates every table STRICT and bumps user_version to 1', () => {
    db = new Database(':memory:');
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, 1)).toBe(1);
    const tables = db
      .prepare<[], { name: string; sql: string }>("SELECT name, sql FROM sqlite_schema WHERE type = 'table'")
      .all();
    const names = tables.map((t) => t.name).sort();
    expect(names).toEqual(
      [
        'activities',
        'activity_messages',
        'activity_recipients',
        'attachments',
        'contacts',
        'deliveries',
        'events',
        'meta',
        'outbox',
      ].sort(),
    );
    for (const t of tables) expect(t.sql).toMatch(/\)\s*STRICT$/);
    // STRICT refuses a wrongly typed value instead of storing it
    expect(() =>
      db
        .prepare(
          "INSERT INTO events (id, seq, collector_message_id, type, occurred_at, verdict, body) VALUES ('e', 'x', 'm', 't', 'o', 'v', '{}')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('is applied once: a second migrate changes nothing', () => {
    db = new Database(':memory:');
    migrate(db, 1);
    db.prepare("INSERT INTO meta (key, value) VALUES ('k', '1')").run();
    expect(migrate(db, 1)).toBe(1);
    expect(db.prepare('SELECT value FROM meta').pluck().get()).toBe('1');
  });

  it('enforces the outbox state set and cascades deletes of an activity', () => {
    db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 1);
    db.prepare(
      `INSERT INTO activities (id, kind, subject, track_requested, tracked, sent_individually, message_id, created_at)
       VALUES ('a', 'email', 's', 1, 1, 0, '<a@x>', 'now')`,
    ).run();
    expect(() =>
      db.prepare("INSERT INTO outbox (activity_id, state, updated_at) VALUES ('a', 'lost', 'now')").run(),
    ).toThrow(/CHECK/);
    db.prepare("INSERT INTO outbox (activity_id, state, updated_at) VALUES ('a', 'queued', 'now')").run();
    db.prepare("DELETE FROM activities WHERE id = 'a'").run();
    expect(db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('refuses a cache written by a newer app', () => {
    db = new Database(':memory:');
    db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(db)).toThrow(
      new RegExp(
        `schema version ${MIGRATIONS.length + 1} is newer than this program knows \\(${MIGRATIONS.length}\\)`,
      ),
    );
  });
});
