import { randomUUID } from 'node:crypto';
import { closeSync, fsyncSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { createAccount, createUser } from '../../src-collector/accounts';
import { newEventId } from '../../src-collector/hits/event-id';
import { openStore } from '../../src-collector/store/open';
import type { Store } from '../../src-collector/store/types';

/**
 * Prepares a collector database holding `n` stored events, written straight into the tables
 * (going through HTTP would take longer than the measurement). One account, one admin, one
 * message with 500 trackers; the events look like real opens (signals, reasons).
 */
export interface Filled {
  token: string;
  accountId: string;
  /** the admin whose token `token` is */
  userId: string;
  events: number;
  /** the 500 tracker tokens of the message */
  tokens: string[];
}

const SIGNALS = JSON.stringify({
  kind: 'open',
  method: 'GET',
  at: '2026-01-01T00:00:00.000Z',
  ipPrefix: '203.0.113.0/24',
  userAgent:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  headers: { accept: 'image/avif,image/webp,*/*', 'accept-language': 'de-DE,de;q=0.9' },
  senderPrefixes: [],
});

async function seed(
  store: Store,
  small: readonly string[] = [],
): Promise<{
  token: string;
  accountId: string;
  userId: string;
  messageId: string;
  tokens: string[];
  small: { messageId: string; token: string }[];
}> {
  const account = await createAccount(store, 'Volumen GmbH');
  const { user, token } = await createUser(store, {
    accountId: account.id,
    email: 'v@bench.example',
    name: 'V',
    role: 'admin',
  });
  const smallMessages: { messageId: string; token: string }[] = [];
  for (const clientId of small) {
    const t = randomUUID().replace(/-/g, '');
    const { message } = await store.registerMessage({
      accountId: account.id,
      userId: user.id,
      clientId,
      subject: `Exposé ${clientId}`,
      sentIndividually: true,
      recipients: [{ email: `${clientId}@kunde.example`, name: `Kunde ${clientId}` }],
      links: ['https://bench.example/'],
      trackers: [
        { token: t, recipientEmail: `${clientId}@kunde.example`, recipientName: `Kunde ${clientId}` },
      ],
      createdAt: new Date().toISOString(),
    });
    smallMessages.push({ messageId: message.id, token: t });
  }
  const tokens = Array.from({ length: 500 }, () => randomUUID().replace(/-/g, ''));
  const { message } = await store.registerMessage({
    accountId: account.id,
    userId: user.id,
    clientId: 'volume',
    subject: 'Volumen',
    sentIndividually: true,
    recipients: tokens.map((_, i) => ({ email: `r${i}@bench.example` })),
    links: ['https://bench.example/'],
    trackers: tokens.map((t, i) => ({
      token: t,
      recipientEmail: `r${i}@bench.example`,
      recipientName: null,
    })),
    createdAt: new Date().toISOString(),
  });
  return {
    token,
    accountId: account.id,
    userId: user.id,
    messageId: message.id,
    tokens,
    small: smallMessages,
  };
}

/**
 * `small`: client ids of messages registered before the large one, with SMALL_EVENTS events each
 * right after the registrations (seq order: small registrations, the large one, the small
 * messages' events, then the n events); without them the n events have seq 2 … n + 1.
 */
export const SMALL_EVENTS = 3;
export async function fillSqlite(file: string, n: number, small: readonly string[] = []): Promise<Filled> {
  const opened = await openStore({ file });
  if (!opened.ok) throw new Error(JSON.stringify(opened.error));
  const s = await seed(opened.value, small);
  await opened.value.close();
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const insert = db.prepare(
    `INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at, detail,
       verdict, reasons, corrected_from, ip_owner, ip_prefix, ua_family, os, signals)
     VALUES (?, ?, ?, ?, ?, ?, 'email.opened', ?, ?, '{}', 'human', '["ua.browser"]', NULL, NULL, '203.0.113.0/24', 'Chrome', 'Windows', ?)`,
  );
  const t0 = Date.parse('2026-01-01T00:00:00Z');
  let seq = small.length + 2;
  db.transaction(() => {
    for (const m of s.small)
      for (let k = 0; k < SMALL_EVENTS; k++)
        insert.run(
          newEventId(t0 - 1000 + k),
          s.accountId,
          s.userId,
          m.messageId,
          m.token,
          seq++,
          `${small[s.small.indexOf(m)]}@kunde.example`,
          new Date(t0 - 1000 + k).toISOString(),
          SIGNALS,
        );
  })();
  const first = seq;
  const chunk = 50_000;
  for (let start = 0; start < n; start += chunk) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + chunk); i++) {
        const r = i % 500;
        insert.run(
          newEventId(t0 + i * 1000), // time-ordered, as the collector makes them
          s.accountId,
          s.userId,
          s.messageId,
          s.tokens[r],
          first + i,
          `r${r}@bench.example`,
          new Date(t0 + i * 1000).toISOString(),
          SIGNALS,
        );
      }
    })();
  }
  db.prepare('UPDATE accounts SET last_seq = ? WHERE id = ?').run(first + n - 1, s.accountId);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  // the fill leaves up to a gigabyte of dirty pages: written back now, not by the kernel during
  // the measurement that follows (it cost the 1,000,000-event sync about 1 s)
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { token: s.token, accountId: s.accountId, userId: s.userId, events: n, tokens: s.tokens };
}

export async function fillPostgres(url: string, n: number): Promise<Filled> {
  const opened = await openStore({ databaseUrl: url });
  if (!opened.ok) throw new Error(`${opened.error.message}: ${opened.error.detail}`);
  const s = await seed(opened.value);
  await opened.value.close();
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql`INSERT INTO events (id, account_id, user_id, message_id, token, seq, type, recipient_email, occurred_at, detail,
        verdict, reasons, ip_prefix, ua_family, os, signals)
      SELECT substr(lpad(to_hex(ms), 12, '0'), 1, 8) || '-' || substr(lpad(to_hex(ms), 12, '0'), 9, 4) || '-7'
          || substr(gen_random_uuid()::text, 16), ${s.accountId}, ${s.userId}, ${s.messageId}, (${s.tokens}::text[])[1 + i % 500], i + 2,
        'email.opened', 'r' || (i % 500) || '@bench.example', timestamptz '2026-01-01' + i * interval '1 second', '{}',
        'human', '["ua.browser"]', '203.0.113.0/24', 'Chrome', 'Windows', ${SIGNALS}
      FROM generate_series(0, ${n - 1}) AS i, LATERAL (SELECT 1767225600000 + i * 1000::bigint AS ms) AS t`;
    await sql`UPDATE account_seq SET last_seq = ${n + 1} WHERE account_id = ${s.accountId}`;
    // the bulk write's WAL and statistics settle before anything is measured
    await sql`VACUUM ANALYZE events`;
    await sql`CHECKPOINT`.catch(() => undefined);
  } finally {
    await sql.end({ timeout: 2 });
  }
  return { token: s.token, accountId: s.accountId, userId: s.userId, events: n, tokens: s.tokens };
}
