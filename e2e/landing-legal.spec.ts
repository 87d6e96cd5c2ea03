import { simpleParser } from 'mailparser';
import type { BrowserContext, Page } from '@playwright/test';
import type { ContactKind, OfferProperty, PublishOfferResponse } from '../src-shared/api';
import { call, register } from '../test/collector/helpers';
import { sampleProperty } from '../test/fixtures/offers/sample';
import { projectFiles, projectXml } from '../test/fixtures/openimmo/files';
import type { TestCollector } from '../test/support/collector';
import type { TestSmtpServer } from '../test/support/mail-servers';
import { loopbackMailAccount, type AppUnderTest } from '../test/support/e2e-stack';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 13 in Chromium: the legal form's boxes in each condition (consumer/commercial, with and
 * without buyer's commission, with and without AGB), and the landing-page locks set in the app
 * (property status, „alle Landing Pages sperren“, Absage, archived contact) as the prospect sees
 * them, each lifted again.
 */
test.use({ stack: 'landing-legal' });
test.describe.configure({ mode: 'serial' });

const ANNA = { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' };
const BERND = { email: 'bernd.muster@kunde.example', name: 'Bernd Muster' };

let collector: TestCollector;
let smtp: TestSmtpServer;
let app: AppUnderTest;
let page: Page;
let prospect: BrowserContext;

test.beforeAll(async ({ browser, agentPage, app: a, collector: c, smtp: s, imap }) => {
  collector = c;
  smtp = s;
  app = a;
  for (const [op, args] of [
    [
      'settings.saveMailAccount',
      loopbackMailAccount({ name: 'Katrin Sommer', email: 'k.sommer@sommer-immobilien.example' }, smtp, imap),
    ],
    ['settings.saveCollector', { url: collector.url, token: collector.agentToken }],
    [
      'legal.saveProfile',
      {
        company: 'Sommer Immobilien GmbH',
        address: 'Lindenthaler Straße 40, 04155 Leipzig',
        phone: '+49 341 123 456 78',
        commissionNotice: 'Käuferprovision 3,57 % inkl. MwSt.',
      },
    ],
  ] as const) {
    const r = await (
      app.core.dispatch as (o: string, a: unknown) => Promise<{ ok: boolean; error?: unknown }>
    )(op, args);
    if (!r.ok) throw new Error(`${op}: ${JSON.stringify(r.error)}`);
  }
  page = agentPage;
  // the viewport this story's screenshots were taken at
  await page.setViewportSize({ width: 1366, height: 900 });
  prospect = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' },
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  });
  await page.goto(app.host.pageUrl);
  await page.getByTestId('activity-list').waitFor();
});

test.afterAll(async () => {
  await prospect?.close();
});

test.describe('the legal form in Chromium', () => {
  async function publish(over: Partial<OfferProperty>, kind: ContactKind): Promise<string> {
    const message = await register(collector, collector.agentToken, {
      sentIndividually: true,
      recipients: [ANNA],
      links: [],
    });
    const r = await call<PublishOfferResponse>(`${collector.url}/api/v1/offers`, {
      token: collector.agentToken,
      body: {
        messageId: message.messageId,
        property: sampleProperty('https://makler.example', over),
        files: [],
        contactKinds: [{ email: ANNA.email, kind }],
      },
    });
    expect(r.status).toBe(200);
    return r.body.landing[0]!.url;
  }
  const TERMS = {
    version: 'Nr. 1 vom 01.12.2026',
    text: '## Geltung\n\nDiese AGB gelten für alle Maklerverträge.',
  };
  const PRIVACY = { version: 'Nr. 1 vom 01.12.2026', text: '## Verantwortlicher\n\nSommer Immobilien GmbH' };

  test('shows exactly the boxes that apply, and „beauftragte Dienstleistung“ explained where it is asked', async () => {
    test.setTimeout(120_000);
    const cases = [
      {
        name: 'verbraucher-aussenprovision-agb',
        kind: 'consumer' as const,
        buyer: true,
        docs: true,
        boxes: 6,
      },
      { name: 'verbraucher-aussenprovision', kind: 'consumer' as const, buyer: true, docs: false, boxes: 4 },
      {
        name: 'verbraucher-ohne-provision-agb',
        kind: 'consumer' as const,
        buyer: false,
        docs: true,
        boxes: 3,
      },
      { name: 'verbraucher-ohne-provision', kind: 'consumer' as const, buyer: false, docs: false, boxes: 1 },
      {
        name: 'unternehmer-aussenprovision-agb',
        kind: 'commercial' as const,
        buyer: true,
        docs: true,
        boxes: 4,
      },
      {
        name: 'unternehmer-aussenprovision',
        kind: 'commercial' as const,
        buyer: true,
        docs: false,
        boxes: 2,
      },
      {
        name: 'unternehmer-ohne-provision-agb',
        kind: 'commercial' as const,
        buyer: false,
        docs: true,
        boxes: 3,
      },
      {
        name: 'unternehmer-ohne-provision',
        kind: 'commercial' as const,
        buyer: false,
        docs: false,
        boxes: 1,
      },
    ];
    const p = await prospect.newPage();
    for (const k of cases) {
      const url = await publish(
        { buyerCommission: k.buyer, ...(k.docs ? { terms: TERMS, privacy: PRIVACY } : {}) },
        k.kind,
      );
      await p.goto(url);
      const section = p.locator('#rechtliches');
      await section.scrollIntoViewIfNeeded();
      expect(await section.locator('input[type=checkbox]').count(), k.name).toBe(k.boxes);
      expect(await section.getByText('Widerrufsbelehrung und Muster-Widerrufsformular öffnen').count()).toBe(
        k.kind === 'consumer' && k.buyer ? 1 : 0,
      );
      expect(await section.getByText('Was ist die „beauftragte Dienstleistung“?').count()).toBe(
        k.kind === 'consumer' && k.buyer ? 1 : 0,
      );
      expect(await section.getByLabel(/weitere passende Immobilienangebote/).isChecked()).toBe(false);
      await section.screenshot({ path: `test-results/screenshots/legal-form-${k.name}.png` });
    }
    // the full-page view of the richest case at phone width, and after confirming
    const url = await publish({ buyerCommission: true, terms: TERMS, privacy: PRIVACY }, 'consumer');
    const phone = await prospect.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(url);
    await phone.locator('#rechtliches').scrollIntoViewIfNeeded();
    await screenshot(phone, 'legal-form-390');
    const section = phone.locator('#rechtliches');
    for (const box of await section.locator('input[required]').all()) await box.check();
    await Promise.all([phone.waitForURL(/#unterlagen$/), section.getByRole('button').click()]);
    await phone.locator('#rechtliches').scrollIntoViewIfNeeded();
    expect(await phone.locator('ul.confirmed li').count()).toBe(5);
    expect(await phone.locator('ul.confirmed').innerText()).toMatch(/Bestätigt am \d\d\.\d\d\.\d{4}/);
    await screenshot(phone, 'legal-form-390-bestaetigt');
    await phone.close();
    await p.close();
  });
});

test.describe('landing-page locks set in the app, as the prospect sees them', () => {
  let annaUrl = '';
  let berndUrl = '';
  let title = '';

  test('sends an offer to two prospects', async () => {
    const imp = await app.core.dispatch('properties.importOpenImmo', {
      xml: projectXml(),
      files: [...projectFiles()].map(([name, b]) => ({ name, contentBase64: b.toString('base64') })),
    });
    if (!imp.ok) throw new Error(JSON.stringify(imp.error));
    const prop = imp.value.properties[0]!;
    title = prop.title;
    const sent = await app.core.dispatch('offers.send', { propertyId: prop.id, recipients: [ANNA, BERND] });
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    await waitFor(
      async () => {
        const l = await app.core.dispatch('activities.list', {});
        return l.ok && l.value.find((a) => a.id === sent.value.activityId)?.outboxState === 'filed'
          ? true
          : null;
      },
      'offer filed',
      30_000,
    );
    for (const m of smtp.received) {
      const parsed = await simpleParser(m.raw);
      const url = /https?:\/\/[^\s"<>]+\/l\/[A-Za-z0-9_-]+/.exec(parsed.text ?? '')?.[0];
      if (!url) continue;
      if (m.rcptTo.includes(ANNA.email)) annaUrl = url;
      if (m.rcptTo.includes(BERND.email)) berndUrl = url;
    }
    expect(annaUrl).not.toBe('');
    expect(berndUrl).not.toBe('');
  });

  async function seen(url: string): Promise<{ status: number; text: string; p: Page }> {
    const p = await prospect.newPage();
    const res = await p.goto(url);
    const text = await p.locator('body').innerText();
    return { status: res?.status() ?? 0, text, p };
  }
  async function expectLocked(url: string, shot?: string) {
    const s = await seen(url);
    expect(s.status).toBe(403);
    expect(s.text).toContain('Dieses Angebot ist derzeit nicht verfügbar');
    expect(s.text).toContain('k.sommer@sommer-immobilien.example');
    expect(s.text).not.toContain('Gohliser');
    expect(s.text).not.toContain(title);
    if (shot) await screenshot(s.p, shot);
    await s.p.close();
  }
  async function expectOpen(url: string) {
    const s = await seen(url);
    expect(s.status).toBe(200);
    expect(s.text).toContain('Gohliser');
    await s.p.close();
  }

  test('by status (reserviert), by „alle Landing Pages sperren“ and by Absage, in the property panel', async () => {
    test.setTimeout(120_000);
    await expectOpen(annaUrl);
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('properties-tab-objects').click();
    await page.getByTestId('property-row').first().click();
    const panel = page.getByTestId('landing-panel');
    await panel.waitFor();
    await expect.poll(() => panel.getByTestId('landing-lock-status-reserved').isChecked()).toBe(true);

    await panel.getByTestId('landing-status').selectOption('reserved');
    await expect.poll(() => panel.getByTestId('landing-lock-state').innerText()).toContain('gesperrt');
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'locks-01-objekt-reserviert');
    await expectLocked(annaUrl, 'locks-02-gesperrte-seite');
    await expectLocked(berndUrl);
    await panel.getByTestId('landing-status').selectOption('available');
    await expect.poll(() => panel.getByTestId('landing-lock-state').innerText()).toContain('erreichbar');
    await expectOpen(annaUrl);

    await panel.getByTestId('landing-lock-all').check();
    await expectLocked(annaUrl);
    await panel.getByTestId('landing-lock-all').uncheck();
    await expectOpen(annaUrl);

    await panel.getByTestId(`landing-reject-${ANNA.email}`).click();
    await expect.poll(() => panel.getByTestId(`landing-reject-${ANNA.email}`).isChecked()).toBe(true);
    await expectLocked(annaUrl);
    await expectOpen(berndUrl);
    await screenshot(page, 'locks-03-absage');
    await panel.getByTestId(`landing-reject-${ANNA.email}`).click();
    await expect.poll(() => panel.getByTestId(`landing-reject-${ANNA.email}`).isChecked()).toBe(false);
    await expectOpen(annaUrl);
  });

  test('by an archived contact, in Kontakte; the contact kind is set there too', async () => {
    await page.getByTestId('properties-tab-contacts').click();
    const row = page.getByTestId(`contact-${BERND.email}`);
    await row.waitFor();
    await row.getByTestId(`contact-kind-${BERND.email}`).selectOption('commercial');
    await row.getByTestId(`contact-archive-${BERND.email}`).check();
    await expect.poll(() => row.getAttribute('class')).toBe('archived');
    await screenshot(page, 'locks-04-kontakte');
    await expectLocked(berndUrl);
    await expectOpen(annaUrl);
    await row.getByTestId(`contact-archive-${BERND.email}`).click();
    await expect.poll(() => row.getAttribute('class')).toBe(null);
    await expectOpen(berndUrl);
    const c = await app.core.dispatch('landing.contacts', {});
    expect(c.ok && c.value.find((x) => x.email === BERND.email)?.kind).toBe('commercial');
  });
});
