import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../../src-main/core/cache/migrations';

/**
 * The cache migrations without a file of their own here (002, 006, 007): each applied alone on
 * the version before it, then its effect. The others have NNN_name.test.ts beside this file.
 */
type Db = Database.Database;
const tables = (db: Db): string[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
const columns = (db: Db, table: string): string[] =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);

describe('desktop cache migrations 002, 006, 007', () => {
  let db: Db;
  afterEach(() => db?.close());

  it('002 properties_offers: properties, units, files, legal texts, offers; the outbox keeps its rows', () => {
    db = new Database(':memory:');
    expect(migrate(db, 1)).toBe(1);
    const before = tables(db);
    expect(migrate(db, 2)).toBe(2);
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        ...before,
        'properties',
        'property_units',
        'property_files',
        'legal_texts',
        'offers',
      ]),
    );
    expect(columns(db, 'outbox')).toContain('untracked');
  });

  it("006 outbox_not_filed: 'not_filed' is a state the outbox accepts", () => {
    db = new Database(':memory:');
    expect(migrate(db, 5)).toBe(5);
    const ddl = (): string =>
      db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'outbox'").pluck().get() as string;
    expect(ddl()).not.toContain("'not_filed'");
    expect(migrate(db, 6)).toBe(6);
    expect(ddl()).toContain("'not_filed'");
  });

  it('007 legal_contacts_locks: contacts gain kind and archive, the lock tables appear', () => {
    db = new Database(':memory:');
    expect(migrate(db, 6)).toBe(6);
    expect(migrate(db, 7)).toBe(7);
    expect(columns(db, 'contacts')).toEqual(
      expect.arrayContaining(['kind', 'archived_at', 'offer_permission_at', 'lock_pushed']),
    );
    expect(tables(db)).toEqual(
      expect.arrayContaining([
        'legal_documents',
        'property_landing',
        'deal_rejections',
        'confirmation_mails',
      ]),
    );
  });
});
