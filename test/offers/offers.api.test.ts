import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse, OfferEvidenceResponse } from '../../src-shared/api';
import type { TrackingEvent } from '../../src-shared/events';
import { createAccount, createUser } from '../../src-collector/server';
import { call, register } from '../collector/helpers';
import { pdf, png } from '../fixtures/offers/generate';
import { sampleProperty } from '../fixtures/offers/sample';
import { startTestCollector, type TestCollector } from '../support/collector';
import { DESKTOP_UA, PROSPECT_IP, publish, publishSample, RECIPIENTS, type Published } from './helpers';

let c: TestCollector;
let pub: Published;
let url: string;
const SITE = 'https://makler.example';
const browserHeaders = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };

beforeAll(async () => {
  c = await startTestCollector({ trustProxy: true });
  pub = await publishSample(c, c.agentToken, SITE);
  url = pub.landing.get(RECIPIENTS[0]!.email)!;
});
afterAll(async () => {
  await c?.close();
});

async function events(): Promise<TrackingEvent[]> {
  return (await call<EventsResponse>(`${c.url}/api/v1/events?after=0&limit=1000`, { token: c.adminToken }))
    .body.events;
}

async function csrfOf(landing: string): Promise<string> {
  const html = await (await fetch(landing, { headers: browserHeaders })).text();
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no csrf token on the page');
  return m[1];
}

function form(target: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  return fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...browserHeaders, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('publishing', () => {
  it('answers one landing URL per recipient; the same messageId again gives the same offer', async () => {
    expect(pub.offer.landing.map((l) => l.recipientEmail)).toEqual(RECIPIENTS.map((r) => r.email));
    for (const l of pub.offer.landing)
      expect(l.url).toMatch(new RegExp(`^${c.publicUrl}/l/[A-Za-z0-9_-]{22,}$`));
    const again = await publish(c, c.agentToken, {
      messageId: pub.message.messageId,
      property: sampleProperty(SITE),
      files: [],
    });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(pub.offer);
  });

  it('refuses a message sent to several recipients at once, bad files and oversize data', async () => {
    const shared = await register(c, c.agentToken, {
      sentIndividually: false,
      recipients: RECIPIENTS,
      links: [],
    });
    const r = await publish(c, c.agentToken, {
      messageId: shared.messageId,
      property: sampleProperty(SITE),
      files: [],
    });
    expect(r.status).toBe(422);

    const msg = await register(c, c.agentToken, { recipients: [RECIPIENTS[0]!], links: [] });
    const base = { messageId: msg.messageId, property: sampleProperty(SITE) };
    const file = (name: string, contentType: string, data: Buffer, role = 'document') => ({
      role,
      name,
      contentType,
      data: data.toString('base64'),
    });
    // a script claiming to be a PDF: the magic bytes decide
    const fake = await publish(c, c.agentToken, {
      ...base,
      files: [file('Grundriss.pdf', 'application/pdf', Buffer.from('<script>alert(1)</script>'))],
    });
    expect(fake.status).toBe(415);
    expect((fake.body as unknown as { error: { code: string } }).error.code).toBe('file_type_mismatch');
    // a PNG declared as JPEG
    const lie = await publish(c, c.agentToken, {
      ...base,
      files: [
        file(
          'a.jpg',
          'image/jpeg',
          png(2, 2, () => [0, 0, 0]),
          'image',
        ),
      ],
    });
    expect(lie.status).toBe(415);
    // HTML and other types are not accepted at all; a document may only be a PDF
    expect(
      (await publish(c, c.agentToken, { ...base, files: [file('x.html', 'text/html', Buffer.from('<p>'))] }))
        .status,
    ).toBe(400);
    expect(
      (
        await publish(c, c.agentToken, {
          ...base,
          files: [
            file(
              'x.png',
              'image/png',
              png(2, 2, () => [0, 0, 0]),
              'document',
            ),
          ],
        })
      ).status,
    ).toBe(400);
    // names that lie through bidi overrides or carry paths
    for (const name of ['Grundriss\u202Efdp.exe', '../../etc/passwd', 'a\\b.pdf']) {
      const bad = await publish(c, c.agentToken, {
        ...base,
        files: [file(name, 'application/pdf', pdf('x', []))],
      });
      expect(bad.status, name).toBe(400);
    }
    // an image over 8 MiB
    const big = Buffer.concat([png(1, 1, () => [0, 0, 0]), Buffer.alloc(8 * 1024 * 1024)]);
    expect(
      (await publish(c, c.agentToken, { ...base, files: [file('big.png', 'image/png', big, 'image')] }))
        .status,
    ).toBe(413);
    // a 10 MB description
    const long = await publish(c, c.agentToken, {
      messageId: msg.messageId,
      property: sampleProperty(SITE, { description: 'x'.repeat(10_000_000) }),
    });
    expect(long.status).toBe(400);
    // a javascript: link
    const js = await publish(c, c.agentToken, {
      messageId: msg.messageId,
      property: sampleProperty(SITE, { links: [{ label: 'x', url: 'javascript:alert(1)' }] }),
    });
    expect(js.status).toBe(400);
  });

  it("another account's (or another agent's) ids are 404, for publishing, status and evidence", async () => {
    const other = await createAccount(c.collector.store, 'Fremdmakler AG');
    const stranger = await createUser(c.collector.store, {
      accountId: other.id,
      email: 'x@fremd.example',
      name: 'X',
      role: 'admin',
    });
    const colleague = await createUser(c.collector.store, {
      accountId: c.accountId,
      email: 'k@makler.example',
      name: 'K',
      role: 'agent',
    });
    const id = pub.offer.offerId;
    for (const t of [stranger.token, colleague.token]) {
      expect(
        (await publish(c, t, { messageId: pub.message.messageId, property: sampleProperty(SITE) })).status,
      ).toBe(404);
      expect(
        (
          await call(`${c.url}/api/v1/offers/${id}/status`, {
            token: t,
            method: 'PUT',
            body: { status: 'sold' },
          })
        ).status,
      ).toBe(404);
      expect((await call(`${c.url}/api/v1/offers/${id}/evidence`, { token: t })).status).toBe(404);
      expect((await call(`${c.url}/api/v1/offers/${id}/status`, { token: t })).status).toBe(404);
    }
    expect((await call(`${c.url}/api/v1/offers/${id}/evidence`, { token: c.adminToken })).status).toBe(200);
    expect((await call(`${c.url}/api/v1/offers/${id}/evidence`)).status).toBe(401);
    expect((await call(`${c.url}/api/v1/offers/${id}/status`)).status).toBe(401);
  });

  it("reads an offer's status as the last change left it, from any of the account's devices", async () => {
    const id = pub.offer.offerId;
    const read = async () =>
      call<{ offerId: string; status: string }>(`${c.url}/api/v1/offers/${id}/status`, {
        token: c.adminToken,
      });
    const first = await read();
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const before = first.body.status;
    for (const status of ['withdrawn', 'sold', before]) {
      const put = await call(`${c.url}/api/v1/offers/${id}/status`, {
        token: c.adminToken,
        method: 'PUT',
        body: { status },
      });
      expect(put.status).toBe(200);
      expect((await read()).body).toEqual({ offerId: id, status });
    }
  });

  it('the OpenAPI document lists the offer routes', async () => {
    const r = await call<{ paths: Record<string, unknown> }>(`${c.url}/api/v1/openapi.json`);
    for (const p of ['/api/v1/offers', '/api/v1/offers/{id}/status', '/api/v1/offers/{id}/evidence'])
      expect(r.body.paths[p]).toBeDefined();
    expect(Object.keys(r.body.paths['/api/v1/offers/{id}/status'] ?? {}).sort()).toEqual(['get', 'put']);
  });
});

describe('the landing page', () => {
  it('is served with a strict CSP, nosniff, no-referrer and no-store; assets only from /l/assets/', async () => {
    const r = await fetch(url, { headers: browserHeaders });
    const html = await r.text();
    expect(r.status).toBe(200);
    expect(r.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
    expect(r.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cache-control')).toBe('no-store');
    expect(html).not.toMatch(/<script>|<style|\sstyle=|\son[a-z]+=/i);
    const assets = [...html.matchAll(/(?:href|src)="(\/l\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets).toHaveLength(2);
    for (const a of assets) {
      const ar = await fetch(`${c.url}${a}`);
      expect(ar.status).toBe(200);
      expect(ar.headers.get('content-type')).toMatch(/^text\/(css|javascript)/);
    }
    expect((await fetch(`${c.url}/l/assets/..%2F..%2Fpackage.json`)).status).toBe(404);
  });

  it('escapes hostile agent data: script tags, quotes, RTL overrides', async () => {
    const evil = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>\u202Egnp.exe';
    const msg = await register(c, c.agentToken, { recipients: [RECIPIENTS[0]!], links: [] });
    const r = await publish(c, c.agentToken, {
      messageId: msg.messageId,
      property: sampleProperty(SITE, {
        title: evil.slice(0, 200),
        description: evil,
        address: evil,
        links: [{ label: evil, url: `${SITE}/?q="><script>alert(3)</script>` }],
        units: [{ id: 'u1', number: evil.slice(0, 50), status: 'available' }],
        agent: { name: evil, email: 'a@b.example', phone: evil.slice(0, 50), company: evil },
        commissionNotice: evil,
      }),
    });
    expect(r.status).toBe(200);
    const page = await (await fetch(r.body.landing[0]!.url, { headers: browserHeaders })).text();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).not.toContain('\u202E');
    expect(page).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&gt;&lt;img src=x onerror=alert(2)&gt;',
    );
  });

  it('unknown tokens get a German 404 page; withdrawn and sold offers a polite page', async () => {
    const nf = await fetch(`${c.url}/l/AAAAAAAAAAAAAAAAAAAAAAAA`);
    expect(nf.status).toBe(404);
    expect(await nf.text()).toContain('Seite nicht gefunden');
    expect((await fetch(`${c.url}/l/%3Cscript%3E`)).status).toBe(404);

    const extra = await publishSample(c, c.agentToken, SITE);
    const u = extra.landing.get(RECIPIENTS[1]!.email)!;
    const before = (await events()).length;
    for (const [status, text] of [
      ['withdrawn', 'nicht mehr verfügbar'],
      ['sold', 'Alle Einheiten dieses Projekts sind vergeben'],
    ] as const) {
      const s = await call(`${c.url}/api/v1/offers/${extra.offer.offerId}/status`, {
        token: c.agentToken,
        method: 'PUT',
        body: { status },
      });
      expect(s.status).toBe(200);
      const p = await fetch(u, { headers: browserHeaders });
      expect(p.status).toBe(410);
      const body = await p.text();
      expect(body).toContain(text);
      expect(body).not.toContain('Grundriss');
      expect((await fetch(`${u}/expose`, { headers: browserHeaders })).status).toBe(410);
    }
    expect((await events()).length).toBe(before);
    await call(`${c.url}/api/v1/offers/${extra.offer.offerId}/status`, {
      token: c.adminToken,
      method: 'PUT',
      body: { status: 'active' },
    });
    expect((await fetch(u, { headers: browserHeaders })).status).toBe(200);
    expect(
      (
        await call(`${c.url}/api/v1/offers/${extra.offer.offerId}/status`, {
          token: c.adminToken,
          method: 'PUT',
          body: { status: 'gone' },
        })
      ).status,
    ).toBe(400);
  });
});

describe('downloads', () => {
  it('need the legal form first, and are served only by their id (no paths from the request)', async () => {
    const docId = /\/doc\/([A-Za-z0-9_-]+)"/;
    const fresh = await publishSample(c, c.agentToken, SITE);
    const u = fresh.landing.get(RECIPIENTS[0]!.email)!;
    expect((await fetch(`${u}/expose`, { headers: browserHeaders })).status).toBe(403);
    const csrf = await csrfOf(u);
    const partial = await form(
      `${u}/confirm`,
      { csrf, c_cancellation_policy_read: 'ja' },
      { 'sec-fetch-site': 'same-origin' },
    );
    expect(partial.status).toBe(303);
    expect(partial.headers.get('location')).toContain('fehler=bestaetigung');
    expect((await fetch(`${u}/expose`, { headers: browserHeaders })).status).toBe(403);
    const done = await form(
      `${u}/confirm`,
      { csrf, c_cancellation_policy_read: 'ja', c_early_start: 'ja', c_commission_notice: 'ja' },
      { 'sec-fetch-site': 'same-origin', origin: 'null' },
    );
    expect(done.status).toBe(303);
    const html = await (await fetch(u, { headers: browserHeaders })).text();
    const id = docId.exec(html)?.[1];
    expect(id).toBeDefined();
    const ok = await fetch(`${u}/doc/${id}`, { headers: browserHeaders });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/pdf');
    expect(ok.headers.get('content-disposition')).toBe(
      `attachment; filename="Grundriss EG.pdf"; filename*=UTF-8''Grundriss%20EG.pdf`,
    );
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = Buffer.from(await ok.arrayBuffer());
    expect(bytes.equals(fresh.files.bytes.get('Grundriss EG.pdf')!)).toBe(true);

    const sha = createHash('sha256').update(bytes).digest('hex');
    for (const path of [
      `/doc/..%2F..%2F..%2Fetc%2Fpasswd`,
      `/doc/%2e%2e%2fcollector.db`,
      `/doc/${sha}`,
      `/doc/../../../etc/passwd`,
      `/img/${id}`,
      `/doc/${id}%00`,
    ]) {
      const r = await fetch(`${u}${path}`, { headers: browserHeaders });
      expect([404, 400], path).toContain(r.status);
      expect(r.headers.get('content-type') ?? '', path).not.toContain('pdf');
    }
    // a document of another offer through this token
    const otherHtml = await (await fetch(url, { headers: browserHeaders })).text();
    const otherImg = /\/img\/([A-Za-z0-9_-]+)"/.exec(otherHtml)?.[1];
    expect((await fetch(`${u}/img/${otherImg}`, { headers: browserHeaders })).status).toBe(404);
  });
});

describe('likes and confirmations are POSTs behind a CSRF token and a same-origin check', () => {
  it('refuses GET, a missing or foreign CSRF token and cross-site requests, recording nothing', async () => {
    const before = (await events()).length;
    for (const a of ['like', 'confirm']) {
      const g = await fetch(`${url}/${a}?unit=we1&liked=true`, { headers: browserHeaders });
      expect(g.status).toBe(405);
      expect(g.headers.get('allow')).toBe('POST');
    }
    const other = pub.landing.get(RECIPIENTS[1]!.email)!;
    const foreign = await csrfOf(other);
    const good = await csrfOf(url);
    const before2 = (await events()).length;
    expect(before2).toBe(before + 2); // the two page loads above
    const attempts: [Record<string, string>, Record<string, string>][] = [
      [{ unit: 'we1', liked: 'true' }, {}],
      [{ csrf: 'x'.repeat(43), unit: 'we1', liked: 'true' }, {}],
      [{ csrf: foreign, unit: 'we1', liked: 'true' }, {}],
      [{ csrf: good, unit: 'we1', liked: 'true' }, { 'sec-fetch-site': 'cross-site' }],
      [{ csrf: good, unit: 'we1', liked: 'true' }, { origin: 'https://evil.example' }],
    ];
    for (const [fields, headers] of attempts) {
      const r = await form(`${url}/like`, fields, headers);
      expect(r.status, JSON.stringify([fields, headers])).toBe(403);
      const c2 = await form(`${url}/confirm`, { ...fields, c_early_start: 'ja' }, headers);
      expect(c2.status).toBe(403);
    }
    expect((await events()).length).toBe(before2);
    // the same request with the page's token and a same-origin marker works
    const ok = await form(
      `${url}/like`,
      { csrf: good, unit: 'we1', liked: 'true' },
      { 'sec-fetch-site': 'same-origin', accept: 'application/json' },
    );
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ unit: 'we1', liked: true });
    const last = (await events()).at(-1)!;
    expect(last).toMatchObject({
      type: 'landing.unit_liked',
      detail: { unit: 'WE 1' },
      offerId: pub.offer.offerId,
    });
    // an unknown or sold unit
    expect(
      (
        await form(
          `${url}/like`,
          { csrf: good, unit: 'we4', liked: 'true' },
          { 'sec-fetch-site': 'same-origin' },
        )
      ).status,
    ).toBe(404);
  });
});

describe('the account switch', () => {
  it('tracking off: the page is still shown, nothing is recorded', async () => {
    const fresh = await publishSample(c, c.agentToken, SITE, { legalForm: false });
    const u = fresh.landing.get(RECIPIENTS[0]!.email)!;
    expect(
      (
        await call(`${c.url}/api/v1/settings`, {
          token: c.adminToken,
          method: 'PUT',
          body: { trackingEnabled: false },
        })
      ).status,
    ).toBe(200);
    try {
      await new Promise((r) => setTimeout(r, 50));
      const before = (await events()).length;
      const p = await fetch(u, { headers: browserHeaders });
      expect(p.status).toBe(200);
      expect(await p.text()).toContain('Eckdaten');
      expect((await fetch(`${u}/widerruf`, { headers: browserHeaders })).status).toBe(200);
      const ex = await fetch(`${u}/expose`, { headers: browserHeaders });
      expect(ex.status).toBe(200); // no legal form on this offer
      await ex.arrayBuffer();
      expect((await events()).length).toBe(before);
    } finally {
      await call(`${c.url}/api/v1/settings`, {
        token: c.adminToken,
        method: 'PUT',
        body: { trackingEnabled: true },
      });
    }
  });

  it('evidence export has only confirmations, each with its wording hash', async () => {
    const r = await call<OfferEvidenceResponse>(`${c.url}/api/v1/offers/${pub.offer.offerId}/evidence`, {
      token: c.agentToken,
    });
    expect(r.status).toBe(200);
    for (const e of r.body.evidence)
      expect(e.wordingSha256).toBe(createHash('sha256').update(e.wording).digest('hex'));
  });
});
