import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src-collector/store/sqlite/migrate';
import { migrations } from '../../../src-collector/store/sqlite/migrations';

/**
 * One case per collector SQLite migration: the database at the version before, then exactly that
 * migration, then its effect. A new migration without a case here fails the last test.
 */
type Db = Database.Database;
const tables = (db: Db): string[] =>
  db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all() as string[];
const indexes = (db: Db, table: string): string[] =>
  db
    .prepare(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
    )
    .pluck()
    .all(table) as string[];
const columns = (db: Db, table: string): string[] =>
  (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);

/** an account, a user, a message with a tracker, and one event of each type given */
function seed(db: Db, types: string[]): void {
  db.exec(`INSERT INTO accounts (id, name, created_at) VALUES ('a1', 'A', 'x');
    INSERT INTO users (id, account_id, email, name, role, token_hash, created_at) VALUES ('u1', 'a1', 'u@x', 'U', 'agent', 'h', 'x');
    INSERT INTO messages (id, account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at, seq)
      VALUES ('m1', 'a1', 'u1', 'c1', 'S', 1, '[]', '[]', 'x', 1);
    INSERT INTO trackers (token, message_id, position, recipient_email, recipient_name) VALUES ('t1', 'm1', 0, NULL, NULL);`);
  const ins =
    db.prepare(`INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, occurred_at, detail,
    verdict, reasons, ip_prefix, signals) VALUES (?, 'a1', 'u1', 'm1', 't1', ?, ?, 'x', '{}', 'human', '[]', 'p', '{}')`);
  types.forEach((t, i) => ins.run(`e${i}`, i + 2, t));
}

const cases: Record<number, { before?: (db: Db) => void; check: (db: Db) => void }> = {
  1: {
    check: (db) => {
      expect(tables(db)).toEqual(['accounts', 'events', 'messages', 'schema_version', 'trackers', 'users']);
      expect(db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'events'").pluck().get()).toMatch(
        /STRICT\s*$/,
      );
    },
  },
  2: { check: (db) => expect(indexes(db, 'events')).toContain('events_message_time') },
  3: { check: (db) => expect(indexes(db, 'events')).not.toContain('events_message') },
  4: {
    before: (db) => seed(db, []),
    check: (db) =>
      expect(db.prepare('SELECT shares_network_with_prospects FROM accounts').pluck().get()).toBe(0),
  },
  5: {
    check: (db) =>
      expect(tables(db)).toEqual(
        expect.arrayContaining([
          'offers',
          'offer_files',
          'offer_recipients',
          'offer_likes',
          'offer_evidence',
          'offer_secrets',
        ]),
      ),
  },
  6: {
    check: (db) => {
      expect(tables(db)).toEqual(
        expect.arrayContaining(['offer_declarations', 'landing_lock_settings', 'landing_property_locks']),
      );
      expect(columns(db, 'offer_evidence')).toEqual(expect.arrayContaining(['repeat_count', 'last_seen_at']));
      expect(indexes(db, 'offer_evidence')).toContain('offer_evidence_once');
    },
  },
  7: {
    before: (db) => {
      seed(db, ['email.opened', 'landing.viewed']);
      db.exec(`INSERT INTO offers (id, account_id, user_id, message_id, status, property, created_at, updated_at)
        VALUES ('o1', 'a1', 'u1', 'm1', 'active', '{}', 'x', 'x')`);
    },
    check: (db) =>
      expect(db.prepare('SELECT type, offer_id FROM events ORDER BY seq').all()).toEqual([
        { type: 'email.opened', offer_id: null },
        { type: 'landing.viewed', offer_id: 'o1' },
      ]),
  },
  8: {
    check: (db) => {
      expect(tables(db)).toEqual(
        expect.arrayContaining([
          'evidence_chain',
          'evidence_chain_subjects',
          'evidence_chain_heads',
          'evidence_signed_heads',
          'evidence_head_timestamps',
        ]),
      );
      expect(indexes(db, 'evidence_chain')).toContain('evidence_chain_message');
      // append-only: what was chained or signed cannot be changed or deleted
      db.exec(`INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link, appended_at)
        VALUES ('a1', 1, 'r1', 'event', NULL, '{}', 'h', 'l', 'x')`);
      db.exec(`INSERT INTO evidence_signed_heads (account_id, position, link, head, signature, signed_at)
        VALUES ('a1', 1, 'l', '{}', 's', 'x')`);
      expect(() => db.exec('UPDATE evidence_chain SET record = \'{"x":1}\'')).toThrow(/append-only/);
      expect(() => db.exec('DELETE FROM evidence_chain')).toThrow(/append-only/);
      expect(() => db.exec("UPDATE evidence_signed_heads SET signature = 't'")).toThrow(/kept as signed/);
      expect(() => db.exec('DELETE FROM evidence_signed_heads')).toThrow(/kept as signed/);
    },
  },
  9: {
    check: (db) => {
      expect(tables(db)).toEqual(expect.arrayContaining(['contacts', 'consent_records', 'consent_settings']));
      expect(indexes(db, 'contacts')).toContain('contacts_version');
      db.exec(
        `INSERT INTO contacts (account_id, email_lower, mode, updated_at, version) VALUES ('a1', 'p@x', NULL, 'x', 1)`,
      );
      expect(db.prepare('SELECT consent_state FROM contacts').pluck().get()).toBe('none');
      // only the three modes
      expect(() =>
        db.exec(
          `INSERT INTO contacts (account_id, email_lower, mode, updated_at, version) VALUES ('a1', 'q@x', 'sometimes', 'x', 2)`,
        ),
      ).toThrow(/CHECK/);
      db.exec(`INSERT INTO consent_settings (account_id) VALUES ('a1')`);
      expect(
        db.prepare('SELECT default_mode, track_opens, withdrawal_link FROM consent_settings').get(),
      ).toEqual({
        default_mode: 'always',
        track_opens: 1,
        withdrawal_link: 0,
      });
    },
  },
  10: {
    before: (db) =>
      db.exec(`INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link, appended_at)
        VALUES ('a1', 1, 'message:m1:anna@example.org', 'message', 'm1', '{"a":"anna@example.org"}', 'h', 'l', 'x')`),
    check: (db) => {
      expect(tables(db)).toEqual(
        expect.arrayContaining(['privacy_settings', 'legal_holds', 'sync_tombstones', 'subject_erasures']),
      );
      expect(columns(db, 'evidence_chain')).toContain('erased_at');
      // still append-only, except that an erasure may blank the content and keep hash and link
      expect(() => db.exec('UPDATE evidence_chain SET record = \'{"x":1}\'')).toThrow(/append-only/);
      expect(() =>
        db.exec(
          "UPDATE evidence_chain SET record = '', ref = 'erased:1', erased_at = 'y', record_hash = 'k'",
        ),
      ).toThrow(/append-only/);
      expect(() => db.exec('DELETE FROM evidence_chain')).toThrow(/append-only/);
      db.exec("UPDATE evidence_chain SET record = '', ref = 'erased:1', erased_at = 'y'");
      expect(db.prepare('SELECT ref, record, record_hash, link FROM evidence_chain').get()).toEqual({
        ref: 'erased:1',
        record: '',
        record_hash: 'h',
        link: 'l',
      });
      db.exec("INSERT INTO privacy_settings (account_id) VALUES ('a1')");
      expect(db.prepare('SELECT retention_days FROM privacy_settings').pluck().get()).toBe(365);
    },
  },
  11: {
    before: (db) => seed(db, []),
    check: (db) => {
      expect(columns(db, 'tracking_domains')).toEqual(['host', 'account_id', 'created_at']);
      db.exec(
        "INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.a.example', 'a1', 'x')",
      );
      // a host belongs to one account, an account has one host
      expect(() =>
        db.exec(
          "INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.b.example', 'a1', 'x')",
        ),
      ).toThrow(/UNIQUE/);
      expect(() =>
        db.exec(
          "INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.a.example', 'a2', 'x')",
        ),
      ).toThrow(/UNIQUE|FOREIGN KEY/);
    },
  },
  12: {
    before: (db) => {
      const ins = db.prepare(`INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link, appended_at)
        VALUES ('a1', ?, ?, ?, NULL, '{}', 'h', 'l', 'x')`);
      ins.run(1, 'event:e1@2', 'event');
      ins.run(2, 'offer:o1', 'offer');
    },
    check: (db) => {
      const idx = indexes(db, 'evidence_chain');
      expect(idx).not.toContain('evidence_chain_message');
      expect(idx).not.toContain('evidence_chain_kind');
      expect(idx).toContain('evidence_chain_kind_refs');
      // event rows stay out of it; chainedIds' query (repeating its WHERE term) reads it
      const q = "SELECT ref FROM evidence_chain WHERE account_id = ? AND kind IN ('offer', 'legal_confirmation', 'consent') AND kind = ?";
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${q}`).all('a1', 'offer') as { detail: string }[]).map((r) => r.detail);
      expect(plan.join(' ')).toMatch(/COVERING INDEX evidence_chain_kind_refs/);
      expect(db.prepare(q).pluck().all('a1', 'offer')).toEqual(['offer:o1']);
      expect(db.prepare(q).pluck().all('a1', 'event')).toEqual([]);
    },
  },
  // issue 20: a domain's probe state; domains set before it stay live
  13: {
    before: (db) => {
      seed(db, []);
      db.exec(
        "INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.a.example', 'a1', '2026-01-01T00:00:00.000Z')",
      );
    },
    check: (db) => {
      expect(columns(db, 'tracking_domains')).toEqual([
        'host',
        'account_id',
        'created_at',
        'state',
        'verified_at',
        'checked_at',
        'check_ok',
        'check_code',
        'check_detail',
        'failures',
        'next_check_at',
      ]);
      expect(db.prepare('SELECT state, verified_at, failures FROM tracking_domains').get()).toEqual({
        state: 'verified',
        verified_at: '2026-01-01T00:00:00.000Z',
        failures: 0,
      });
      expect(() => db.exec("UPDATE tracking_domains SET state = 'live'")).toThrow(/CHECK/);
      expect(tables(db)).toContain('collector_secrets');
    },
  },
};

describe('collector SQLite migrations, one case each', () => {
  let db: Db;
  afterEach(() => db?.close());

  it.each(migrations.map((m) => [m.version, m.name] as const))('%i %s', (version) => {
    db = new Database(':memory:');
    expect(migrate(db, version - 1)).toBe(version - 1);
    const c = cases[version];
    if (!c) throw new Error(`migration ${version} has no test case`);
    c.before?.(db);
    expect(migrate(db, version)).toBe(version);
    c.check(db);
  });

  it('every migration has its case', () => {
    expect(Object.keys(cases).map(Number)).toEqual(migrations.map((m) => m.version));
  });
});
