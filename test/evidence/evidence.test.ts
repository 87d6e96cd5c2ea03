import { spawnSync } from 'node:child_process';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishOfferResponse } from '../../src-shared/api';
import type { TrackingEvent } from '../../src-shared/events';
import { canonicalJson, keyFingerprint } from '../../src-shared/evidence/canonical';
import type { EvidenceFile } from '../../src-shared/evidence/format';
import { verifyEvidence } from '../../src-shared/evidence/verify';
import { call, CHROME_UA, hitPixel, register } from '../collector/helpers';
import { createScratchSchema, PG_URL } from '../collector-pg/pg-support';
import { sampleProperty } from '../fixtures/offers/sample';
import { startTestCollector, type TestCollector } from '../support/collector';
import { DESKTOP_UA, PROSPECT_IP, RECIPIENTS } from '../offers/helpers';

const ROOT = resolve(__dirname, '../..');
const ANNA = RECIPIENTS[0]!.email;
const browser = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };

function verifyCli(file: string, key?: string): { code: number | null; out: string } {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/verify-evidence.ts', file, ...(key ? ['--key', key] : [])],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

const stores = [{ name: 'sqlite', pg: false }, ...(PG_URL ? [{ name: 'postgres', pg: true }] : [])];

describe.each(stores)('Nachweisakte ($name)', ({ pg }) => {
  let c: TestCollector;
  let drop: (() => Promise<void>) | null = null;
  let dir: string;
  let file: EvidenceFile;
  let text: string;
  let offerId: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blitz-evidence-'));
    const opts = { trustProxy: true, evidence: { keyFile: join(dir, 'key.pem'), signEveryMs: 200 } } as const;
    if (pg) {
      const s = await createScratchSchema();
      drop = () => s.drop();
      c = await startTestCollector({ ...opts, databaseUrl: s.url, logLevel: 'error' });
    } else c = await startTestCollector(opts);

    // an offer with the Widerruf asked, its mail opened, the legal form confirmed, a verdict corrected
    const message = await register(c, c.agentToken, { sentIndividually: true, recipients: RECIPIENTS, links: [] });
    const pub = await call<PublishOfferResponse>(`${c.url}/api/v1/offers`, {
      token: c.agentToken,
      body: {
        messageId: message.messageId,
        property: sampleProperty('https://makler.example', { buyerCommission: true }),
        files: [],
        contactKinds: [{ email: ANNA, kind: 'consumer' }],
      },
    });
    expect(pub.status).toBe(200);
    offerId = pub.body.offerId;
    const anna = message.trackers.find((t) => t.recipientEmail === ANNA)!;
    await hitPixel(anna.pixelUrl, CHROME_UA);
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
    const events = await call<{ events: TrackingEvent[] }>(`${c.url}/api/v1/events?after=0`, { token: c.agentToken });
    const opened = events.body.events.find((e) => e.type === 'email.opened' && e.recipientEmail === ANNA)!;
    // an export chains what is committed: the open as first classified is in the chain
    const before = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${encodeURIComponent(ANNA)}`, { token: c.agentToken });
    expect(before.status).toBe(200);
    const corrected = await call(`${c.url}/api/v1/events/${opened.id}/verdict`, {
      token: c.agentToken,
      body: { verdict: 'scanner' },
    });
    expect([200, 204]).toContain(corrected.status);

    const r = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${encodeURIComponent(ANNA)}&offerId=${offerId}`, {
      token: c.agentToken,
    });
    expect(r.status, r.text).toBe(200);
    file = r.body;
    text = r.text;
  }, 60_000);

  afterAll(async () => {
    await c?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exports every kind of record about the address, and it verifies (whatever whitespace and key order)', () => {
    const kinds = file.records.map((r) => (r.record as { kind: string }).kind);
    expect(kinds).toContain('message');
    expect(kinds).toContain('offer');
    expect(kinds).toContain('legal_confirmation');
    // the open and its correction: a revision is a new record, never an edit
    const opens = file.records.filter((r) => (r.record as { data: { type?: string } }).data.type === 'email.opened');
    expect(opens.length).toBe(2);
    expect(new Set(opens.map((o) => o.position)).size).toBe(2);
    const legal = file.records.filter((r) => (r.record as { kind: string }).kind === 'legal_confirmation');
    expect(legal).toHaveLength(3);
    for (const l of legal) expect((l.record as { data: { ip: string } }).data.ip).toBe(PROSPECT_IP);
    // nothing about the other recipient
    expect(text).not.toContain(RECIPIENTS[1]!.email);
    expect(verifyEvidence(text)).toMatchObject({ ok: true, value: { records: file.records.length } });
    const reordered = JSON.stringify(JSON.parse(text, (_k, v: unknown) => v), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v, 7);
    expect(verifyEvidence(reordered).ok).toBe(true);
  });

  it('serves the key with its fingerprint; --key pins it; the CLI says „gültig“', async () => {
    const r = await fetch(`${c.url}/.well-known/blitz-evidence-key`);
    const pem = await r.text();
    expect(pem).toContain('BEGIN PUBLIC KEY');
    expect(r.headers.get('blitz-key-fingerprint')).toBe(file.key.fingerprint);
    const f = join(dir, 'nachweis.json');
    writeFileSync(f, text);
    writeFileSync(join(dir, 'served.pem'), pem);
    const ok = verifyCli(f, join(dir, 'served.pem'));
    expect(ok.out).toContain('gültig');
    expect(ok.code).toBe(0);
  }, 60_000);

  it('an agent sees no evidence of messages they did not send; the PDF is a PDF', async () => {
    const admin = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${ANNA}`, { token: c.adminToken });
    expect(admin.body.records.length).toBe(file.records.length);
    await register(c, c.adminToken, { recipients: [{ email: ANNA }] });
    const agent = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${ANNA}`, { token: c.agentToken });
    const adminAgain = await call<EvidenceFile>(`${c.url}/api/v1/evidence?email=${ANNA}`, { token: c.adminToken });
    expect(adminAgain.body.records.length).toBe(agent.body.records.length + 1);
    const pdf = await fetch(`${c.url}/api/v1/evidence?email=${ANNA}&offerId=${offerId}&format=pdf`, {
      headers: { authorization: `Bearer ${c.agentToken}` },
    });
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    expect(bytes.length).toBeGreaterThan(2000);
    expect(bytes.toString('latin1')).toContain('/BaseFont /Helvetica');
    mkdirSync(join(ROOT, 'test-results/screenshots'), { recursive: true });
    writeFileSync(join(ROOT, `test-results/screenshots/nachweis-${pg ? 'pg' : 'sqlite'}.pdf`), bytes);
  });

  it.runIf(!pg)('names the right record when one is changed, dropped, swapped or re-signed with another key', () => {
    const base = (): EvidenceFile => JSON.parse(text) as EvidenceFile;
    const expectFail = (f: EvidenceFile, record: number, key?: string) => {
      const r = verifyEvidence(JSON.stringify(f), key);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.record, JSON.stringify(r.error)).toBe(record);
    };
    // every string inside each record's data: one changed character fails exactly that record
    for (let i = 0; i < file.records.length; i++) {
      const f = base();
      const rec = f.records[i]!.record as { at: string; data: Record<string, unknown> };
      rec.at = rec.at.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 1) % 10));
      expectFail(f, i + 1);
      const g = base();
      const data = (g.records[i]!.record as { data: Record<string, unknown> }).data;
      const k = Object.keys(data).find((x) => typeof data[x] === 'string')!;
      data[k] = `${String(data[k])}x`;
      expectFail(g, i + 1);
    }
    // dropped
    const dropped = base();
    dropped.records.splice(2, 1);
    expectFail(dropped, 3);
    // two swapped (whole entries, and only their contents)
    const swapped = base();
    [swapped.records[1], swapped.records[3]] = [swapped.records[3]!, swapped.records[1]!];
    expectFail(swapped, 2);
    const contents = base();
    [contents.records[1]!.record, contents.records[3]!.record] = [contents.records[3]!.record, contents.records[1]!.record];
    expectFail(contents, 2);
    // heads re-signed with another key but the file still naming the collector's key
    const other = generateKeyPairSync('ed25519');
    const resigned = base();
    for (const h of resigned.heads) h.signature = sign(null, Buffer.from(canonicalJson(h.head)), other.privateKey).toString('base64');
    expectFail(resigned, 1);
    // everything re-signed with another key: only pinning the collector's key shows it
    const forged = base();
    const fp = keyFingerprint(other.publicKey.export({ type: 'spki', format: 'der' }));
    forged.key = { algorithm: 'Ed25519', publicKeyPem: other.publicKey.export({ type: 'spki', format: 'pem' }) as string, fingerprint: fp };
    for (const h of forged.heads) {
      h.head.keyFingerprint = fp;
      h.signature = sign(null, Buffer.from(canonicalJson(h.head)), other.privateKey).toString('base64');
    }
    forged.manifest.keyFingerprint = fp;
    forged.manifestSignature = sign(null, Buffer.from(canonicalJson(forged.manifest)), other.privateKey).toString('base64');
    expect(verifyEvidence(JSON.stringify(forged)).ok).toBe(true);
    expectFail(forged, 1, file.key.publicKeyPem);

    // the CLI: exit 1, the record named, no stack trace
    const bad = base();
    (bad.records[1]!.record as { at: string }).at = '2020-01-01T00:00:00.000Z';
    const f = join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify(bad));
    const out = verifyCli(f);
    expect(out.code).toBe(1);
    expect(out.out).toMatch(/^ungültig: Datensatz 2 \(Kettenposition \d+\)/);
    expect(out.out).not.toMatch(/\n\s+at /);
    writeFileSync(f, '{"format": "nope"');
    const broken = verifyCli(f);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('ungültig: Datei');
    expect(readFileSync(join(dir, 'key.pem'), 'utf8')).toContain('PRIVATE KEY');
  }, 60_000);
});
