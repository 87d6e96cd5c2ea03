import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src-collector/store/postgres/migrate';
import { migrations } from '../../src-collector/store/postgres/migrations';
import type { Store } from '../../src-collector/store/types';
import {
  createScratchSchema,
  newHit,
  PG_SKIP_REASON,
  seedMessage,
  skipWithoutPg,
  openPgStore,
} from './pg-support';

const skip = skipWithoutPg();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function scratchSql(): Promise<{ url: string; sql: postgres.Sql }> {
  const s = await createScratchSchema();
  const sql = postgres(s.url, { max: 1, onnotice: () => {} });
  cleanup.push(() => s.drop());
  cleanup.push(() => sql.end({ timeout: 2 }));
  return { url: s.url, sql };
}

const foreignKeys = async (sql: postgres.Sql): Promise<string[]> =>
  (
    await sql<{ conname: string }[]>`
      SELECT conname FROM pg_constraint WHERE conrelid = 'events'::regclass AND contype = 'f' ORDER BY conname`
  ).map((r) => r.conname);

const open = (url: string): Promise<Store> => openPgStore(url, cleanup);

describe.skipIf(skip)(`PostgreSQL migration 002${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it('upgrades a version-1 schema: the events keep their rows and lose their three foreign keys', async () => {
    const { sql } = await scratchSql();
    // a schema as version 1 left it, with one event in it
    await sql`CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)`;
    await sql.unsafe(migrations.find((m) => m.version === 1)!.sql);
    await sql`INSERT INTO schema_version VALUES (1, now())`;
    await sql`INSERT INTO accounts VALUES ('a1', 'A', now(), true)`;
    await sql`INSERT INTO users VALUES ('u1', 'a1', 'u@x', 'U', 'admin', 'h', now())`;
    await sql`INSERT INTO messages VALUES ('m1', 'a1', 'u1', 'c', 'S', true, '[]', '[]', now(), 1)`;
    await sql`INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, occurred_at, detail, verdict,
      reasons, ip_prefix, signals) VALUES ('e1', 'a1', 'u1', 'm1', 't', 2, 'email.opened', now(), '{}', 'human', '[]',
      '203.0.113.0/24', '{}')`;
    expect(await foreignKeys(sql)).toHaveLength(3);

    expect(await migrate(sql)).toBe(4);
    expect(await foreignKeys(sql)).toEqual([]);
    expect(await sql`SELECT id, user_id FROM events`).toEqual([{ id: 'e1', user_id: 'u1' }]);
    // idempotent: a second start finds the newest version and changes nothing
    expect(await migrate(sql)).toBe(4);
  });

  it("the insert does the keys' work: an unknown message or another account's message fails the whole batch", async () => {
    const { url, sql } = await scratchSql();
    const store = await open(url);
    const a = await seedMessage(store, 'eins');
    const b = await seedMessage(store, 'zwei');
    const tokenA = a.token;
    const good = newHit(a.account.id, a.message.id, tokenA);
    const seqBefore = await sql<
      { last_seq: string }[]
    >`SELECT last_seq FROM account_seq WHERE account_id = ${a.account.id}`;

    // one good hit and one for a message that does not exist: neither is stored
    await expect(store.recordHits([good, newHit(a.account.id, 'no-such-message', tokenA)])).rejects.toThrow(
      /user_id/,
    );
    // account a claiming account b's message
    await expect(store.recordHits([newHit(a.account.id, b.message.id, tokenA)])).rejects.toThrow(/user_id/);
    // the same through the path that also revises earlier events
    await expect(
      store.recordHits(
        [newHit(a.account.id, 'no-such-message', tokenA)],
        [{ eventId: 'none', verdict: 'scanner', reasons: [] }],
      ),
    ).rejects.toThrow(/user_id/);
    expect(await sql`SELECT count(*)::int AS n FROM events`).toEqual([{ n: 0 }]);
    // the failed batches rolled back their seqs too: no gap for a cursor to wait on
    expect(await sql`SELECT last_seq FROM account_seq WHERE account_id = ${a.account.id}`).toEqual(seqBefore);

    // a good batch takes the sender from the message row, on both paths
    const [ref] = await store.recordHits([good]);
    const [ref2] = await store.recordHits(
      [newHit(a.account.id, a.message.id, tokenA)],
      [{ eventId: good.id, verdict: 'scanner', reasons: ['test'] }],
    );
    expect(ref?.seq).toBeGreaterThan(Number(seqBefore[0]!.last_seq));
    expect(ref2?.seq).toBeGreaterThan(ref!.seq);
    const rows = await sql<
      { user_id: string; verdict: string }[]
    >`SELECT user_id, verdict FROM events ORDER BY seq`;
    expect(rows.map((r) => r.user_id)).toEqual([a.user.id, a.user.id]);
    expect(rows.map((r) => r.verdict).sort()).toEqual(['human', 'scanner']);
  });
});
