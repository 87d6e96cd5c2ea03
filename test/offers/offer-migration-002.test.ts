import Database from 'better-sqlite3';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { migrate as migratePg } from '../../src-collector/store/postgres/migrate';
import { migrate as migrateSqlite } from '../../src-collector/store/sqlite/migrate';
import { createScratchSchema, PG_URL } from '../collector-pg/pg-support';

/** rows of a version-1 store: one token confirmed the same wording three times (three POSTs) */
const rows = [
  ['e1', 'tok', 'early_start', 'h1', '2026-12-01T10:00:00.000Z'],
  ['e2', 'tok', 'early_start', 'h1', '2026-12-01T10:05:00.000Z'],
  ['e3', 'tok', 'early_start', 'h1', '2026-12-01T10:09:00.000Z'],
  ['e4', 'tok', 'commission_notice', 'h2', '2026-12-01T10:00:00.000Z'],
  ['e5', 'tok2', 'early_start', 'h1', '2026-12-01T11:00:00.000Z'],
] as const;
const insert = `INSERT INTO offer_evidence (id, offer_id, account_id, token, recipient_email, confirmation, wording,
  wording_sha256, policy_version, confirmed_at, ip, user_agent) VALUES ($1, 'o1', 'a1', $2, NULL, $3, 'w', $4, 'v', $5, '198.51.100.23', 'ua')`;
const offer = `INSERT INTO offers (id, account_id, user_id, message_id, status, property, created_at, updated_at)
  VALUES ('o1', 'a1', 'u1', 'm1', 'active', '{}', 'x', 'x')`;

function expectFolded(got: { id: string; repeat_count: number; last_seen_at: string | null }[]): void {
  expect(got).toEqual([
    { id: 'e1', repeat_count: 2, last_seen_at: '2026-12-01T10:09:00.000Z' },
    { id: 'e4', repeat_count: 0, last_seen_at: '2026-12-01T10:00:00.000Z' },
    { id: 'e5', repeat_count: 0, last_seen_at: '2026-12-01T11:00:00.000Z' },
  ]);
}

describe('collector migration offer_declarations_locks (SQLite 6, PostgreSQL 5): evidence folded to one row per token, confirmation and wording', () => {
  it('SQLite keeps the first row and counts the repeats', () => {
    const db = new Database(':memory:');
    expect(migrateSqlite(db, 5)).toBe(5);
    db.exec(offer);
    const ins = db.prepare(insert.replace(/\$\d/g, '?'));
    for (const r of rows) ins.run(...r);
    expect(migrateSqlite(db, 6)).toBe(6);
    expectFolded(
      db.prepare('SELECT id, repeat_count, last_seen_at FROM offer_evidence ORDER BY id').all() as never,
    );
    expect(() => ins.run('e6', 'tok', 'early_start', 'h1', '2026-12-02T00:00:00.000Z')).toThrow(/UNIQUE/);
    db.close();
  });

  it.skipIf(!PG_URL)('PostgreSQL the same', async () => {
    const scratch = await createScratchSchema();
    const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
    try {
      expect(await migratePg(sql, 4)).toBe(4);
      await sql.unsafe(offer);
      for (const r of rows) await sql.unsafe(insert, [...r]);
      expect(await migratePg(sql, 5)).toBe(5);
      expectFolded(
        (await sql.unsafe('SELECT id, repeat_count, last_seen_at FROM offer_evidence ORDER BY id')) as never,
      );
    } finally {
      await sql.end();
      await scratch.drop();
    }
  });
});
