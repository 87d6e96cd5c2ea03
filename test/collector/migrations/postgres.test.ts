import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src-collector/store/postgres/migrate';
import { migrations } from '../../../src-collector/store/postgres/migrations';
import { createScratchSchema, PG_SKIP_REASON, skipWithoutPg } from '../../collector-pg/pg-support';

/**
 * One case per collector PostgreSQL migration: a fresh schema at the version before, then exactly
 * that migration, then its effect. A new migration without a case here fails the last test.
 */
type Sql = postgres.Sql;
const skip = skipWithoutPg();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

const tables = async (sql: Sql): Promise<string[]> =>
  (await sql`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`).map(
    (r) => r.tablename as string,
  );
const indexes = async (sql: Sql, table: string): Promise<string[]> =>
  (
    await sql`SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = ${table} ORDER BY indexname`
  ).map((r) => r.indexname as string);
const columns = async (sql: Sql, table: string): Promise<string[]> =>
  (
    await sql`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ${table}`
  ).map((r) => r.column_name as string);
const foreignKeys = async (sql: Sql): Promise<number> =>
  (await sql`SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'f'`).length;

async function seed(sql: Sql, types: string[]): Promise<void> {
  await sql`INSERT INTO accounts (id, name, created_at) VALUES ('a1', 'A', now())`;
  await sql`INSERT INTO users (id, account_id, email, name, role, token_hash, created_at) VALUES ('u1', 'a1', 'u@x', 'U', 'agent', 'h', now())`;
  await sql`INSERT INTO messages (id, account_id, user_id, client_id, subject, sent_individually, recipients, links, created_at, seq)
    VALUES ('m1', 'a1', 'u1', 'c1', 'S', true, '[]', '[]', now(), 1)`;
  for (const [i, t] of types.entries()) {
    await sql`INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, occurred_at, detail, verdict, reasons,
      ip_prefix, signals) VALUES (${`e${i}`}, 'a1', 'u1', 'm1', 't1', ${i + 2}, ${t}, now(), '{}', 'human', '[]', 'p', '{}')`;
  }
}

const cases: Record<number, { before?: (sql: Sql) => Promise<void>; check: (sql: Sql) => Promise<void> }> = {
  1: {
    check: async (sql) => {
      expect(await tables(sql)).toEqual([
        'account_seq',
        'accounts',
        'events',
        'messages',
        'schema_version',
        'trackers',
        'users',
      ]);
      expect(await foreignKeys(sql)).toBe(3);
    },
  },
  2: { check: async (sql) => expect(await foreignKeys(sql)).toBe(0) },
  3: {
    before: (sql) => seed(sql, []),
    check: async (sql) =>
      expect(await sql`SELECT shares_network_with_prospects FROM accounts`).toEqual([
        { shares_network_with_prospects: false },
      ]),
  },
  4: {
    check: async (sql) =>
      expect(await tables(sql)).toEqual(
        expect.arrayContaining([
          'offers',
          'offer_files',
          'offer_recipients',
          'offer_evidence',
          'offer_secrets',
          'offer_blobs',
        ]),
      ),
  },
  5: {
    check: async (sql) => {
      expect(await tables(sql)).toEqual(expect.arrayContaining(['offer_declarations', 'landing_deal_locks']));
      expect(await columns(sql, 'offer_evidence')).toEqual(
        expect.arrayContaining(['repeat_count', 'last_seen_at']),
      );
      expect(await indexes(sql, 'offer_evidence')).toContain('offer_evidence_once');
    },
  },
  6: {
    before: async (sql) => {
      await seed(sql, ['email.opened', 'landing.viewed']);
      await sql`INSERT INTO offers (id, account_id, user_id, message_id, status, property, created_at, updated_at)
        VALUES ('o1', 'a1', 'u1', 'm1', 'active', '{}', 'x', 'x')`;
    },
    check: async (sql) =>
      expect(await sql`SELECT type, offer_id FROM events ORDER BY seq`).toEqual([
        { type: 'email.opened', offer_id: null },
        { type: 'landing.viewed', offer_id: 'o1' },
      ]),
  },
  7: {
    check: async (sql) => {
      expect(await tables(sql)).toEqual(
        expect.arrayContaining([
          'evidence_chain',
          'evidence_chain_subjects',
          'evidence_chain_heads',
          'evidence_signed_heads',
          'evidence_head_timestamps',
        ]),
      );
      expect(await indexes(sql, 'evidence_chain')).toContain('evidence_chain_message');
      // append-only: what was chained or signed cannot be changed or deleted
      await sql`INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link)
        VALUES ('a1', 1, 'r1', 'event', NULL, '{}', 'h', 'l')`;
      await sql`INSERT INTO evidence_signed_heads (account_id, position, link, head, signature, signed_at)
        VALUES ('a1', 1, 'l', '{}', 's', now())`;
      await expect(sql`UPDATE evidence_chain SET record = '{"x":1}'`).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM evidence_chain`).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM evidence_signed_heads`).rejects.toThrow(/append-only/);
    },
  },
  8: {
    check: async (sql) => {
      expect(await tables(sql)).toEqual(
        expect.arrayContaining(['contacts', 'consent_records', 'consent_settings']),
      );
      expect(await indexes(sql, 'contacts')).toContain('contacts_version');
      await sql`INSERT INTO contacts (account_id, email_lower, mode, updated_at, version) VALUES ('a1', 'p@x', NULL, now(), 1)`;
      expect((await sql`SELECT consent_state FROM contacts`)[0]?.consent_state).toBe('none');
      await expect(
        sql`INSERT INTO contacts (account_id, email_lower, mode, updated_at, version) VALUES ('a1', 'q@x', 'sometimes', now(), 2)`,
      ).rejects.toThrow(/check/i);
      await sql`INSERT INTO consent_settings (account_id) VALUES ('a1')`;
      expect(await sql`SELECT default_mode, track_opens, withdrawal_link FROM consent_settings`).toEqual([
        { default_mode: 'always', track_opens: true, withdrawal_link: false },
      ]);
    },
  },
  9: {
    before: async (sql) => {
      await sql`INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link)
        VALUES ('a1', 1, 'message:m1:anna@example.org', 'message', 'm1', '{"a":"anna@example.org"}', 'h', 'l')`;
    },
    check: async (sql) => {
      expect(await tables(sql)).toEqual(
        expect.arrayContaining(['privacy_settings', 'legal_holds', 'sync_tombstones', 'subject_erasures']),
      );
      await expect(sql`UPDATE evidence_chain SET record = '{"x":1}'`).rejects.toThrow(/append-only/);
      await expect(
        sql`UPDATE evidence_chain SET record = '', ref = 'erased:1', erased_at = now(), record_hash = 'k'`,
      ).rejects.toThrow(/append-only/);
      await expect(sql`DELETE FROM evidence_chain`).rejects.toThrow(/append-only/);
      await sql`UPDATE evidence_chain SET record = '', ref = 'erased:1', erased_at = now()`;
      expect(await sql`SELECT ref, record, record_hash, link FROM evidence_chain`).toEqual([
        { ref: 'erased:1', record: '', record_hash: 'h', link: 'l' },
      ]);
    },
  },
  10: {
    before: (sql) => seed(sql, []),
    check: async (sql) => {
      expect((await columns(sql, 'tracking_domains')).sort()).toEqual(['account_id', 'created_at', 'host']);
      await sql`INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.a.example', 'a1', now())`;
      // a host belongs to one account, an account has one host
      await expect(
        sql`INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.b.example', 'a1', now())`,
      ).rejects.toThrow(/unique|duplicate/);
      await expect(
        sql`INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.c.example', 'nobody', now())`,
      ).rejects.toThrow(/foreign key/);
    },
  },
  11: {
    before: async (sql) => {
      await sql`INSERT INTO evidence_chain (account_id, position, ref, kind, message_id, record, record_hash, link)
        VALUES ('a1', 1, 'event:e1@2', 'event', 'm1', '{}', 'h', 'l'), ('a1', 2, 'offer:o1', 'offer', NULL, '{}', 'h', 'l')`;
    },
    check: async (sql) => {
      const idx = await indexes(sql, 'evidence_chain');
      expect(idx).not.toContain('evidence_chain_message');
      expect(idx).not.toContain('evidence_chain_kind');
      expect(idx).toContain('evidence_chain_kind_refs');
      // chainedIds' query, kind as a parameter (a generic plan too), can read the partial index
      const q = `SELECT ref FROM evidence_chain
        WHERE account_id = $1 AND kind IN ('offer', 'legal_confirmation', 'consent') AND kind = $2`;
      await sql.begin(async (tx) => {
        await tx`SET LOCAL enable_seqscan = off`;
        await tx`SET LOCAL plan_cache_mode = force_generic_plan`;
        await tx.unsafe(`PREPARE chained(text, text) AS ${q}`);
        const plan = (await tx.unsafe(`EXPLAIN EXECUTE chained('a1', 'offer')`)).map((r) => Object.values(r)[0]).join(' ');
        expect(plan).toMatch(/evidence_chain_kind_refs/);
        await tx.unsafe('DEALLOCATE chained');
      });
      expect((await sql.unsafe(q, ['a1', 'offer'])).map((r) => r.ref)).toEqual(['offer:o1']);
      expect(await sql.unsafe(q, ['a1', 'event'])).toEqual([]);
    },
  },
  // issue 20: a domain's probe state; domains set before it stay live
  12: {
    before: async (sql) => {
      await seed(sql, []);
      await sql`INSERT INTO tracking_domains (host, account_id, created_at) VALUES ('t.a.example', 'a1', '2026-01-01T00:00:00Z')`;
    },
    check: async (sql) => {
      expect((await columns(sql, 'tracking_domains')).sort()).toEqual([
        'account_id',
        'check_code',
        'check_detail',
        'check_ok',
        'checked_at',
        'created_at',
        'failures',
        'host',
        'next_check_at',
        'state',
        'verified_at',
      ]);
      const [row] = await sql`SELECT state, verified_at, failures FROM tracking_domains`;
      expect(row).toEqual({ state: 'verified', verified_at: new Date('2026-01-01T00:00:00Z'), failures: 0 });
      await expect(sql`UPDATE tracking_domains SET state = 'live'`).rejects.toThrow(/check constraint/);
      expect(await tables(sql)).toContain('collector_secrets');
    },
  },
};

describe.skipIf(skip)(
  `collector PostgreSQL migrations, one case each${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`,
  () => {
    it.each(migrations.map((m) => [m.version, m.name] as const))('%i %s', async (version) => {
      const s = await createScratchSchema();
      const sql = postgres(s.url, { max: 1, onnotice: () => {} });
      cleanup.push(() => s.drop());
      cleanup.push(() => sql.end({ timeout: 2 }));
      expect(await migrate(sql, version - 1)).toBe(version - 1);
      const c = cases[version];
      if (!c) throw new Error(`migration ${version} has no test case`);
      await c.before?.(sql);
      expect(await migrate(sql, version)).toBe(version);
      await c.check(sql);
    });

    it('every migration has its case', () => {
      expect(Object.keys(cases).map(Number)).toEqual(migrations.map((m) => m.version));
    });
  },
);
