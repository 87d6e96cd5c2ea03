import type { BrowserContext, Page } from '@playwright/test';
import { simpleParser } from 'mailparser';
import { EventsResponse } from '../src-shared/api';
import type { TestCollector } from '../test/support/collector';
import type { TestImapServer, TestSmtpServer } from '../test/support/mail-servers';
import { loopbackMailAccount, type AppUnderTest, type RecipientSide } from '../test/support/e2e-stack';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 17 in Chromium, each consent mode end to end: the agent sets a contact's mode in
 * Kontakte, sends through the real core and SMTP, the prospect reads the mail in a browser.
 * „immer tracken“: pixel, open recorded. „nie tracken“: no pixel, no rewritten link, nothing
 * recorded. „nur nach Einwilligung“: the consent link instead, the consent page, tracked after,
 * the withdrawal link in the footer, untracked after the withdrawal.
 */
test.use({ stack: 'consent' });
test.describe.configure({ mode: 'serial' });

const ANNA = 'anna.immer@kunde.example';
const NORA = 'nora.nie@kunde.example';
const PAULA = 'paula.einwilligung@kunde.example';

let collector: TestCollector;
let smtp: TestSmtpServer;
let imap: TestImapServer;
let app: AppUnderTest;
let recipient: RecipientSide;
let page: Page;
let prospect: BrowserContext;

test.beforeAll(async ({ browser, agentPage, app: a, collector: c, smtp: s, imap: i, recipient: r }) => {
  collector = c;
  smtp = s;
  imap = i;
  app = a;
  recipient = r;
  const mail = await app.core.dispatch(
    'settings.saveMailAccount',
    loopbackMailAccount({ name: 'Katrin Sommer', email: 'k.sommer@sommer-immobilien.example' }, smtp, imap),
  );
  expect(mail.ok).toBe(true);
  // the admin: the consent switches are the account's
  const saved = await app.core.dispatch('settings.saveCollector', {
    url: collector.url,
    token: collector.adminToken,
  });
  expect(saved.ok).toBe(true);
  for (const email of [ANNA, NORA, PAULA]) {
    const r = await app.core.dispatch('landing.updateContact', { email, kind: 'consumer' });
    expect(r.ok).toBe(true);
  }
  page = agentPage;
  await page.setViewportSize({ width: 1366, height: 900 });
  prospect = await browser.newContext({
    viewport: { width: 900, height: 900 },
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' },
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  });
  await page.goto(app.host.pageUrl);
  await page.getByTestId('activity-list').waitFor();
});

test.afterAll(async () => {
  await prospect?.close();
});

/** sends one tracked mail to `to` through the app and returns what the SMTP server received */
async function send(
  to: string,
  subject: string,
): Promise<{ raw: Buffer; html: string; text: string; activityId: string }> {
  const before = smtp.received.length;
  const r = await app.core.dispatch('compose.send', {
    to: [to],
    subject,
    html: '<p>Guten Tag,</p><p>hier das Exposé: <a href="https://www.example.org/expose">Exposé ansehen</a></p>',
    text: 'Guten Tag, hier das Exposé: https://www.example.org/expose',
    track: true,
    sendIndividually: true,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await waitFor(() => smtp.received.length > before, 'SMTP delivery', 20_000);
  const raw = smtp.received.at(-1)!.raw;
  const parsed = await simpleParser(raw);
  return {
    raw,
    html: typeof parsed.html === 'string' ? parsed.html : '',
    text: parsed.text ?? '',
    activityId: r.value.activityId,
  };
}

async function eventTypesFor(subject: string): Promise<string[]> {
  const r = await fetch(`${collector.url}/api/v1/events?after=0&limit=5000`, {
    headers: { authorization: `Bearer ${collector.adminToken}` },
  });
  const page = EventsResponse.parse(await r.json());
  const ids = new Set(page.messages.filter((m) => m.subject === subject).map((m) => m.messageId));
  return page.events.filter((e) => ids.has(e.messageId)).map((e) => e.type);
}

/** the prospect opens the mail in a browser (images load: the pixel, if there is one, fires) */
async function readMail(raw: Buffer): Promise<Page> {
  const shown = await recipient.show(raw);
  const mail = await prospect.newPage();
  await mail.goto(shown.url, { waitUntil: 'load' });
  return mail;
}

async function openContacts(): Promise<void> {
  await page.getByTestId('nav-properties').click();
  await page.getByTestId('properties-tab-contacts').click();
  await page.getByTestId('contacts-panel').waitFor();
}

test.describe('consent per contact in Chromium', () => {
  test('Kontakte: the agent sets „nie tracken“ and „nur nach Einwilligung“', async () => {
    await openContacts();
    await page.getByTestId(`contact-consent-${NORA}`).selectOption('never');
    await page.getByTestId(`contact-consent-${PAULA}`).selectOption('after_consent');
    await expect(page.getByTestId(`contact-consent-state-${PAULA}`)).toHaveText('Einwilligung steht aus');
    // stored on the collector, which enforces it
    const r = await fetch(`${collector.url}/api/v1/contacts/consent?after=0`, {
      headers: { authorization: `Bearer ${collector.agentToken}` },
    });
    const body = (await r.json()) as { contacts: { email: string; mode: string | null }[] };
    expect(Object.fromEntries(body.contacts.map((x) => [x.email, x.mode]))).toEqual({
      [NORA]: 'never',
      [PAULA]: 'after_consent',
    });
    await screenshot(page, '17-contacts-de-1366');
  });

  test('„immer tracken“ (the account default): pixel and tracked link, the open is recorded', async () => {
    const sent = await send(ANNA, 'Exposé Immer');
    expect(sent.html).toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(sent.html).toMatch(/\/c\/[A-Za-z0-9_-]+\/0/);
    const mail = await readMail(sent.raw);
    await expect.poll(() => eventTypesFor('Exposé Immer'), { timeout: 10_000 }).toContain('email.opened');
    await mail.close();
  });

  test('„nie tracken“: no pixel, no rewritten link, nothing recorded though the desktop asked', async () => {
    const sent = await send(NORA, 'Exposé Nie');
    expect(sent.html).not.toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(sent.html).toContain('href="https://www.example.org/expose"');
    expect(sent.html).not.toContain('/e/');
    const mail = await readMail(sent.raw);
    await mail.getByText('Exposé ansehen').click();
    await mail.waitForURL(/example\.org|expose/, { timeout: 10_000 }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await eventTypesFor('Exposé Nie')).toEqual([]);
    await mail.close();
  });

  test('„nur nach Einwilligung“: consent link first, the consent page, tracked after, withdrawn after', async () => {
    const first = await send(PAULA, 'Exposé Einwilligung 1');
    expect(first.html).not.toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(first.html).toContain('href="https://www.example.org/expose"');
    expect(first.html).toContain('Einwilligung erteilen');
    expect(first.text).toMatch(/Einwilligung: http:\/\/[^\s]+\/e\/[A-Za-z0-9_-]+/);

    const mail = await readMail(first.raw);
    await mail.getByRole('link', { name: 'Einwilligung erteilen' }).click();
    await mail.getByRole('heading', { name: 'Einwilligung in das E-Mail-Tracking' }).waitFor();
    await expect(mail.getByTestId('consent-wording')).toContainText(
      'Ich willige ein, dass Testmakler GmbH erfasst',
    );
    await mail.setViewportSize({ width: 900, height: 900 });
    await screenshot(mail, '17-consent-page-900');
    await mail.setViewportSize({ width: 1366, height: 900 });
    await screenshot(mail, '17-consent-page-1366');
    await mail.getByRole('button', { name: 'Ich willige ein' }).click();
    await expect(mail.getByRole('status')).toHaveText('Vielen Dank. Ihre Einwilligung ist gespeichert.');
    await screenshot(mail, '17-consent-given-1366');
    await mail.close();
    await expect
      .poll(() => eventTypesFor('Exposé Einwilligung 1'), { timeout: 10_000 })
      .toEqual(['consent.given']);

    // every desktop learns it through the collector; the agent sees it in Kontakte
    await page.reload();
    await openContacts();
    await expect(page.getByTestId(`contact-consent-state-${PAULA}`)).toContainText('eingewilligt am', {
      timeout: 15_000,
    });

    // tracked from now on; the admin turns the withdrawal link on in Einstellungen
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('settings-consent');
    await card.scrollIntoViewIfNeeded();
    await page.getByTestId('consent-switch-withdrawalLink').click();
    await expect
      .poll(() => page.getByTestId('consent-switch-withdrawalLink').isChecked(), { timeout: 10_000 })
      .toBe(true);
    await card.screenshot({ path: 'test-results/screenshots/17-settings-consent-de-1366.png' });
    const second = await send(PAULA, 'Exposé Einwilligung 2');
    expect(second.html).toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(second.html).toContain('Tracking widerrufen');
    const read = await readMail(second.raw);
    await expect
      .poll(() => eventTypesFor('Exposé Einwilligung 2'), { timeout: 10_000 })
      .toContain('email.opened');

    // the prospect withdraws through the footer link
    await read.getByRole('link', { name: 'Tracking widerrufen' }).click();
    await read.getByRole('heading', { name: 'Tracking widerrufen' }).waitFor();
    await screenshot(read, '17-withdraw-page-900');
    await read.getByRole('button', { name: 'Einwilligung widerrufen' }).click();
    await expect(read.getByRole('status')).toHaveText('Ihr Widerruf ist gespeichert.');
    await read.close();
    await expect
      .poll(() => eventTypesFor('Exposé Einwilligung 2'), { timeout: 10_000 })
      .toEqual(['email.opened', 'consent.withdrawn']);

    // untracked again: no pixel, and no new consent link pestering the prospect
    const third = await send(PAULA, 'Exposé Einwilligung 3');
    expect(third.html).not.toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    expect(third.html).not.toContain('Einwilligung erteilen');
    const last = await readMail(third.raw);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await eventTypesFor('Exposé Einwilligung 3')).toEqual([]);
    await last.close();
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('properties-tab-contacts').click();
    await expect(page.getByTestId(`contact-consent-state-${PAULA}`)).toContainText('widerrufen am', {
      timeout: 15_000,
    });
  });

  test('screenshots of the new views, German and English, 900 and 1366 px', async () => {
    for (const language of ['de', 'en'] as const) {
      const r = await app.core.dispatch('settings.setLanguage', { language });
      expect(r.ok).toBe(true);
      for (const width of [900, 1366]) {
        await page.setViewportSize({ width, height: 900 });
        await page.reload();
        await openContacts();
        await page.getByTestId(`contact-consent-${PAULA}`).waitFor();
        await screenshot(page, `17-contacts-${language}-${width}`);
        await page.getByTestId('nav-settings').click();
        const card = page.getByTestId('settings-consent');
        await card.scrollIntoViewIfNeeded();
        await card.screenshot({
          path: `test-results/screenshots/17-settings-consent-${language}-${width}.png`,
        });
      }
    }
    await app.core.dispatch('settings.setLanguage', { language: 'de' });
  });

  test('Neue E-Mail: the suggestion shows a contact’s tracking mode where the recipient is chosen', async () => {
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.reload();
    await page.getByTestId('nav-compose').click();
    await page.getByTestId('compose-to').fill('kunde.example');
    const nora = page.getByRole('option').filter({ hasText: NORA });
    await expect(nora.getByTestId('consent-badge')).toHaveText('nie tracken');
    const paula = page.getByRole('option').filter({ hasText: PAULA });
    await expect(paula.getByTestId('consent-badge')).toHaveText('Tracking widerrufen');
    await screenshot(page, '17-compose-suggestions-de-1366');
  });
});
