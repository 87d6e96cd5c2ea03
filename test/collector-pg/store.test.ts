import { randomUUID } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src-collector/store/open';
import type { NewHit, Store } from '../../src-collector/store/types';
import { startTestCollector } from '../support/collector';
import { call, hitPixel, register } from '../collector/helpers';
import {
  createScratchSchema,
  newHit,
  PG_SKIP_REASON,
  seedMessage,
  skipWithoutPg,
  type ScratchSchema,
  openPgStore,
} from './pg-support';

const skip = skipWithoutPg();
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

async function scratch(): Promise<ScratchSchema> {
  const s = await createScratchSchema();
  cleanup.push(() => s.drop());
  return s;
}

const open = (url: string): Promise<Store> => openPgStore(url, cleanup);

function raw(url: string): postgres.Sql {
  const sql = postgres(url, { max: 2, onnotice: () => {} });
  cleanup.push(() => sql.end({ timeout: 2 }));
  return sql;
}

/** an account with one admin and one registered message, ready for hits */
async function seed(store: Store) {
  const { account, user, message, viewer, token } = await seedMessage(store, 'Seq GmbH');
  const hit = (): NewHit => newHit(account.id, message.id, token);
  return { account, user, message, viewer, hit };
}

describe.skipIf(skip)(`PostgreSQL store${skip ? ` (skipped: ${PG_SKIP_REASON})` : ''}`, () => {
  it('migrates to a versioned schema, reopens idempotently, and refuses a schema written by a newer collector', async () => {
    const s = await scratch();
    for (let i = 0; i < 2; i++) {
      const r = await openStore({ databaseUrl: s.url });
      expect(r.ok).toBe(true);
      if (r.ok) await r.value.close();
    }
    const sql = raw(s.url);
    expect(await sql`SELECT version FROM schema_version ORDER BY version`).toEqual([
      { version: 1 },
      { version: 2 },
      { version: 3 },
      { version: 4 },
    ]);
    await sql`INSERT INTO schema_version (version, applied_at) VALUES (99, now())`;
    const again = await openStore({ databaseUrl: s.url });
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error.detail).toContain('newer');
  });

  it('an unreachable database is a clear error value, not a throw', async () => {
    const r = await openStore({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('postgres_not_available');
  });

  it('a writer that commits late holds back the next seq: no reader cursor can pass it', async () => {
    const s = await scratch();
    const a = await open(s.url);
    const b = await open(s.url);
    const { account, message, user, viewer, hit } = await seed(a);
    const sql = raw(s.url);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let lateSeq = 0;
    // another writer (as another instance would) takes seq 2 and keeps its transaction open
    const late = sql.begin(async (tx) => {
      const [row] = await tx<{ last_seq: string }[]>`
        UPDATE account_seq SET last_seq = last_seq + 1 WHERE account_id = ${account.id} RETURNING last_seq`;
      lateSeq = Number(row!.last_seq);
      await tx`INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, occurred_at, detail, verdict, reasons, ip_prefix, signals)
        VALUES (${randomUUID()}, ${account.id}, ${user.id}, ${message.id}, 'late', ${lateSeq}, 'email.opened', now(), '{}', 'human', '[]', '203.0.113.0/24', '{}')`;
      await gate;
    });
    while (lateSeq === 0) await new Promise((r) => setTimeout(r, 5));
    let stored = false;
    const write = b.recordHits([hit()]).then((refs) => {
      stored = true;
      return refs;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(stored).toBe(false);
    const during = await a.pullEvents(viewer, 1, 100);
    expect(during.events).toEqual([]);
    release();
    await late;
    const refs = await write;
    expect(refs[0]!.seq).toBe(lateSeq + 1);
    const after = await a.pullEvents(viewer, 1, 100);
    expect(after.events.map((e) => e.seq)).toEqual([lateSeq, lateSeq + 1]);
  });

  it("one instance's commit wakes another instance's listeners", async () => {
    const s = await scratch();
    const a = await open(s.url);
    const b = await open(s.url);
    const { account, hit } = await seed(a);
    const heard = new Promise<string>((r) => b.onCommitted(r));
    const t0 = Date.now();
    await a.recordHits([hit()]);
    expect(await heard).toBe(account.id);
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('the same clientId registered on two instances at once makes one message and uses one seq', async () => {
    const s = await scratch();
    const a = await open(s.url);
    const b = await open(s.url);
    const { account, user, viewer } = await seed(a);
    const input = {
      accountId: account.id,
      userId: user.id,
      clientId: 'twice',
      subject: 'Zweimal',
      sentIndividually: false,
      recipients: [],
      links: [],
      createdAt: new Date().toISOString(),
    };
    const [x, y] = await Promise.all([
      a.registerMessage({
        ...input,
        trackers: [{ token: 'a'.repeat(32), recipientEmail: null, recipientName: null }],
      }),
      b.registerMessage({
        ...input,
        trackers: [{ token: 'b'.repeat(32), recipientEmail: null, recipientName: null }],
      }),
    ]);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    expect(x.message.id).toBe(y.message.id);
    expect(x.message.trackers).toEqual(y.message.trackers);
    const page = await a.pullEvents(viewer, 0, 100);
    expect(page.messages.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('stores no full IP anywhere, and the API token only as its hash', async () => {
    const schema = await scratch();
    const c = await startTestCollector({ databaseUrl: schema.url, trustProxy: true });
    cleanup.push(() => c.close());
    const apiIp = '198.51.100.23';
    const reg = await register(c, c.agentToken);
    await call(`${c.url}/api/v1/me`, { token: c.agentToken, headers: { 'x-forwarded-for': apiIp } });
    await fetch(reg.trackers[0]!.pixelUrl, { headers: { 'x-forwarded-for': '203.0.113.77' } }).then((r) =>
      r.arrayBuffer(),
    );
    await hitPixel(reg.trackers[0]!.pixelUrl);
    expect(c.collector.store.kind).toBe('postgres');
    const sql = raw(schema.url);
    const tables = await sql<
      { tablename: string }[]
    >`SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`;
    let dump = '';
    for (const { tablename } of tables) dump += JSON.stringify(await sql`SELECT * FROM ${sql(tablename)}`);
    expect(dump).toContain('203.0.113.0/24');
    expect(dump).not.toContain('203.0.113.77');
    expect(dump).not.toContain(apiIp);
    expect(dump).not.toContain('127.0.0.1');
    expect(dump).not.toContain(c.agentToken);
  });
});
