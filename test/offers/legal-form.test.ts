import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ContactKind,
  DeclarationClaimResponse,
  DeclarationsResponse,
  EventsResponse,
  OfferEvidenceResponse,
  OfferProperty,
  PublishOfferResponse,
} from '../../src-shared/api';
import { call, register } from '../collector/helpers';
import { createScratchSchema, PG_URL } from '../collector-pg/pg-support';
import { sampleProperty } from '../fixtures/offers/sample';
import { startTestCollector, type TestCollector } from '../support/collector';
import { DESKTOP_UA, PROSPECT_IP, RECIPIENTS } from './helpers';

const SITE = 'https://makler.example';
const browser = { 'user-agent': DESKTOP_UA, 'x-forwarded-for': PROSPECT_IP };
const TERMS = {
  version: 'Nr. 1 vom 01.12.2026',
  text: '# AGB\n\n## Geltung\n\nDiese AGB gelten für alle Maklerverträge.',
};
const PRIVACY = { version: 'Nr. 2 vom 02.12.2026', text: '## Verantwortlicher\n\nSommer Immobilien GmbH' };

/** the confirmation ids of the page's form, in the order shown */
function boxes(html: string): string[] {
  const form = /<form class="legal"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  return [...form.matchAll(/data-confirmation="([a-z_]+)"/g)].map((m) => m[1] ?? '');
}

async function csrfOf(html: string): Promise<string> {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m?.[1]) throw new Error('no csrf token on the page');
  return m[1];
}

const post = (target: string, fields: Record<string, string>) =>
  fetch(target, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      ...browser,
    },
    body: new URLSearchParams(fields).toString(),
  });

const stores: { name: string; pg: boolean }[] = [
  { name: 'sqlite', pg: false },
  ...(PG_URL ? [{ name: 'postgres', pg: true }] : []),
];

describe.each(stores)('legal form, declarations and locks ($name)', ({ pg }) => {
  let c: TestCollector;
  let dropSchema: (() => Promise<void>) | null = null;

  beforeAll(async () => {
    if (pg) {
      const s = await createScratchSchema();
      dropSchema = () => s.drop();
      c = await startTestCollector({ databaseUrl: s.url, trustProxy: true });
    } else c = await startTestCollector({ trustProxy: true });
  });
  afterAll(async () => {
    await c?.close();
    await dropSchema?.();
  });

  async function offer(over: Partial<OfferProperty>, kind: ContactKind, token = c.agentToken) {
    const message = await register(c, token, { sentIndividually: true, recipients: RECIPIENTS, links: [] });
    const r = await call<PublishOfferResponse>(`${c.url}/api/v1/offers`, {
      token,
      body: {
        messageId: message.messageId,
        property: sampleProperty(SITE, over),
        files: [],
        contactKinds: [{ email: RECIPIENTS[0]!.email, kind }],
      },
    });
    if (r.status !== 200) throw new Error(`publish: ${r.status} ${r.text}`);
    const urls = new Map(r.body.landing.map((l) => [l.recipientEmail, l.url]));
    return {
      offerId: r.body.offerId,
      url: urls.get(RECIPIENTS[0]!.email)!,
      other: urls.get(RECIPIENTS[1]!.email)!,
    };
  }

  const page = async (url: string) => {
    const r = await fetch(url, { headers: browser });
    return { status: r.status, html: await r.text() };
  };

  it('shows each confirmation only where it applies (consumer/commercial × buyer commission × AGB)', async () => {
    const cases: {
      kind: ContactKind;
      buyer: boolean;
      docs: boolean;
      expected: string[];
    }[] = [
      {
        kind: 'consumer',
        buyer: true,
        docs: true,
        expected: [
          'cancellation_policy_read',
          'early_start',
          'commission_notice',
          'terms_accepted',
          'privacy_read',
          'contact_permission',
        ],
      },
      {
        kind: 'consumer',
        buyer: true,
        docs: false,
        expected: ['cancellation_policy_read', 'early_start', 'commission_notice', 'contact_permission'],
      },
      {
        kind: 'consumer',
        buyer: false,
        docs: true,
        expected: ['terms_accepted', 'privacy_read', 'contact_permission'],
      },
      { kind: 'consumer', buyer: false, docs: false, expected: ['contact_permission'] },
      {
        kind: 'commercial',
        buyer: true,
        docs: true,
        expected: ['commission_notice', 'terms_accepted', 'privacy_read', 'contact_permission'],
      },
      { kind: 'commercial', buyer: true, docs: false, expected: ['commission_notice', 'contact_permission'] },
      {
        kind: 'commercial',
        buyer: false,
        docs: true,
        expected: ['terms_accepted', 'privacy_read', 'contact_permission'],
      },
      { kind: 'commercial', buyer: false, docs: false, expected: ['contact_permission'] },
    ];
    for (const k of cases) {
      const o = await offer(
        { buyerCommission: k.buyer, ...(k.docs ? { terms: TERMS, privacy: PRIVACY } : {}) },
        k.kind,
      );
      const { html } = await page(o.url);
      expect(boxes(html), JSON.stringify(k)).toEqual(k.expected);
      // the Kontakterlaubnis is never required; the others always are
      expect(html).not.toMatch(/name="c_contact_permission"[^>]*required/);
      for (const id of k.expected.filter((x) => x !== 'contact_permission'))
        expect(html, id).toMatch(new RegExp(`name="c_${id}"\\s+value="ja"\\s+required`));
      // „beauftragte Dienstleistung“ is explained wherever the early start is asked for
      expect(html.includes('Was ist die „beauftragte Dienstleistung“?')).toBe(
        k.expected.includes('early_start'),
      );
      // nothing to confirm but the optional box: the downloads are open at once
      const locked = html.includes('Bestätigen und Unterlagen freischalten');
      expect(locked, JSON.stringify(k)).toBe(k.expected.length > 1);
    }
  });

  it('the other recipient of the same offer (no kind sent) is a consumer', async () => {
    const o = await offer({ buyerCommission: true }, 'commercial');
    expect(boxes((await page(o.url)).html)).not.toContain('early_start');
    expect(boxes((await page(o.other)).html)).toContain('early_start');
  });

  it('AGB and Datenschutzerklärung pages have real headings; the Widerruf page too', async () => {
    const o = await offer(
      {
        terms: TERMS,
        privacy: PRIVACY,
        cancellationPolicy: {
          version: 'X',
          text: '# Widerrufsbelehrung\n\n## Widerrufsrecht\n\nSie haben das Recht …\n\n## Muster-Widerrufsformular\n\n(Wenn Sie …)',
        },
      },
      'consumer',
    );
    const agb = await page(`${o.url}/agb`);
    expect(agb.status).toBe(200);
    expect(agb.html).toContain('<h1>Allgemeine Geschäftsbedingungen</h1>');
    expect(agb.html).toContain('<h2>Geltung</h2>');
    expect(agb.html).toContain('Fassung Nr. 1 vom 01.12.2026');
    const ds = await page(`${o.url}/datenschutz`);
    expect(ds.html).toContain('<h2>Verantwortlicher</h2>');
    const w = await page(`${o.url}/widerruf`);
    expect(w.html).toContain('<h1>Widerrufsbelehrung</h1>');
    expect(w.html).toContain('<h2>Widerrufsrecht</h2>');
    expect(w.html).toContain('<h2>Muster-Widerrufsformular</h2>');
    expect(w.html.match(/<h1>/g)?.length).toBe(1);
    const none = await offer({}, 'consumer');
    expect((await page(`${none.url}/agb`)).status).toBe(404);
  });

  it('five posts of the form keep one evidence row per confirmation, repeats counted; one declaration, one mail', async () => {
    const o = await offer({ buyerCommission: true, terms: TERMS }, 'consumer');
    const first = await page(o.url);
    const csrf = await csrfOf(first.html);
    const fields = {
      csrf,
      c_cancellation_policy_read: 'ja',
      c_early_start: 'ja',
      c_commission_notice: 'ja',
      c_terms_accepted: 'ja',
    };
    // a required box missing: refused, nothing stored
    const partial = await post(`${o.url}/confirm`, { csrf, c_early_start: 'ja' });
    expect(partial.headers.get('location')).toContain('fehler=bestaetigung');
    for (let i = 0; i < 5; i++) expect((await post(`${o.url}/confirm`, fields)).status).toBe(303);
    const ev = await call<OfferEvidenceResponse>(`${c.url}/api/v1/offers/${o.offerId}/evidence`, {
      token: c.agentToken,
    });
    expect(ev.body.evidence.map((e) => e.confirmation).sort()).toEqual(
      ['cancellation_policy_read', 'commission_notice', 'early_start', 'terms_accepted'].sort(),
    );
    for (const e of ev.body.evidence) {
      expect(e.repeatCount).toBe(4);
      expect(e.lastSeenAt! >= e.confirmedAt).toBe(true);
      expect(e.ip).toBe(PROSPECT_IP);
      expect(e.wordingSha256).toBe(createHash('sha256').update(e.wording).digest('hex'));
    }
    const events = (
      await call<EventsResponse>(`${c.url}/api/v1/events?after=0&limit=5000`, { token: c.agentToken })
    ).body.events.filter((e) => e.offerId === o.offerId && e.type === 'landing.legal_confirmed');
    expect(events).toHaveLength(4);

    // the page keeps showing what was confirmed and when
    const after = await page(o.url);
    expect(after.html).toContain('Ihre Bestätigung');
    expect(after.html.match(/Bestätigt am \d\d\.\d\d\.\d{4}, \d\d:\d\d:\d\d Uhr/g)?.length).toBe(4);
    expect(after.html).toContain('wird Ihnen per E-Mail gesendet');
    // the optional Kontakterlaubnis can still be given later: a second declaration
    expect((await post(`${o.url}/confirm`, { csrf, c_contact_permission: 'ja' })).status).toBe(303);
    const open = await call<DeclarationsResponse>(`${c.url}/api/v1/declarations/open`, {
      token: c.agentToken,
    });
    const mine = open.body.declarations.filter((d) => d.offerId === o.offerId);
    expect(mine).toHaveLength(2);
    expect(mine[0]!.items.map((i) => i.confirmation)).toEqual([
      'cancellation_policy_read',
      'early_start',
      'commission_notice',
      'terms_accepted',
    ]);
    expect(mine[0]!.property.cancellationPolicy.text.length).toBeGreaterThan(50);
    expect(mine[1]!.items.map((i) => i.confirmation)).toEqual(['contact_permission']);
    // the admin's desktop does not send the agent's confirmations
    const adminOpen = await call<DeclarationsResponse>(`${c.url}/api/v1/declarations/open`, {
      token: c.adminToken,
    });
    expect(adminOpen.body.declarations.filter((d) => d.offerId === o.offerId)).toHaveLength(0);
  });

  it('one desktop claims a confirmation mail; another cannot; reported sent once, one feed event', async () => {
    const o = await offer({ buyerCommission: true }, 'consumer');
    const csrf = await csrfOf((await page(o.url)).html);
    await post(`${o.url}/confirm`, {
      csrf,
      c_cancellation_policy_read: 'ja',
      c_early_start: 'ja',
      c_commission_notice: 'ja',
    });
    const open = await call<DeclarationsResponse>(`${c.url}/api/v1/declarations/open`, {
      token: c.agentToken,
    });
    const d = open.body.declarations.find((x) => x.offerId === o.offerId)!;
    expect(d.mailState).toBe('pending');
    const claim = (device: string, token = c.agentToken) =>
      call<DeclarationClaimResponse>(`${c.url}/api/v1/declarations/${d.id}/claim`, {
        token,
        body: { device },
      });
    const a = await claim('desktop-aaaa');
    expect(a.status).toBe(200);
    expect(a.body.declaration.items).toHaveLength(3);
    expect((await claim('desktop-aaaa')).status).toBe(200); // renewing is fine
    const b = await claim('desktop-bbbb');
    expect(b.status).toBe(409);
    expect((b.body as unknown as { error: { code: string } }).error.code).toBe('claimed_elsewhere');
    expect((await claim('desktop-aaaa', c.adminToken)).status).toBe(404);
    const sent = (device: string) =>
      call(`${c.url}/api/v1/declarations/${d.id}/sent`, {
        token: c.agentToken,
        body: { device, mailMessageId: '<x@makler.example>' },
      });
    expect((await sent('desktop-bbbb')).status).toBe(409);
    expect((await sent('desktop-aaaa')).status).toBe(200);
    expect((await sent('desktop-aaaa')).status).toBe(200);
    expect((await claim('desktop-bbbb')).status).toBe(409);
    const events = (
      await call<EventsResponse>(`${c.url}/api/v1/events?after=0&limit=5000`, { token: c.agentToken })
    ).body.events.filter((e) => e.offerId === o.offerId && e.type === 'landing.confirmation_sent');
    expect(events).toHaveLength(1);
    expect(events[0]!.recipientEmail).toBe(RECIPIENTS[0]!.email);
    expect(events[0]!.client.verdict).toBe('human');
    const again = await call<DeclarationsResponse>(`${c.url}/api/v1/declarations/open`, {
      token: c.agentToken,
    });
    expect(again.body.declarations.find((x) => x.id === d.id)).toBeUndefined();
    expect((await page(o.url)).html).toMatch(
      /wurde Ihnen am \d\d\.\d\d\.\d{4}, [\d:]+ Uhr per E-Mail gesendet/,
    );
  });

  it('locks: status list, whole property, archived contact, Absage; each polite, no property data; lifting opens', async () => {
    const key = `prop-${Math.random().toString(36).slice(2)}`;
    const o = await offer({ propertyKey: key }, 'consumer');
    const title = sampleProperty(SITE).title;
    const put = (path: string, body: unknown, token = c.agentToken) =>
      call(`${c.url}/api/v1/landing-locks/${path}`, { token, method: 'PUT', body });
    const expectLocked = async (url: string) => {
      const p = await page(url);
      expect(p.status).toBe(403);
      expect(p.html).toContain('Dieses Angebot ist derzeit nicht verfügbar');
      expect(p.html).not.toContain(title);
      expect(p.html).not.toContain('Lindenthaler Straße 12');
      expect(p.html).not.toContain('349.000');
      // every page under the token is locked, not only the main one
      expect((await fetch(`${url}/widerruf`, { headers: browser })).status).toBe(403);
    };
    const expectOpen = async (url: string) => expect((await page(url)).status).toBe(200);

    await expectOpen(o.url);
    expect((await put(`properties/${key}`, { status: 'reserved', lockAll: false })).status).toBe(200);
    await expectLocked(o.url);
    await expectLocked(o.other);
    // the account decides which statuses lock: without „reserviert“ the page opens again
    expect((await put('settings', { statuses: ['sold'] })).status).toBe(403); // admins only
    expect((await put('settings', { statuses: ['sold'] }, c.adminToken)).status).toBe(200);
    await expectOpen(o.url);
    expect((await put(`properties/${key}`, { status: 'sold', lockAll: false })).status).toBe(200);
    await expectLocked(o.url);
    expect((await put(`properties/${key}`, { status: 'available', lockAll: true })).status).toBe(200);
    await expectLocked(o.url);
    expect((await put(`properties/${key}`, { status: 'available', lockAll: false })).status).toBe(200);
    await expectOpen(o.url);
    await put('settings', { statuses: ['reserved', 'sold'] }, c.adminToken);

    expect(
      (await put('contacts', { email: RECIPIENTS[0]!.email.toUpperCase(), archived: true })).status,
    ).toBe(200);
    await expectLocked(o.url);
    await expectOpen(o.other);
    await put('contacts', { email: RECIPIENTS[0]!.email, archived: false });
    await expectOpen(o.url);

    expect(
      (await put('deals', { propertyKey: key, email: RECIPIENTS[1]!.email, rejected: true })).status,
    ).toBe(200);
    await expectLocked(o.other);
    await expectOpen(o.url);
    await put('deals', { propertyKey: key, email: RECIPIENTS[1]!.email, rejected: false });
    await expectOpen(o.other);
    expect((await put('deals', { propertyKey: '../x', email: 'a@b.example', rejected: true })).status).toBe(
      400,
    );
  });

  it('the sold page of a project does not speak of a new owner, and nests no quotes', async () => {
    const o = await offer({ title: 'Wohnpark „Am See“' }, 'consumer');
    await call(`${c.url}/api/v1/offers/${o.offerId}/status`, {
      token: c.agentToken,
      method: 'PUT',
      body: { status: 'sold' },
    });
    const p = await page(o.url);
    expect(p.status).toBe(410);
    expect(p.html).toContain('Alle Einheiten dieses Projekts sind vergeben');
    expect(p.html).not.toContain('neuen Eigentümer');
    expect(p.html).not.toContain('„Wohnpark');
    const single = await offer({ units: undefined }, 'consumer');
    await call(`${c.url}/api/v1/offers/${single.offerId}/status`, {
      token: c.agentToken,
      method: 'PUT',
      body: { status: 'sold' },
    });
    expect((await page(single.url)).html).toContain('neuen Eigentümer');
  });
});
