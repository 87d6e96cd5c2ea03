import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventsResponse, OfferEvidenceResponse, PublishOfferResponse } from '../../src-shared/api';
import { createAccount, createUser } from '../../src-collector/accounts';
import { backup, restore } from '../../src-collector/ops/backup';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { PG_SKIP_REASON, PG_URL, skipWithoutPg } from '../collector-pg/pg-support';
import { ROOT } from '../collector-pg/proc';
import { call, CHROME_UA, register } from '../collector/helpers';
import { sampleFiles, sampleProperty } from '../fixtures/offers/sample';
import { DESKTOP_UA, PROSPECT_IP, RECIPIENTS } from '../offers/helpers';

const skipPg = skipWithoutPg();
const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanup.reverse()) await c();
});

/** `npm run collector -- …` as its own process, as an operator runs it next to the service */
function cliAsync(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', 'src-collector/cli.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', ...env },
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('exit', (code) => resolve({ code, out, err }));
  });
}

const browser = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };

/** an offer with the legal form, confirmed by the prospect: evidence rows and legal events */
async function confirmedOffer(c: RunningCollector, token: string) {
  const message = await register(c, token, { sentIndividually: true, recipients: RECIPIENTS, links: [] });
  const files = sampleFiles();
  const pub = await call<PublishOfferResponse>(`${c.url}/api/v1/offers`, {
    token,
    body: {
      messageId: message.messageId,
      property: sampleProperty('https://makler.example', { buyerCommission: true }),
      files: files.files,
      contactKinds: [{ email: RECIPIENTS[0]!.email, kind: 'consumer' }],
    },
  });
  if (pub.status !== 200) throw new Error(`publish: ${pub.status} ${pub.text}`);
  const url = pub.body.landing.find((l) => l.recipientEmail === RECIPIENTS[0]!.email)!.url;
  const html = await (await fetch(url, { headers: browser })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error('no csrf token on the landing page');
  const r = await fetch(`${url}/confirm`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      ...browser,
    },
    body: new URLSearchParams({
      csrf,
      c_cancellation_policy_read: 'ja',
      c_early_start: 'ja',
      c_commission_notice: 'ja',
    }).toString(),
  });
  expect(r.status).toBe(303);
  const ev = await call<OfferEvidenceResponse>(`${c.url}/api/v1/offers/${pub.body.offerId}/evidence`, {
    token,
  });
  expect(ev.body.evidence.length).toBe(3);
  return { offerId: pub.body.offerId, landing: url, evidence: ev.body.evidence };
}

async function allEvents(c: RunningCollector, token: string): Promise<EventsResponse['events']> {
  const out: EventsResponse['events'] = [];
  for (let after = 0; ;) {
    const r = await call<EventsResponse>(`${c.url}/api/v1/events?after=${after}&limit=1000`, { token });
    if (r.status !== 200) throw new Error(`pull: ${r.status} ${r.text}`);
    out.push(...r.body.events);
    if (r.body.events.length + r.body.messages.length === 0) return out;
    after = r.body.next;
  }
}

interface Store {
  /** collector options for the source, and the CLI's --db for it */
  source: { opts: { db?: string; databaseUrl?: string }; db: string };
  /** a fresh, empty target */
  target(): Promise<{ opts: { db?: string; databaseUrl?: string }; db: string }>;
}

async function run(store: Store): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-backup-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const c = await startCollector({
    ...store.source.opts,
    rateLimit: false,
    logLevel: 'silent',
    trustProxy: true,
  });
  cleanup.push(() => c.close());
  const account = await createAccount(c.store, 'Sicher GmbH');
  const { token } = await createUser(c.store, {
    accountId: account.id,
    email: 'a@s.example',
    name: 'A',
    role: 'admin',
  });
  const offer = await confirmedOffer(c, token);
  const reg = await register(c, token, {
    recipients: Array.from({ length: 16 }, (_, i) => ({ email: `p${i}@kunde.example` })),
  });

  // load: one loop per recipient, each counting the pixels acknowledged (answered) so far
  const acked = new Map<string, number>();
  let loading = true;
  const loops = reg.trackers.map(async (t, i) => {
    const email = t.recipientEmail!;
    acked.set(email, 0);
    while (loading) {
      const r = await fetch(t.pixelUrl, {
        headers: { 'user-agent': CHROME_UA, 'x-forwarded-for': `198.18.${i}.9` },
      });
      await r.arrayBuffer();
      if (r.status === 200) acked.set(email, acked.get(email)! + 1);
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  // every hit acknowledged by now must be in the backup
  const before = new Map(acked);
  const out = join(dir, store.source.opts.databaseUrl ? 'collector.pgdump' : 'collector-backup.db');
  const b = await cliAsync(['backup', '--out', out, '--db', store.source.db]);
  const duringBackup = Object.values(Object.fromEntries(acked)).reduce((a, n) => a + n, 0);
  await new Promise((r) => setTimeout(r, 500));
  loading = false;
  await Promise.all(loops);
  expect(b.err).toBe('');
  expect(b.code).toBe(0);
  const summary = JSON.parse(b.out) as { kind: string; file: string; bytes: number; files?: number };
  expect(summary.file).toBe(out);
  expect(statSync(out).mode & 0o077).toBe(0);
  const ackedBefore = [...before.values()].reduce((a, n) => a + n, 0);
  expect(ackedBefore).toBeGreaterThan(50);
  // the load went on while the backup ran (it is an online backup)
  expect(duringBackup).toBeGreaterThan(ackedBefore);

  // a second backup to the same name is refused, nothing overwritten
  // (the refusals through the command's functions: each CLI process costs seconds to start)
  const again = await backup({ out, db: store.source.db });
  expect(again.ok).toBe(false);
  if (!again.ok) expect(again.error.message).toContain('wird nicht überschrieben');

  // restore refuses the (non-empty) source
  const refused = await restore({ file: out, db: store.source.db });
  expect(refused.ok).toBe(false);
  if (!refused.ok) expect(refused.error.code).toBe('restore_target_not_empty');

  const target = await store.target();
  const r = await cliAsync(['restore', out, '--db', target.db]);
  expect(r.err).toBe('');
  expect(r.code).toBe(0);

  const restored = await startCollector({ ...target.opts, rateLimit: false, logLevel: 'silent' });
  cleanup.push(() => restored.close());
  // the same API token works: users came back with their token hashes
  const events = await allEvents(restored, token);
  const opens = new Map<string, number>();
  for (const e of events)
    if (e.type === 'email.opened' && e.recipientEmail)
      opens.set(e.recipientEmail, (opens.get(e.recipientEmail) ?? 0) + 1);
  for (const [email, n] of before) expect(opens.get(email) ?? 0, email).toBeGreaterThanOrEqual(n);
  // and no more than was ever answered or in flight (one per loop)
  for (const [email, n] of acked) expect(opens.get(email) ?? 0).toBeLessThanOrEqual(n + 1);
  // seqs intact: unique, increasing as served
  const seqs = events.map((e) => e.seq);
  expect(new Set(seqs).size).toBe(seqs.length);

  // the evidence: every confirmation row with its wording, hash, time and address
  const ev = await call<OfferEvidenceResponse>(`${restored.url}/api/v1/offers/${offer.offerId}/evidence`, {
    token,
  });
  expect(ev.status).toBe(200);
  expect(ev.body.evidence).toEqual(offer.evidence);
  expect(
    events.filter((e) => e.type === 'landing.legal_confirmed' && e.offerId === offer.offerId),
  ).toHaveLength(3);
  // the offer's landing page and its files came back (SQLite: from FILE.files/, PostgreSQL: in the dump)
  const landing = offer.landing.replace(c.publicUrl, restored.publicUrl);
  const page = await fetch(landing, { headers: browser });
  const html = await page.text();
  expect(page.status).toBe(200);
  // an image of the offer: its bytes come from the file store
  const img = /(?:src|href)="([^"]*\/img\/[^"]+)"/.exec(html)?.[1];
  expect(img, 'an image on the landing page').toBeTruthy();
  const d = await fetch(new URL(img!.replace(/&amp;/g, '&'), landing), { headers: browser });
  expect(d.status).toBe(200);
  expect((await d.arrayBuffer()).byteLength).toBeGreaterThan(0);

  // new events after the restore get numbers beyond any the source ever handed out, so a desktop
  // whose cursor went past the backup still pulls them
  const sourceMax = Math.max(...(await allEvents(c, token)).map((e) => e.seq));
  const fresh = reg.trackers[0]!.pixelUrl.replace(c.publicUrl, restored.publicUrl);
  await (
    await fetch(fresh, { headers: { 'user-agent': CHROME_UA, 'x-forwarded-for': '198.19.1.1' } })
  ).arrayBuffer();
  const newest = await call<EventsResponse>(`${restored.url}/api/v1/events?after=${sourceMax}&limit=10`, {
    token,
  });
  // (the landing visit above and this open)
  expect(newest.body.events.filter((e) => e.type === 'email.opened')).toHaveLength(1);

  // restoring into the now non-empty target again is refused too
  const twice = await cliAsync(['restore', out, '--db', target.db]);
  expect(twice.code).toBe(1);
  expect(twice.err).toContain('is not empty: restore only into an empty one');
}

describe('backup and restore', () => {
  it('SQLite: a backup under load, restored into a fresh file, holds every hit acknowledged before it and the evidence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blitz-backup-src-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'collector.db');
    await run({
      source: { opts: { db: file }, db: file },
      target: async () => {
        const t = join(dir, 'restored', 'collector.db');
        mkdirSync(join(dir, 'restored'), { mode: 0o700 });
        return { opts: { db: t }, db: t };
      },
    });
    expect(existsSync(join(dir, 'restored', 'collector.db.files'))).toBe(true);
  }, 150_000);

  it.skipIf(skipPg)(
    `PostgreSQL: pg_dump under load, pg_restore into an empty database, every acknowledged hit and the evidence${skipPg ? ` (skipped: ${PG_SKIP_REASON})` : ''}`,
    async () => {
      // databases of this test's own in the shared cluster (the cluster itself is left alone)
      const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
      cleanup.push(() => admin.end({ timeout: 2 }));
      const db = async (): Promise<string> => {
        const name = `bk_${randomBytes(5).toString('hex')}`;
        await admin.unsafe(`CREATE DATABASE ${name}`);
        cleanup.push(async () => {
          await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
        const u = new URL(PG_URL);
        u.pathname = `/${name}`;
        return u.toString();
      };
      const src = await db();
      await run({
        source: { opts: { databaseUrl: src }, db: src },
        target: async () => {
          const t = await db();
          return { opts: { databaseUrl: t }, db: t };
        },
      });
    },
    150_000,
  );
});
