import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { startCollector, type RunningCollector } from '../src-collector/server';
import type { CoreApi, CoreTiming } from '../src-main/core/api';
import { DEFAULT_TIMING } from '../src-main/core/api';
import { createCore, createFileSecretStore } from '../src-main/core/index';
import { RecordingNotifier } from '../src-main/host/recording-notifier';
import { startHost, type RunningHost } from '../src-main/host/server';
import { startTestCollector, type TestCollector } from '../test/support/collector';
import { E2E_TIMING, loopbackMailAccount, quietLog } from '../test/support/e2e-stack';
import type { TestImapServer, TestSmtpServer } from '../test/support/mail-servers';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * An agent's first hour, the parts that must not lose anything or mislead: drafts kept as typed
 * (also across a restart), „Verwerfen“ that asks and clears everything, the new activity shown
 * after „Senden“ even under a search, a layout that holds from 900 px to 1920 px and at 200 %
 * zoom, and an offline banner that is seen and leaves soon after the collector is back.
 *
 * The renderer build, smtp-server, Dovecot and Chromium come from the fixtures. The app and the
 * collector are this file's own: the app is restarted on the same data folder and runs with the
 * desktop's real reconnect timing, and the collector comes back on the same port and database
 * file after being stopped, which the fixtures' app and collector do not offer.
 */
test.use({ stack: 'first-hour' });
test.describe.configure({ mode: 'serial' });

// the desktop's real reconnect timing: the offline banner must leave quickly without test tuning
const TIMING: Partial<CoreTiming> = {
  ...E2E_TIMING,
  syncBackoffBaseMs: DEFAULT_TIMING.syncBackoffBaseMs,
  syncBackoffMaxMs: DEFAULT_TIMING.syncBackoffMaxMs,
};

interface App {
  core: CoreApi;
  host: RunningHost;
  notifier: RecordingNotifier;
  stop(): Promise<void>;
}

async function startApp(rendererDir: string, dataDir: string): Promise<App> {
  const notifier = new RecordingNotifier();
  const core = createCore({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 'secrets.json'), quietLog),
    notifier,
    log: quietLog,
    timing: TIMING,
    mailOptions: { allowSelfSigned: true, connectTimeoutMs: 5_000 },
  });
  await core.start();
  const host = await startHost({ core, notifier, rendererDir });
  return {
    core,
    host,
    notifier,
    async stop() {
      await host.close();
      await core.stop();
    },
  };
}

let rendererDir: string;
let dataDir: string;
let collectorDir: string;
let collector: TestCollector;
let restarted: RunningCollector | null = null;
let smtp: TestSmtpServer;
let imap: TestImapServer;
let browser: Browser;
let app: App;
let context: BrowserContext;
let page: Page;

async function openPage(width = 1366, height = 800, scale = 1): Promise<void> {
  await context?.close();
  context = await browser.newContext({
    viewport: { width, height },
    deviceScaleFactor: scale,
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  });
  page = await context.newPage();
  await page.goto(app.host.pageUrl);
  await page.locator('.app').waitFor();
}

test.beforeAll(async ({ rendererDir: r, smtp: s, imap: i, browser: b }) => {
  test.setTimeout(120_000);
  rendererDir = r;
  smtp = s;
  imap = i;
  browser = b;
  dataDir = mkdtempSync(join(tmpdir(), 'blitz-e2e-first-hour-'));
  collectorDir = mkdtempSync(join(tmpdir(), 'blitz-e2e-collector-'));
  collector = await startTestCollector({ db: join(collectorDir, 'collector.db'), trustProxy: true });
  app = await startApp(rendererDir, dataDir);
  const c = await app.core.dispatch('settings.saveCollector', {
    url: collector.url,
    token: collector.adminToken,
  });
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  const m = await app.core.dispatch(
    'settings.saveMailAccount',
    loopbackMailAccount({ name: 'Maria Makler', email: 'maria@makler.example' }, smtp, imap),
  );
  if (!m.ok) throw new Error(JSON.stringify(m.error));
  await openPage();
});

test.afterAll(async () => {
  await context?.close();
  await app?.stop();
  await (restarted ? restarted.close() : collector?.close());
  for (const d of [dataDir, collectorDir]) if (d) rmSync(d, { recursive: true, force: true });
});

const bodyText = () => page.getByTestId('compose-body').innerText();

async function sendMail(to: string, subject: string): Promise<string> {
  await page.getByTestId('nav-compose').click();
  const field = page.getByTestId('compose-to');
  await field.fill(to);
  await field.press('Enter');
  await page.getByTestId('compose-subject').fill(subject);
  await page.getByTestId('compose-body').click();
  await page.keyboard.type('Guten Tag, anbei die Unterlagen.');
  const before = smtp.received.length;
  await page.getByTestId('compose-send').click();
  await waitFor(() => smtp.received.length > before, 'SMTP delivery', 15_000);
  await expect.poll(() => page.getByTestId('feed').locator('h1').innerText()).toBe(subject);
  return (await page.getByTestId('feed').getAttribute('data-activity-id'))!;
}

test.describe('drafts', () => {
  test('what is typed is saved as typed and comes back after leaving the view', async () => {
    await page.getByTestId('nav-compose').click();
    const to = page.getByTestId('compose-to');
    await to.fill('Anna Beispiel <anna@kunde.example>');
    await to.press('Enter');
    await page.getByTestId('compose-subject').fill('Exposé Lindenstraße 4');
    await page.getByTestId('compose-body').click();
    await page.keyboard.type('Liebe Frau Beispiel, wie besprochen');
    await expect.poll(() => page.getByTestId('draft-state').innerText()).toBe('Entwurf gespeichert');
    const stored = await app.core.dispatch('drafts.list', {});
    expect(stored.ok && stored.value.map((d) => d.subject)).toEqual(['Exposé Lindenstraße 4']);

    await page.getByTestId('nav-activities').click();
    // leaving with unsent text: kept, and said where
    const toast = page.getByTestId('toasts').getByText('Ihre E-Mail wurde als Entwurf gespeichert.');
    await toast.waitFor();
    await screenshot(page, 'fh-draft-01-kept-toast');

    await page.getByTestId('nav-compose').click();
    await expect.poll(() => page.getByTestId('compose-subject').inputValue()).toBe('Exposé Lindenstraße 4');
    expect(await page.locator('.chip-recipient').first().innerText()).toContain('Anna Beispiel');
    expect(await bodyText()).toBe('Liebe Frau Beispiel, wie besprochen');
  });

  test('a draft survives a restart of the app and is listed to continue', async () => {
    await page.getByTestId('compose-body').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(', anbei das Exposé.');
    await expect
      .poll(async () => {
        const r = await app.core.dispatch('drafts.list', {});
        return r.ok ? r.value[0]?.excerpt : null;
      })
      .toBe('Liebe Frau Beispiel, wie besprochen, anbei das Exposé.');
    // an attached file is kept with the draft: its bytes in the data folder, listed by hash
    const pdf = Buffer.from('%PDF-1.4\n% Exposé Lindenstraße 4\n');
    await page
      .getByTestId('compose-files')
      .setInputFiles({ name: 'Exposé Lindenstraße 4.pdf', mimeType: 'application/pdf', buffer: pdf });
    const attached = async () => {
      const list = await app.core.dispatch('drafts.list', {});
      const id = list.ok ? list.value[0]?.id : undefined;
      const d = id ? await app.core.dispatch('drafts.get', { id }) : null;
      return d?.ok ? d.value.attachments : [];
    };
    await expect
      .poll(async () => (await attached()).map((a) => a.filename))
      .toEqual(['Exposé Lindenstraße 4.pdf']);
    const [kept] = await attached();
    expect(readFileSync(join(dataDir, 'draft-files', kept!.sha256))).toEqual(pdf);
    await context.close();
    await app.stop();
    app = await startApp(rendererDir, dataDir);
    await openPage();

    await page.getByTestId('nav-compose').click();
    // a fresh window starts with an empty e-mail and lists the draft
    const row = page.getByTestId('draft-row');
    await row.waitFor();
    expect(await row.innerText()).toContain('Exposé Lindenstraße 4');
    expect(await row.innerText()).toContain('Anna Beispiel');
    expect(await row.innerText()).toContain('Liebe Frau Beispiel, wie besprochen, anbei das Exposé.');
    await screenshot(page, 'fh-draft-02-listed-after-restart');
    await row.getByTestId('draft-resume').click();
    await expect.poll(() => page.getByTestId('compose-subject').inputValue()).toBe('Exposé Lindenstraße 4');
    expect(await bodyText()).toBe('Liebe Frau Beispiel, wie besprochen, anbei das Exposé.');
    expect(await page.getByTestId('draft-row').count()).toBe(0);
    // the attachment is back, with its size
    const file = page.locator('.attachments .chip-recipient');
    await expect.poll(() => file.count()).toBe(1);
    expect(await file.innerText()).toContain('Exposé Lindenstraße 4.pdf');
    await screenshot(page, 'fh-draft-02b-resumed-with-attachment');
  });

  test('„Verwerfen“ asks, then clears everything: chips, a half-typed invalid address and its error', async () => {
    const to = page.getByTestId('compose-to');
    await to.fill('anna@');
    await to.press('Enter');
    const error = page.locator('.recipient-field .field-error');
    await error.waitFor();
    expect(await error.innerText()).toContain('keine gültige E-Mail-Adresse');

    await page.getByTestId('compose-discard').click();
    const confirm = page.getByTestId('discard-confirm');
    await confirm.waitFor();
    expect(await confirm.innerText()).toContain('verwerfen?');
    await screenshot(page, 'fh-draft-03-discard-asks');
    // nothing is gone before the answer
    expect(await page.getByTestId('compose-subject').inputValue()).toBe('Exposé Lindenstraße 4');
    await page.getByTestId('discard-yes').click();

    await expect.poll(() => page.locator('.recipient-field .field-error').count()).toBe(0);
    expect(await page.getByTestId('compose-to').inputValue()).toBe('');
    expect(await page.locator('.chip-recipient').count()).toBe(0);
    expect(await page.getByTestId('compose-subject').inputValue()).toBe('');
    expect(await bodyText()).toBe('');
    await expect
      .poll(async () => {
        const r = await app.core.dispatch('drafts.list', {});
        return r.ok ? r.value.length : -1;
      })
      .toBe(0);
    // leaving the empty form keeps nothing and says nothing
    await page.getByTestId('nav-help').click();
    await page.waitForTimeout(600);
    expect(await page.getByTestId('toasts').getByText('als Entwurf gespeichert').count()).toBe(0);
  });
});

test.describe('after „Senden“', () => {
  test('the new activity is listed and selected, a search that would hide it is cleared and says so', async () => {
    await page.getByTestId('nav-activities').click();
    await page.getByTestId('activity-search').fill('Nichts passt hierzu');
    await expect.poll(() => page.getByTestId('activity-row').count()).toBe(0);

    const id = await sendMail('bernd@kunde.example', 'Besichtigung Lindenstraße');
    expect(await page.getByTestId('activity-search').inputValue()).toBe('');
    expect(await page.getByTestId('list-notice').innerText()).toContain('zurückgesetzt');
    const row = page.locator(`[data-testid=activity-row][data-activity-id="${id}"]`);
    await row.waitFor();
    expect(await row.getAttribute('aria-selected')).toBe('true');
    await screenshot(page, 'fh-after-send-01-selected');

    // a search that shows the new mail anyway stays as it is
    await page.getByTestId('activity-search').fill('kunde.example');
    await expect.poll(() => page.getByTestId('activity-row').count()).toBe(1);
    const id2 = await sendMail('clara@kunde.example', 'Rückfrage Grundriss');
    expect(await page.getByTestId('activity-search').inputValue()).toBe('kunde.example');
    expect(await page.getByTestId('list-notice').count()).toBe(0);
    const row2 = page.locator(`[data-testid=activity-row][data-activity-id="${id2}"]`);
    await row2.waitFor();
    expect(await row2.getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('activity-search').fill('');
  });
});

/** true when every listed element shows its whole text: not cut by its box nor by the pane */
async function unclipped(selectors: string[], within: string): Promise<string[]> {
  return page.evaluate(
    ({ selectors, within }) => {
      const bad: string[] = [];
      const pane = document.querySelector(within)?.getBoundingClientRect();
      for (const sel of selectors) {
        for (const el of document.querySelectorAll<HTMLElement>(sel)) {
          const r = el.getBoundingClientRect();
          if (el.scrollWidth > el.clientWidth + 1)
            bad.push(`${sel}: scrollWidth ${el.scrollWidth} > ${el.clientWidth}`);
          if (pane && (r.right > pane.right + 1 || r.left < pane.left - 1))
            bad.push(
              `${sel}: ${Math.round(r.left)}–${Math.round(r.right)} outside ${Math.round(pane.left)}–${Math.round(pane.right)}`,
            );
        }
      }
      return bad;
    },
    { selectors, within },
  );
}

/** whether the placeholder text fits the input's content box (canvas measure in its font) */
async function placeholderFits(testId: string): Promise<{ text: string; need: number; have: number }> {
  return page.getByTestId(testId).evaluate((el) => {
    const input = el as HTMLInputElement;
    const cs = getComputedStyle(input, '::placeholder');
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${cs.fontStyle} ${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
    const style = getComputedStyle(input);
    const have = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return { text: input.placeholder, need: ctx.measureText(input.placeholder).width, have };
  });
}

/** the word stays on one line inside the element (no „E-“ / „Mail“) */
async function wordOnOneLine(selector: string, word: string): Promise<boolean> {
  return page
    .locator(selector)
    .first()
    .evaluate((el, w) => {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const at = (n.textContent ?? '').indexOf(w);
        if (at === -1) continue;
        const range = document.createRange();
        range.setStart(n, at);
        range.setEnd(n, at + w.length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return tops.size === 1;
      }
      return false;
    }, word);
}

test.describe('layout at 900, 1366 and 1920 px and at 200 % zoom', () => {
  const SIZES = [
    { name: '900', width: 900, height: 700, scale: 1 },
    { name: '1366', width: 1366, height: 768, scale: 1 },
    { name: '1920', width: 1920, height: 1080, scale: 1 },
    // 200 % zoom of a 1366 × 768 window: half the CSS pixels, twice the device pixels
    { name: '1366-zoom200', width: 683, height: 384, scale: 2 },
  ];
  let activityId = '';

  test('a mail with a long subject and recipient to look at', async () => {
    activityId = await sendMail(
      'Dr. Annegret Beispiel-Schmidt <annegret.beispiel-schmidt@kundenbetreuung.example>',
      'Exposé Mehrfamilienhaus Lindenstraße 4–6, 12345 Musterstadt: Unterlagen, Grundrisse und Energieausweis',
    );
  });

  for (const s of SIZES) {
    test(`holds at ${s.name}`, async () => {
      await openPage(s.width, s.height, s.scale);
      await page.locator(`[data-testid=activity-row][data-activity-id="${activityId}"]`).click();
      await page.getByTestId('feed').waitFor();
      const clipped = await unclipped(
        ['.detail-subject', '.detail-facts dd', '.detail-facts dt'],
        '.detail-pane',
      );
      expect(clipped).toEqual([]);
      await screenshot(page, `fh-layout-${s.name}-activities`);

      await page.getByTestId('nav-settings').click();
      const fit = await placeholderFits('smtp-password');
      expect(fit.text).toContain('leer lassen');
      expect(fit.need).toBeLessThanOrEqual(fit.have);
      await screenshot(page, `fh-layout-${s.name}-settings`);

      await page.getByTestId('nav-compose').click();
      await page.getByTestId('compose').waitFor();
      expect(await unclipped(['.button-row'], '.content')).toEqual([]);
      await screenshot(page, `fh-layout-${s.name}-compose`);
    });
  }

  test('a notification toast keeps „E-Mail“ whole, at 900 px and at 200 %', async () => {
    for (const s of [SIZES[0]!, SIZES[3]!]) {
      await openPage(s.width, s.height, s.scale);
      await page.getByTestId('nav-help').click();
      // an open of the long mail from the recipient's address
      const reg = await fetch(`${collector.url}/api/v1/events?after=0`, {
        headers: { authorization: `Bearer ${collector.adminToken}` },
      });
      expect(reg.status).toBe(200);
      const raw = smtp.received.at(-1)!.raw.toString('latin1');
      const pixel = /(https?:\/\/[^"\s]+\/o\/[A-Za-z0-9_-]+\.gif)/.exec(
        raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
      )?.[1];
      expect(pixel).toBeDefined();
      const before = app.notifier.shown.length;
      const hit = await fetch(pixel!, {
        headers: {
          'user-agent':
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
          'x-forwarded-for': s === SIZES[0] ? '198.51.100.23' : '198.51.100.99',
        },
      });
      await hit.arrayBuffer();
      await waitFor(() => app.notifier.shown.length > before, 'notification', 15_000);
      const toast = page.locator('.toast-title').first();
      await toast.waitFor();
      expect(await wordOnOneLine('.toast-title', 'E-Mail')).toBe(true);
      await screenshot(page, `fh-layout-${s.name}-toast`);
    }
  });
});

test.describe('the Widerrufsbelehrung editor', () => {
  test('shows the text rendered beside it, with the profile filled in, and never as HTML', async () => {
    await openPage(1366, 800);
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('properties-tab-legal').click();
    const editor = page.getByTestId('legal-text');
    await editor.waitFor();
    const preview = page.getByTestId('legal-text-preview');
    await expect.poll(() => preview.locator('h2, h3, p').count()).toBeGreaterThan(3);
    await screenshot(page, 'fh-legal-01-editor-preview');

    await editor.fill(
      '# Widerrufsbelehrung\n\n## Widerrufsrecht\n\nSie können widerrufen bei {{firma}}.\n\n<img src=x onerror="window.__pwned=1"> <b>fett</b>',
    );
    await expect.poll(() => preview.locator('h2').first().innerText()).toBe('Widerrufsbelehrung');
    expect(await preview.locator('h3').first().innerText()).toBe('Widerrufsrecht');
    // the profile is filled in as the prospect will see it (the sender name stands in for the firm)
    await expect.poll(() => preview.innerText()).toContain('Sie können widerrufen bei Maria Makler.');
    // typed markup stays text
    expect(await preview.locator('img, b').count()).toBe(0);
    expect(await preview.innerText()).toContain('<img src=x onerror="window.__pwned=1"> <b>fett</b>');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await screenshot(page, 'fh-legal-02-preview-escaped');
  });
});

test.describe('every view, in German and English, at 900 and 1366 px', () => {
  test('renders each view without a horizontal scrollbar', async () => {
    test.setTimeout(180_000);
    const draft = await app.core.dispatch('drafts.save', {
      id: '00000000-0000-4000-8000-000000000001',
      to: [{ email: 'dora@kunde.example', name: 'Dora Kunde' }],
      cc: [],
      bcc: [],
      subject: 'Rückruf wegen Besichtigung',
      html: '<p>Hallo Frau Kunde,</p>',
      track: null,
      individually: false,
    });
    expect(draft.ok).toBe(true);
    const freshDir = mkdtempSync(join(tmpdir(), 'blitz-e2e-welcome-'));
    const fresh = await startApp(rendererDir, freshDir);
    try {
      for (const language of ['de', 'en'] as const) {
        for (const r of [fresh, app]) await r.core.dispatch('settings.setLanguage', { language });
        for (const width of [900, 1366]) {
          await openPage(width, 800);
          const views: [string, () => Promise<void>][] = [
            [
              'activities',
              async () => {
                await page.getByTestId('nav-activities').click();
                await page.getByTestId('activity-row').first().click();
                await page.getByTestId('feed').waitFor();
              },
            ],
            [
              'compose',
              async () => {
                await page.getByTestId('nav-compose').click();
                await page.getByTestId('draft-row').first().waitFor();
              },
            ],
            [
              'properties',
              async () => {
                await page.getByTestId('nav-properties').click();
                await page.getByTestId('properties').waitFor();
              },
            ],
            [
              'legal',
              async () => {
                await page.getByTestId('properties-tab-legal').click();
                await page
                  .getByTestId('legal-text-preview')
                  .locator('p')
                  .first()
                  .waitFor({ state: 'attached' });
                // a narrow window shows editor and preview as tabs: the screenshot shows the preview
                if (width < 1100) await page.getByTestId('legal-text-tab-preview').click();
              },
            ],
            [
              'settings',
              async () => {
                await page.getByTestId('nav-settings').click();
                await page.getByTestId('smtp-password').waitFor();
              },
            ],
            [
              'help',
              async () => {
                await page.getByTestId('nav-help').click();
              },
            ],
          ];
          for (const [name, open] of views) {
            await open();
            const overflow = await page.evaluate(
              () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
            );
            expect(overflow, `${name} ${language} ${width}`).toBeLessThanOrEqual(0);
            expect(await page.locator('html').getAttribute('lang')).toBe(language);
            await screenshot(page, `fh-view-${language}-${width}-${name}`);
          }
          const welcome = await context.newPage();
          await welcome.goto(fresh.host.pageUrl);
          await welcome.getByTestId('welcome').waitFor();
          await welcome.getByTestId('try-it').waitFor();
          await screenshot(welcome, `fh-view-${language}-${width}-welcome`);
          await welcome.close();
        }
      }
    } finally {
      for (const r of [fresh, app]) await r.core.dispatch('settings.setLanguage', { language: 'de' });
      await fresh.stop();
      rmSync(freshDir, { recursive: true, force: true });
    }
  });
});

test.describe('the offline banner', () => {
  test('is clearly visible while the collector is away and leaves within 2 s of it being back', async () => {
    await openPage(1366, 768);
    const port = Number(new URL(collector.url).port);
    await collector.collector.close();
    const banner = page.getByTestId('offline-banner');
    await banner.waitFor({ timeout: 15_000 });
    const look = await banner.evaluate((el) => {
      const cs = getComputedStyle(el);
      return {
        height: el.getBoundingClientRect().height,
        bg: cs.backgroundColor,
        text: el.textContent ?? '',
      };
    });
    expect(look.height).toBeGreaterThanOrEqual(32);
    expect(look.bg).not.toBe('rgb(238, 240, 243)');
    expect(look.text).toContain('nicht erreichbar');
    await screenshot(page, 'fh-offline-banner');

    // long enough for a doubling backoff to have grown past 10 s
    await page.waitForTimeout(16_000);
    restarted = await startCollector({
      db: join(collectorDir, 'collector.db'),
      port,
      rateLimit: false,
      logLevel: 'silent',
      trustProxy: true,
    });
    const back = Date.now();
    await banner.waitFor({ state: 'detached', timeout: 10_000 });
    const tookMs = Date.now() - back;
    console.log(`offline banner left ${tookMs} ms after the collector was back`);
    // 2 s is the goal; a loaded 2-core machine gets a little room
    expect(tookMs).toBeLessThan(3_000);
  });
});
