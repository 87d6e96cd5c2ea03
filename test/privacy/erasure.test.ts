import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishOfferResponse, RegisterMessageResponse } from '../../src-shared/api';
import type { TrackingEvent } from '../../src-shared/events';
import type { EvidenceFile } from '../../src-shared/evidence/format';
import { verifyEvidence } from '../../src-shared/evidence/verify';
import type { ErasureOutcome, LegalHold } from '../../src-shared/privacy';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import type { SubjectExport } from '../../src-collector/privacy/subject';
import { call, CHROME_UA, hitPixel, register } from '../collector/helpers';
import { createScratchSchema, PG_URL } from '../collector-pg/pg-support';
import { checkStoredChain, type ChainRow, type HeadRow } from '../evidence/chain-check';
import { sampleFiles, sampleProperty } from '../fixtures/offers/sample';
import { DESKTOP_UA, PROSPECT_IP, RECIPIENTS } from '../offers/helpers';
import { startTestCollector, type TestCollector } from '../support/collector';
import { scanDir, scanPg, scanSqlite } from './scan';

const ANNA = RECIPIENTS[0]!.email;
const ANNA_NAME = RECIPIENTS[0]!.name;
const BERND = RECIPIENTS[1]!.email;
const browser = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };
const LINK = 'https://makler.example/expose/1';

/** the address, its display name, and the usual hashes of it in any case */
function needlesFor(email: string, name: string): string[] {
  const hashes = [email, email.toUpperCase(), email.toLowerCase()].flatMap((e) =>
    ['sha256', 'sha1', 'md5'].map((a) => createHash(a).update(e).digest('hex')),
  );
  return [email, name, ...new Set(hashes)];
}

const stores = [{ name: 'sqlite', pg: false }, ...(PG_URL ? [{ name: 'postgres', pg: true }] : [])];

describe.each(stores)('subject access and erasure ($name)', ({ pg }) => {
  let c: TestCollector;
  let running: RunningCollector;
  let dir: string;
  let dbFile: string;
  let pgUrl = '';
  let drop: (() => Promise<void>) | null = null;
  let m1: RegisterMessageResponse;
  let m3: RegisterMessageResponse;
  let annaEventIds: string[] = [];
  const keyFile = (): string => join(dir, 'key.pem');

  async function scan(needles: string[]) {
    return pg ? scanPg(pgUrl, needles) : [...scanSqlite(dbFile, needles), ...scanDir(`${dbFile}.files`, needles)];
  }

  async function chainRows(): Promise<{ rows: ChainRow[]; head: { position: number; link: string } | undefined; signed: HeadRow[] }> {
    const q = {
      rows: `SELECT position, ref, record, record_hash, link FROM evidence_chain WHERE account_id = '${c.accountId}' ORDER BY position`,
      head: `SELECT position, link FROM evidence_chain_heads WHERE account_id = '${c.accountId}'`,
      signed: `SELECT position, link, head, signature FROM evidence_signed_heads WHERE account_id = '${c.accountId}' ORDER BY position`,
    };
    if (pg) {
      const sql = postgres(pgUrl, { max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
      try {
        const num = <T extends { position: unknown }>(rs: readonly T[]): T[] => rs.map((r) => ({ ...r, position: Number(r.position) }));
        return {
          rows: num(await sql.unsafe<ChainRow[]>(q.rows)),
          head: num(await sql.unsafe<{ position: number; link: string }[]>(q.head))[0],
          signed: num(await sql.unsafe<HeadRow[]>(q.signed)),
        };
      } finally {
        await sql.end({ timeout: 2 });
      }
    }
    const db = new Database(dbFile, { readonly: true });
    try {
      return {
        rows: db.prepare(q.rows).all() as ChainRow[],
        head: db.prepare(q.head).get() as { position: number; link: string } | undefined,
        signed: db.prepare(q.signed).all() as HeadRow[],
      };
    } finally {
      db.close();
    }
  }

  async function start(): Promise<RunningCollector> {
    return startCollector({
      rateLimit: false,
      logLevel: 'silent',
      trustProxy: true,
      evidence: { keyFile: keyFile(), signEveryMs: 200 },
      ...(pg ? { databaseUrl: pgUrl } : { db: dbFile }),
    });
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-erasure-'));
    dbFile = join(dir, 'collector.db');
    if (pg) {
      const s = await createScratchSchema();
      pgUrl = s.url;
      drop = () => s.drop();
    }
    c = await startTestCollector({
      trustProxy: true,
      evidence: { keyFile: keyFile(), signEveryMs: 200 },
      ...(pg ? { databaseUrl: pgUrl } : { db: dbFile }),
    });
    running = c.collector;

    // m1: Anna and Bernd, each their own copy, with an offer (shared files)
    m1 = await register(c, c.agentToken, { sentIndividually: true, recipients: RECIPIENTS, links: [LINK] });
    const pub1 = await call<PublishOfferResponse>(`${c.url}/api/v1/offers`, {
      token: c.agentToken,
      body: {
        messageId: m1.messageId,
        property: sampleProperty('https://makler.example', { buyerCommission: true }),
        files: sampleFiles().files,
        contactKinds: [{ email: ANNA, kind: 'consumer' }],
      },
    });
    expect(pub1.status, pub1.text).toBe(200);
    const anna = m1.trackers.find((t) => t.recipientEmail === ANNA)!;
    const bernd = m1.trackers.find((t) => t.recipientEmail === BERND)!;
    await hitPixel(anna.pixelUrl, CHROME_UA);
    await hitPixel(bernd.pixelUrl, CHROME_UA);
    const click = await fetch(anna.links[0]!.trackedUrl, { redirect: 'manual', headers: { 'user-agent': CHROME_UA } });
    expect(click.status).toBe(302);
    const landing = pub1.body.landing.find((l) => l.recipientEmail === ANNA)!.url;
    const html = await (await fetch(landing, { headers: browser })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)![1]!;
    const posted = await fetch(`${landing}/confirm`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', ...browser },
      body: new URLSearchParams({ csrf, c_cancellation_policy_read: 'ja', c_early_start: 'ja', c_commission_notice: 'ja' }).toString(),
    });
    expect(posted.status).toBe(303);
    await (await fetch(pub1.body.landing.find((l) => l.recipientEmail === BERND)!.url, { headers: browser })).text();

    // m2: Anna alone, with an offer whose Exposé names her (a file sent only to her)
    const m2 = await register(c, c.agentToken, { sentIndividually: true, recipients: [RECIPIENTS[0]!], links: [] });
    const personal = Buffer.from(`%PDF-1.4\n% Exposé für ${ANNA_NAME} <${ANNA}>\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n`, 'latin1');
    const pub2 = await call<PublishOfferResponse>(`${c.url}/api/v1/offers`, {
      token: c.agentToken,
      body: {
        messageId: m2.messageId,
        property: sampleProperty('https://makler.example'),
        files: [{ role: 'expose', name: 'Exposé persönlich.pdf', contentType: 'application/pdf', data: personal.toString('base64') }],
      },
    });
    expect(pub2.status, pub2.text).toBe(200);
    await hitPixel(m2.trackers[0]!.pixelUrl, CHROME_UA);

    // m3: one copy to both (its events name nobody)
    m3 = await register(c, c.agentToken, { sentIndividually: false, recipients: RECIPIENTS, links: [] });
    await hitPixel(m3.trackers[0]!.pixelUrl, CHROME_UA);

    // the chain holds all of it and is signed (an export chains and signs what is committed)
    const ex = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${encodeURIComponent(ANNA)}`, { token: c.adminToken });
    expect(ex.status, ex.text).toBe(200);
    expect(ex.body.records.length).toBeGreaterThan(5);
    const events = await call<{ events: TrackingEvent[] }>(`${c.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken });
    annaEventIds = events.body.events.filter((e) => e.recipientEmail === ANNA || e.messageId === m2.messageId).map((e) => e.id);
    expect(annaEventIds.length).toBeGreaterThanOrEqual(5);
  }, 90_000);

  afterAll(async () => {
    await running?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the subject export holds every event about the address with its clicked URL, as JSON and German PDF (admin only)', async () => {
    const url = `${c.url}/api/v1/privacy/subject?email=${encodeURIComponent(ANNA.toUpperCase())}`;
    expect((await call(url, { token: c.agentToken })).status).toBe(403);
    const r = await call<SubjectExport>(url, { token: c.adminToken });
    expect(r.status, r.text).toBe(200);
    const x = r.body;
    expect(x.email).toBe(ANNA);
    const ids = x.sections.events!.map((e) => e.id);
    for (const id of annaEventIds) expect(ids).toContain(id);
    const clicked = x.sections.events!.find((e) => e.type === 'email.link_clicked') as { detail: { url: string } };
    expect(clicked.detail.url).toBe(LINK);
    expect(x.sections.legal_confirmations!.length).toBe(3);
    expect(x.sections.messages!.length).toBe(3);
    expect(x.sections.files!.length).toBe(1);
    expect(x.sections.evidence_records!.length).toBeGreaterThan(5);
    // nothing about Bernd, not even his place in the shared messages (only their number)
    const text = JSON.stringify(x);
    expect(text).not.toContain(BERND);
    const pdf = await fetch(`${url}&format=pdf`, { headers: { authorization: `Bearer ${c.adminToken}` } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('full IPs only on legal confirmations (and their chained records); every event keeps the prefix', async () => {
    const found = await scan([PROSPECT_IP]);
    expect(found.length).toBeGreaterThan(0);
    expect([...new Set(found.map((f) => f.where))].sort()).toEqual(
      ['evidence_chain', 'offer_declarations', 'offer_evidence'].filter((t) => found.some((f) => f.where === t)),
    );
    for (const f of found.filter((f) => f.where === 'evidence_chain')) expect(f.column).toBe('record');
    const events = await call<{ events: TrackingEvent[] }>(`${c.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken });
    const landing = events.body.events.filter((e) => e.type.startsWith('landing.'));
    expect(landing.length).toBeGreaterThan(0);
    for (const e of landing) expect(e.client.ipPrefix).toBe('198.51.100.0/24');
  });

  it('a legal hold keeps everything and the erasure says what it kept; lifted, it no longer does', async () => {
    const hold = await call<LegalHold>(`${c.url}/api/v1/privacy/holds`, {
      method: 'PUT',
      token: c.adminToken,
      body: { email: ANNA.toUpperCase(), reason: 'Provisionsstreit Az. 12 O 345/26' },
    });
    expect(hold.status, hold.text).toBe(200);
    expect(hold.body.email).toBe(ANNA);
    expect((await call(`${c.url}/api/v1/privacy/holds`, { token: c.agentToken })).status).toBe(403);
    const kept = await call<ErasureOutcome>(`${c.url}/api/v1/privacy/subject/erase`, {
      token: c.adminToken,
      body: { email: ANNA, reason: 'Antrag per E-Mail' },
    });
    expect(kept.status, kept.text).toBe(200);
    expect(kept.body.erased).toEqual({});
    expect(kept.body.kept).toEqual(
      expect.arrayContaining([{ kind: 'events', count: expect.any(Number), hold: 'Provisionsstreit Az. 12 O 345/26' }]),
    );
    expect((await scan([ANNA])).length).toBeGreaterThan(0);
    const lifted = await call<{ lifted: boolean }>(`${c.url}/api/v1/privacy/holds/lift`, { token: c.adminToken, body: { email: ANNA } });
    expect(lifted.body).toEqual({ lifted: true });
  });

  it('erasure removes the address, its name and hashes from every table and file; Bernd keeps his; the chain verifies', async () => {
    const before = await chainRows();
    const r = await call<ErasureOutcome>(`${c.url}/api/v1/privacy/subject/erase`, {
      token: c.adminToken,
      body: { email: ANNA.toUpperCase(), reason: `Antrag von ${ANNA_NAME} (${ANNA}) vom 1.12.` },
    });
    expect(r.status, r.text).toBe(200);
    expect(r.body.kept).toEqual([]);
    for (const kind of ['events', 'legal_confirmations', 'declarations', 'offer_recipients', 'files', 'offers', 'evidence_records', 'trackers', 'messages'])
      expect(r.body.erased[kind], kind).toBeGreaterThan(0);

    expect(await scan(needlesFor(ANNA, ANNA_NAME))).toEqual([]);

    // Bernd: his events, his place in both messages, his evidence, verifiable
    const events = await call<{ events: TrackingEvent[] }>(`${c.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken });
    expect(events.body.events.some((e) => e.recipientEmail === BERND && e.type === 'email.opened')).toBe(true);
    expect(events.body.events.some((e) => e.messageId === m3.messageId && e.recipientEmail === null)).toBe(true);
    expect(events.body.events.filter((e) => annaEventIds.includes(e.id))).toEqual([]);
    expect((await scan([BERND])).length).toBeGreaterThan(0);
    const ex = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${encodeURIComponent(BERND)}`, { token: c.adminToken });
    expect(ex.status, ex.text).toBe(200);
    expect(verifyEvidence(ex.text)).toMatchObject({ ok: true });

    // the stored chain: same length, every link holds, erased rows kept their hash
    const after = await chainRows();
    expect(after.rows.length).toBeGreaterThanOrEqual(before.rows.length);
    const erased = after.rows.filter((x) => x.ref.startsWith('erased:'));
    expect(erased.length).toBe(r.body.erased.evidence_records);
    for (const e of erased) expect(e.record_hash).toBe(before.rows.find((b) => b.position === e.position)!.record_hash);
    const pem = await (await fetch(`${c.url}/.well-known/blitz-evidence-key`)).text();
    expect(checkStoredChain(after.rows, after.head, after.signed, pem)).toEqual([]);

    // the desktops learn which events went, without the address
    const del = await call<{ deleted: string[]; erased: string[]; next: number }>(`${c.url}/api/v1/events/deleted?after=0`, { token: c.agentToken });
    expect(del.status).toBe(200);
    expect([...del.body.deleted].sort()).toEqual(expect.arrayContaining([...annaEventIds].sort()));
    // marked as an erasure's, so a desktop forgets the recipients' address too (retention's are not)
    expect([...del.body.erased].sort()).toEqual([...del.body.deleted].sort());
    expect(del.body.next).toBeGreaterThan(0);
    const none = await call<{ deleted: string[]; next: number }>(`${c.url}/api/v1/events/deleted?after=${del.body.next}`, { token: c.agentToken });
    expect(none.body).toEqual({ deleted: [], erased: [], next: del.body.next });

    // the log: counts and a masked reason, no address
    const again = await call<ErasureOutcome>(`${c.url}/api/v1/privacy/subject/erase`, {
      token: c.adminToken,
      body: { email: ANNA, reason: 'zweiter Antrag' },
    });
    expect(again.body).toEqual({ erased: {}, kept: [] });
  }, 60_000);

  it('what was erased stays gone after a restart', async () => {
    await running.close();
    running = await start();
    const events = await call<{ events: TrackingEvent[] }>(`${running.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken });
    expect(events.status).toBe(200);
    expect(events.body.events.length).toBeGreaterThan(0);
    expect(events.body.events.filter((e) => annaEventIds.includes(e.id) || e.recipientEmail === ANNA)).toEqual([]);
    const x = await call<SubjectExport>(`${running.url}/api/v1/privacy/subject?email=${encodeURIComponent(ANNA)}`, { token: c.adminToken });
    expect(Object.values(x.body.sections).every((rows) => rows.length === 0)).toBe(true);
  }, 60_000);
});
