import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../src-collector/store/sqlite/migrate';
import { migrations } from '../../src-collector/store/sqlite/migrations';

const indexes = (db: Database.Database): string[] =>
  db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'events'",
    )
    .all()
    .map((r) => r.name)
    .filter((n) => !n.startsWith('sqlite_autoindex'))
    .sort();

const plan = (db: Database.Database, sql: string): string =>
  db
    .prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all()
    .map((r) => r.detail)
    .join(' | ');

describe('collector SQLite migration 003 (drop events_message)', () => {
  let db: Database.Database;
  afterEach(() => db?.close());

  it('upgrades a version-2 file: the unused index goes, the reads by message still use an index', () => {
    db = new Database(':memory:');
    // a file as version 2 left it
    db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL) STRICT');
    for (const m of migrations.filter((x) => x.version <= 2)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(m.version, 'then');
    }
    expect(indexes(db)).toContain('events_message');
    expect(migrate(db)).toBe(5);
    expect(indexes(db)).toEqual(['events_account_seq', 'events_message_time', 'events_user_seq']);
    // the store's two reads by message (sqlite/index.ts): neither scans the table nor sorts it
    expect(
      plan(
        db,
        "SELECT id, signals FROM events WHERE message_id = 'm' ORDER BY occurred_at DESC, id DESC LIMIT 20",
      ),
    ).toMatch(/USING (COVERING )?INDEX events_message_time/);
    const distinct = plan(db, 'SELECT DISTINCT message_id FROM events ORDER BY message_id');
    expect(distinct).toMatch(/COVERING INDEX events_message_time/);
    expect(distinct).not.toMatch(/TEMP B-TREE/);
  });

  it('is applied once', () => {
    db = new Database(':memory:');
    expect(migrate(db)).toBe(5);
    expect(migrate(db)).toBe(5);
    expect(db.prepare('SELECT COUNT(*) FROM schema_version').pluck().get()).toBe(5);
  });
});
