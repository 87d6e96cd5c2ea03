import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishOfferResponse, RegisterMessageResponse } from '../../src-shared/api';
import type { TrackingEvent } from '../../src-shared/events';
import { startCollector } from '../../src-collector/server';
import { call, CHROME_UA, hitPixel, register } from '../collector/helpers';
import { createScratchSchema, PG_URL } from '../collector-pg/pg-support';
import { sampleProperty } from '../fixtures/offers/sample';
import { DESKTOP_UA, PROSPECT_IP, RECIPIENTS } from '../offers/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';

const ROOT = resolve(__dirname, '../..');
const ANNA = RECIPIENTS[0]!.email;
const BERND = RECIPIENTS[1]!.email;
const browser = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };
const DAY = 86_400_000;

const stores = [{ name: 'sqlite', pg: false }, ...(PG_URL ? [{ name: 'postgres', pg: true }] : [])];

describe.each(stores)('retention and the privacy commands ($name)', ({ pg }) => {
  let c: TestCollector;
  let dir: string;
  let dbFile: string;
  let pgUrl = '';
  let drop: (() => Promise<void>) | null = null;
  let m1: RegisterMessageResponse;
  let m2: RegisterMessageResponse;
  const now = new Date();
  const byLabel: Record<string, string> = {};

  function cli(args: string[]): { code: number | null; out: unknown; text: string } {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src-collector/cli.ts', ...args, ...(pg ? [] : ['--db', dbFile])],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, LOG_LEVEL: 'silent', BLITZ_EVIDENCE: '0', ...(pg ? { DATABASE_URL: pgUrl } : { DATABASE_URL: '' }) },
      },
    );
    let out: unknown = null;
    try {
      out = JSON.parse(r.stdout);
    } catch {
      // not JSON
    }
    return { code: r.status, out, text: `${r.stdout}${r.stderr}` };
  }

  /** moves an event back in time, as if it had happened `days` ago */
  async function age(eventId: string, days: number): Promise<void> {
    const at = new Date(now.getTime() - days * DAY).toISOString();
    if (pg) {
      const sql = postgres(pgUrl, { max: 1, onnotice: () => {} });
      await sql`UPDATE events SET occurred_at = ${at} WHERE id = ${eventId}`;
      await sql.end({ timeout: 2 });
    } else {
      const db = new Database(dbFile);
      db.prepare('UPDATE events SET occurred_at = ? WHERE id = ?').run(at, eventId);
      db.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-retention-'));
    dbFile = join(dir, 'collector.db');
    if (pg) {
      const s = await createScratchSchema();
      pgUrl = s.url;
      drop = () => s.drop();
    }
    c = await startTestCollector({ trustProxy: true, evidence: false, ...(pg ? { databaseUrl: pgUrl } : { db: dbFile }) });
    m1 = await register(c, c.agentToken, { sentIndividually: true, recipients: RECIPIENTS, links: ['https://makler.example/a'] });
    const pub = await call<PublishOfferResponse>(`${c.url}/api/v1/offers`, {
      token: c.agentToken,
      body: { messageId: m1.messageId, property: sampleProperty('https://makler.example', { buyerCommission: true }), files: [], contactKinds: [{ email: ANNA, kind: 'consumer' }] },
    });
    expect(pub.status, pub.text).toBe(200);
    const anna = m1.trackers.find((t) => t.recipientEmail === ANNA)!;
    const bernd = m1.trackers.find((t) => t.recipientEmail === BERND)!;
    await hitPixel(anna.pixelUrl, CHROME_UA);
    await fetch(anna.links[0]!.trackedUrl, { redirect: 'manual', headers: { 'user-agent': CHROME_UA } });
    await hitPixel(bernd.pixelUrl, CHROME_UA);
    const landing = pub.body.landing.find((l) => l.recipientEmail === ANNA)!.url;
    const html = await (await fetch(landing, { headers: browser })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const posted = await fetch(`${landing}/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...browser },
      body: new URLSearchParams({ csrf, c_cancellation_policy_read: 'ja', c_early_start: 'ja', c_commission_notice: 'ja' }).toString(),
    });
    expect(posted.status).toBe(303);
    m2 = await register(c, c.agentToken, { sentIndividually: false, recipients: RECIPIENTS, links: [] });
    await hitPixel(m2.trackers[0]!.pixelUrl, CHROME_UA);

    const events = await call<{ events: TrackingEvent[] }>(`${c.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken });
    const find = (p: (e: TrackingEvent) => boolean, label: string): void => {
      const e = events.body.events.find(p);
      if (!e) throw new Error(`no event ${label}: ${JSON.stringify(events.body.events.map((x) => [x.type, x.recipientEmail]))}`);
      byLabel[label] = e.id;
    };
    find((e) => e.type === 'email.opened' && e.recipientEmail === ANNA, 'annaOpen');
    find((e) => e.type === 'email.link_clicked' && e.recipientEmail === ANNA, 'annaClick');
    find((e) => e.type === 'landing.visited' && e.recipientEmail === ANNA, 'annaVisit');
    find((e) => e.type === 'landing.legal_confirmed' && e.recipientEmail === ANNA, 'annaLegal');
    find((e) => e.type === 'email.opened' && e.recipientEmail === BERND, 'berndOpen');
    find((e) => e.type === 'email.opened' && e.messageId === m2.messageId, 'sharedOpen');

    // ages: 400 days (past any period), 100 days (past a 90-day period), the rest today
    for (const l of ['annaOpen', 'annaLegal', 'berndOpen', 'sharedOpen']) await age(byLabel[l]!, 400);
    await age(byLabel.annaClick!, 100);

    const put = await call(`${c.url}/api/v1/privacy/settings`, { method: 'PUT', token: c.adminToken, body: { retentionDays: 90 } });
    expect(put.status, put.text).toBe(200);
    expect((await call(`${c.url}/api/v1/privacy/settings`, { method: 'PUT', token: c.agentToken, body: { retentionDays: 9 } })).status).toBe(403);
    const hold = await call(`${c.url}/api/v1/privacy/holds`, { method: 'PUT', token: c.adminToken, body: { email: BERND, reason: 'Klage auf Provision' } });
    expect(hold.status, hold.text).toBe(200);
    await c.collector.close();
  }, 90_000);

  afterAll(async () => {
    await c?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  async function eventIdsAfterRestart(): Promise<{ ids: string[]; deleted: string[]; erased: string[] }> {
    const running = await startCollector({ rateLimit: false, logLevel: 'silent', evidence: false, ...(pg ? { databaseUrl: pgUrl } : { db: dbFile }) });
    try {
      const ev = await call<{ events: TrackingEvent[] }>(`${running.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken });
      const del = await call<{ deleted: string[]; erased: string[] }>(`${running.url}/api/v1/events/deleted?after=0`, { token: c.agentToken });
      return { ids: ev.body.events.map((e) => e.id), deleted: del.body.deleted, erased: del.body.erased };
    } finally {
      await running.close();
    }
  }

  it('deletes behavioural events past the period, keeps evidence, held contacts and the young; prints per kind', async () => {
    const r = cli(['retention', '--now', now.toISOString()]);
    expect(r.code, r.text).toBe(0);
    expect(r.out).toMatchObject({
      now: now.toISOString(),
      accounts: 1,
      deleted: { 'email.opened': 1, 'email.link_clicked': 1 },
      expiredContacts: 0,
      keptByHold: 0,
    });
    const { ids, deleted, erased } = await eventIdsAfterRestart();
    // retention's tombstones drop events only: the desktops keep the contact
    expect(erased).toEqual([]);
    expect(ids).not.toContain(byLabel.annaOpen);
    expect(ids).not.toContain(byLabel.annaClick);
    // evidence, the held contact's open, the shared message's open (a held recipient), today's visit
    for (const l of ['annaLegal', 'berndOpen', 'sharedOpen', 'annaVisit']) expect(ids, l).toContain(byLabel[l]);
    expect(deleted.sort()).toEqual([byLabel.annaOpen, byLabel.annaClick].sort());
    // a second run finds nothing more
    expect(cli(['retention', '--now', now.toISOString()]).out).toMatchObject({ deleted: {} });
  }, 180_000);

  it('after the limitation period a contact is erased unless held', async () => {
    const later = new Date(Date.UTC(now.getUTCFullYear() + 4, 0, 1, 0, 0, 1));
    const justBefore = new Date(later.getTime() - 2000);
    expect(cli(['retention', '--now', justBefore.toISOString()]).out).toMatchObject({ expiredContacts: 0 });
    const r = cli(['retention', '--now', later.toISOString()]);
    expect(r.code, r.text).toBe(0);
    expect(r.out).toMatchObject({ expiredContacts: 1, keptByHold: 1 });
    const out = r.out as { deleted: Record<string, number> };
    expect(out.deleted.events).toBeGreaterThan(0);
    expect(out.deleted.legal_confirmations).toBe(3);
    const { ids } = await eventIdsAfterRestart();
    expect(ids).not.toContain(byLabel.annaLegal);
    expect(ids).toContain(byLabel.berndOpen);
    expect(ids).toContain(byLabel.sharedOpen);
  }, 180_000);

  it('subject export and erase on the command line; a hold keeps, lifted it erases', async () => {
    const outDir = join(dir, 'auskunft');
    const x = cli(['subject', 'export', '--account', c.accountId, '--email', BERND.toUpperCase(), '--out', outDir]);
    expect(x.code, x.text).toBe(0);
    expect(x.out).toMatchObject({ json: join(outDir, 'auskunft.json'), pdf: join(outDir, 'auskunft.pdf') });
    expect((x.out as { rows: Record<string, number> }).rows.events).toBeGreaterThan(0);
    const json = JSON.parse(readFileSync(join(outDir, 'auskunft.json'), 'utf8')) as { email: string; hold: { reason: string } };
    expect(json.email).toBe(BERND);
    expect(json.hold.reason).toBe('Klage auf Provision');
    expect(readFileSync(join(outDir, 'auskunft.pdf')).subarray(0, 5).toString()).toBe('%PDF-');

    const kept = cli(['subject', 'erase', '--account', c.accountId, '--email', BERND, '--reason', 'Antrag']);
    expect(kept.code, kept.text).toBe(0);
    const k = kept.out as { erased: Record<string, number>; kept: { kind: string; count: number; hold: string }[] };
    expect(k.erased).toEqual({});
    expect(k.kept).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'events', hold: 'Klage auf Provision' })]));
    expect(cli(['hold', 'lift', '--account', c.accountId, '--email', BERND]).out).toEqual({ lifted: true });
    const erased = cli(['subject', 'erase', '--account', c.accountId, '--email', BERND, '--reason', 'Antrag vom 2.12.']);
    expect(erased.code, erased.text).toBe(0);
    expect(erased.out).toMatchObject({ erased: { events: expect.any(Number), messages: 2 }, kept: [] });
    const { ids } = await eventIdsAfterRestart();
    expect(ids).toEqual([]);

    expect(cli(['subject', 'erase', '--account', 'nope', '--email', BERND, '--reason', 'x y z']).code).toBe(1);
    expect(cli(['subject', 'erase', '--account', c.accountId, '--email', BERND]).code).toBe(2);
    expect(existsSync(outDir)).toBe(true);
  }, 300_000);
});
