import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsResponse, OfferEvidenceResponse } from '../../src-shared/api';
import { countsAsPerson, type TrackingEvent } from '../../src-shared/events';
import { call } from '../collector/helpers';
import { COMMISSION_NOTICE } from '../fixtures/offers/sample';
import { startTestCollector, type TestCollector } from '../support/collector';
import {
  DESKTOP_UA,
  PHONE_UA,
  PROSPECT_IP,
  publishSample,
  RECIPIENTS,
  startSite,
  type Published,
} from './helpers';

const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');
const SHOTS = 'test-results/screenshots';

let c: TestCollector;
let site: Awaited<ReturnType<typeof startSite>>;
let browser: Browser;
let pub: Published;
const anna = RECIPIENTS[0]!;
const bernd = RECIPIENTS[1]!;

beforeAll(async () => {
  // the prospect arrives through a proxy we trust (X-Forwarded-For), the agent straight from
  // loopback: otherwise the classifier would rightly call the prospect the sender ("self")
  [c, site, browser] = await Promise.all([
    startTestCollector({ trustProxy: true }),
    startSite(),
    chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    }),
  ]);
  pub = await publishSample(c, c.agentToken, site.url);
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await c?.close();
});

function prospect(opts: { js?: boolean; phone?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    userAgent: opts.phone ? PHONE_UA : DESKTOP_UA,
    viewport: opts.phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
    deviceScaleFactor: 1,
    isMobile: opts.phone ?? false,
    hasTouch: opts.phone ?? false,
    javaScriptEnabled: opts.js ?? true,
    extraHTTPHeaders: { 'x-forwarded-for': PROSPECT_IP },
    locale: 'de-DE',
    acceptDownloads: true,
  });
}

async function pull(token: string): Promise<TrackingEvent[]> {
  const r = await call<EventsResponse>(`${c.url}/api/v1/events?after=0&limit=1000`, { token });
  expect(r.status).toBe(200);
  return r.body.events;
}

async function downloadBytes(
  page: Page,
  click: () => Promise<void>,
): Promise<{ name: string; bytes: Buffer }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await dl.path();
  return { name: dl.suggestedFilename(), bytes: readFileSync(path) };
}

describe('the prospect on the landing page (Chromium)', () => {
  it('does all six actions and fills the legal form; the agent gets each event with the name, in order', async () => {
    const url = pub.landing.get(anna.email)!;
    const ctx = await prospect();
    const page = await ctx.newPage();
    page.setDefaultTimeout(5000);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });

    // 1. visit
    const resp = await page.goto(url);
    expect(resp?.status()).toBe(200);
    await expect(page.title()).resolves.toContain('Leipzig-Gohlis');
    expect(await page.locator('.greet').textContent()).toContain('Anna Beispiel');
    const facts = ((await page.locator('.facts').textContent()) ?? '').replace(/\u00a0/g, ' ');
    // a project's facts are ranges over its units (issue 13), not the project's own figures
    for (const f of ['ab 289.000 €', '64,2–92 m²', '2–4', 'Zimmer', 'Lindenthaler Straße 12'])
      expect(facts).toContain(f);
    expect(facts).not.toContain('78,5 m²');
    // downloads are locked until the form is done
    expect(await page.locator('a', { hasText: 'Grundriss EG.pdf' }).count()).toBe(0);
    expect(await page.locator('.gallery img').count()).toBe(3);
    const imgOk = await page
      .locator('.gallery img')
      .first()
      .evaluate((img) => (img as HTMLImageElement).naturalWidth);
    expect(imgOk).toBe(480);

    // 2. the Widerrufsbelehrung, then back through its own link (no second visit)
    await Promise.all([
      page.waitForURL(/\/widerruf$/),
      page.getByRole('link', { name: 'Widerrufsbelehrung (Fassung 2025-01)' }).click(),
    ]);
    await expect(page.locator('h1').textContent()).resolves.toBe('Widerrufsbelehrung');
    expect(await page.locator('.policy').innerText()).toContain('vierzehn Tagen');
    await Promise.all([
      page.waitForURL(url),
      page.locator('a', { hasText: 'Zurück zum Angebot' }).first().click(),
    ]);
    await page.waitForSelector('#einheiten');

    // 3. a property link through the tracked redirect, in a new tab
    const [tab] = await Promise.all([
      ctx.waitForEvent('page'),
      page.getByRole('link', { name: 'Lageplan und Umgebung' }).click(),
    ]);
    await tab.waitForLoadState();
    expect(tab.url()).toBe(`${site.url}/lage?objekt=4711`);
    await tab.close();

    // 4. like a unit (the script's fetch path)
    const like = page.locator('#einheit-we2 button');
    await like.click();
    await expect.poll(() => like.getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('#like-status').textContent()).toContain('WE 2');
    expect(await page.locator('#einheit-we4 button').count()).toBe(0); // sold: nothing to like

    // legal form: all three confirmations, keyboard-reachable labels
    for (const id of ['cancellation_policy_read', 'early_start', 'commission_notice']) {
      await page
        .getByLabel(
          id === 'commission_notice'
            ? /Provisionshinweis/
            : id === 'early_start'
              ? /Ich verlange ausdrücklich/
              : /Widerrufsbelehrung \(Fassung/,
        )
        .check();
    }
    await Promise.all([
      page.waitForURL(/#unterlagen$/),
      page.click('text=Bestätigen und Unterlagen freischalten'),
    ]);
    await page.waitForSelector('.ok');

    // 5. a floor plan and 6. the Exposé: bytes as published
    const plan = await downloadBytes(page, () => page.locator('a', { hasText: 'Grundriss EG.pdf' }).click());
    expect(plan.name).toBe('Grundriss EG.pdf');
    expect(sha256(plan.bytes)).toBe(sha256(pub.files.bytes.get('Grundriss EG.pdf')!));
    const exposeName = 'Exposé Lindenthaler Straße 12.pdf';
    const expose = await downloadBytes(page, () => page.locator('a', { hasText: 'Exposé:' }).click());
    expect(expose.name).toBe(exposeName);
    expect(expose.bytes.equals(pub.files.bytes.get(exposeName)!)).toBe(true);
    await ctx.close();

    // without JavaScript: unlike through the plain form POST; the page shows the stored state
    const nojs = await prospect({ js: false });
    const p2 = await nojs.newPage();
    await p2.goto(url);
    expect(await p2.locator('#einheit-we2 button').getAttribute('aria-pressed')).toBe('true');
    await p2.locator('#einheit-we2 button').click();
    await p2.waitForURL(/#einheit-we2$/);
    expect(await p2.locator('#einheit-we2 button').getAttribute('aria-pressed')).toBe('false');
    await nojs.close();
    expect(dialogs).toEqual([]);

    const events = (await pull(c.agentToken)).filter((e) => e.recipientEmail === anna.email);
    expect(events.map((e) => e.type)).toEqual([
      'landing.visited',
      'landing.cancellation_policy_opened',
      'landing.link_opened',
      'landing.unit_liked',
      'landing.legal_confirmed',
      'landing.legal_confirmed',
      'landing.legal_confirmed',
      'landing.document_downloaded',
      'landing.expose_downloaded',
      'landing.visited',
      'landing.unit_unliked',
    ]);
    const seqs = events.map((e) => e.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    // a person's hit a later one could still overturn is held for the notification (issue 21):
    // settleAt, never more than 30 s after the hit; the rest of the detail is as before
    for (const e of events) {
      const { settleAt, ...rest } = e.detail;
      if (settleAt !== undefined)
        expect(Date.parse(settleAt) - Date.parse(e.occurredAt)).toBeLessThanOrEqual(30_000);
      e.detail = rest;
    }
    for (const e of events) {
      expect(e.offerId).toBe(pub.offer.offerId);
      expect(e.messageId).toBe(pub.message.messageId);
      expect(e.client.verdict).toBe('human');
      expect(e.client.ipPrefix).toBe('198.51.100.0/24');
      expect(JSON.stringify(e)).not.toContain(PROSPECT_IP);
    }
    expect(events[2]!.detail).toEqual({ url: `${site.url}/lage?objekt=4711`, linkIndex: 0 });
    expect(events[3]!.detail).toEqual({ unit: 'WE 2' });
    expect(events.slice(4, 7).map((e) => e.detail.confirmation)).toEqual([
      'cancellation_policy_read',
      'early_start',
      'commission_notice',
    ]);
    for (const e of events.slice(4, 7)) expect(e.detail.wordingSha256).toBe(sha256(e.detail.wording!));
    expect(events[6]!.detail.wording).toContain(COMMISSION_NOTICE);
    expect(events[7]!.detail).toEqual({
      document: 'Grundriss EG.pdf',
      sha256: sha256(pub.files.bytes.get('Grundriss EG.pdf')!),
    });
    expect(events[8]!.detail).toEqual({
      document: exposeName,
      sha256: sha256(pub.files.bytes.get(exposeName)!),
    });
    expect(events[10]!.detail).toEqual({ unit: 'WE 2' });

    // evidence: the same wording, the FULL address, for the account only
    const ev = await call<OfferEvidenceResponse>(`${c.url}/api/v1/offers/${pub.offer.offerId}/evidence`, {
      token: c.adminToken,
    });
    expect(ev.status).toBe(200);
    expect(ev.body.evidence.map((x) => [x.recipientEmail, x.confirmation, x.ip])).toEqual([
      [anna.email, 'cancellation_policy_read', PROSPECT_IP],
      [anna.email, 'early_start', PROSPECT_IP],
      [anna.email, 'commission_notice', PROSPECT_IP],
    ]);
    for (const [i, x] of ev.body.evidence.entries()) {
      expect(x.wording).toBe(events[4 + i]!.detail.wording);
      expect(x.wordingSha256).toBe(sha256(x.wording));
      expect(x.policyVersion).toBe('2025-01');
      expect(x.userAgent).toBe(DESKTOP_UA);
    }
  });

  it('a link-preview bot is recorded as a preview, never as the person', async () => {
    const url = pub.landing.get(bernd.email)!;
    const r = await fetch(url, {
      headers: { 'user-agent': 'WhatsApp/2.24.6.77 A', 'x-forwarded-for': '203.0.113.9' },
    });
    expect(r.status).toBe(200);
    await r.text();
    const events = (await pull(c.agentToken)).filter((e) => e.recipientEmail === bernd.email);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('landing.visited');
    expect(events[0]!.client.verdict).toBe('preview');
    expect(countsAsPerson(events[0]!.client.verdict)).toBe(false);
  });

  it('renders for desktop (1280×800) and phone (390×844) without horizontal scrolling', async () => {
    const url = pub.landing.get(bernd.email)!;
    for (const phone of [false, true]) {
      const ctx = await prospect({ phone });
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(url);
      await page.waitForLoadState('load');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(phone ? 390 : 1280);
      // landmarks and a single h1
      expect(await page.locator('main').count()).toBe(1);
      expect(await page.locator('header').count()).toBeGreaterThan(0);
      expect(await page.locator('h1').count()).toBe(1);
      await page.screenshot({
        path: `${SHOTS}/landing-${phone ? '390x844' : '1280x800'}.png`,
        fullPage: false,
      });
      await page.screenshot({
        path: `${SHOTS}/landing-${phone ? '390x844' : '1280x800'}-full.png`,
        fullPage: true,
      });
      expect(errors).toEqual([]); // no CSP violations, no broken assets
      await ctx.close();
    }
  });
});
