import { chmodSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { ActivityDto } from '../src-shared/ipc';
import type { TestCollector } from '../test/support/collector';
import type { AppUnderTest, RecipientSide } from '../test/support/e2e-stack';
import type { TestImapServer, TestSmtpServer } from '../test/support/mail-servers';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 12: with the UI switched to English no view, error or notification shows German, and a
 * mail the SMTP server accepted but that could not be filed in Sent is a sent mail whose one
 * action files it. Real collector, smtp-server, Dovecot, core, production renderer in Chromium.
 * The steps build on each other.
 */
test.use({ stack: 'english' });
test.describe.configure({ mode: 'serial' });

let app: AppUnderTest;
let collector: TestCollector;
let smtp: TestSmtpServer;
let imap: TestImapServer;
let recipient: RecipientSide;
let page: Page;
let mailClient: BrowserContext;

/** umlauts, German quotes and words every German sentence of the app uses */
const GERMAN =
  /[äöüÄÖÜß„‚]|\b(der|die|das|und|nicht|oder|mit|für|Sie|ist|wird|wurde|bitte|Bitte|eine?n?|zu|auf|von|den|dem|des|Gesendet|Einstellungen|Empfänger|Nachricht|Anmeldung|öffnete|Aktivität(en)?)\b/g;

/** every German-looking word of the visible page, with a little context */
async function germanOn(p: Page): Promise<string[]> {
  const text = await p.locator('body').innerText();
  const hits: string[] = [];
  for (const m of text.matchAll(GERMAN)) {
    const at = m.index ?? 0;
    hits.push(text.slice(Math.max(0, at - 30), at + 30).replace(/\s+/g, ' '));
  }
  return hits;
}

async function expectEnglish(name: string): Promise<void> {
  await screenshot(page, `i12-en-${name}`);
  expect(await germanOn(page), name).toEqual([]);
}

const activities = async (): Promise<ActivityDto[]> => {
  const r = await app.core.dispatch('activities.list', {});
  return r.ok ? r.value : [];
};
const activity = async (id: string) => (await activities()).find((a) => a.id === id);
const inState = (id: string, state: ActivityDto['outboxState']) =>
  waitFor(
    async () => ((await activity(id))?.outboxState === state ? activity(id) : null),
    String(state),
    20_000,
  );

/** the Sent maildir (and cur/new/tmp) writable or not for Dovecot's mail process */
function sentWritable(writable: boolean): void {
  const sent = join(imap.dir, 'mail', imap.user, '.Sent');
  const mode = writable ? 0o700 : 0o500;
  for (const sub of readdirSync(sent, { withFileTypes: true }))
    if (sub.isDirectory()) chmodSync(join(sent, sub.name), mode);
  chmodSync(sent, mode);
}

async function send(subject: string, to: string, link?: string): Promise<string> {
  const r = await app.core.dispatch('compose.send', {
    to: [to],
    subject,
    html: link ? `<p>Hello, the flat: <a href="${link}">details</a></p>` : '<p>Hello</p>',
    text: link ? `Hello, the flat: ${link}` : 'Hello',
    track: true,
    sendIndividually: false,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.activityId;
}

const mailAccount = (smtpPassword: string) => ({
  fromName: 'Mary Agent',
  fromEmail: 'mary@agency.example',
  smtp: {
    host: smtp.host,
    port: smtp.port,
    security: 'starttls' as const,
    user: smtp.user,
    password: smtpPassword,
  },
  imap: {
    host: imap.host,
    port: imap.port,
    security: 'starttls' as const,
    user: imap.user,
    password: imap.password,
  },
});

test.beforeAll(async ({ browser, app: a, collector: c, smtp: s, imap: i, recipient: r }) => {
  app = a;
  collector = c;
  smtp = s;
  imap = i;
  recipient = r;
  // the agent's own tab: English locale and a wider window than the fixtures' agentPage
  page = await browser.newPage({
    viewport: { width: 1366, height: 860 },
    locale: 'en-GB',
    timezoneId: 'Europe/Berlin',
  });
  mailClient = await browser.newContext({
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' },
  });
});

test.afterAll(async () => {
  await page?.context().close();
  await mailClient?.close();
});

test.describe('the UI in English', () => {
  test('welcome view', async () => {
    expect((await app.core.dispatch('settings.setLanguage', { language: 'en' })).ok).toBe(true);
    await page.goto(app.host.pageUrl);
    await page.getByTestId('welcome').waitFor();
    await expectEnglish('welcome');
  });

  test('activities, compose, properties, help and settings views', async () => {
    expect(
      (
        await app.core.dispatch('settings.saveCollector', {
          url: collector.url,
          token: collector.agentToken,
        })
      ).ok,
    ).toBe(true);
    expect((await app.core.dispatch('settings.saveMailAccount', mailAccount(smtp.password))).ok).toBe(true);
    await page.reload();
    await page.getByTestId('nav-activities').waitFor();
    await expectEnglish('activities-empty');
    await page.getByTestId('nav-compose').click();
    await expectEnglish('compose');
    await page.getByTestId('nav-properties').click();
    await page.getByTestId('properties').waitFor();
    await expectEnglish('properties');
    await page.getByTestId('nav-help').click();
    await expectEnglish('help');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-mail').waitFor();
    await expectEnglish('settings');
  });

  test('the connection test: a refused password is explained in English, the raw reply behind Details', async () => {
    await page.getByTestId('smtp-password').fill('wrong-password');
    await page.getByTestId('mail-test').click();
    const smtpLine = page.getByTestId('mail-test-smtp');
    await smtpLine.waitFor({ timeout: 15_000 });
    expect(await smtpLine.getAttribute('data-tone')).toBe('bad');
    expect(await smtpLine.innerText()).toMatch(/user name or password is wrong/);
    // the server's own words are there, but collapsed
    const details = smtpLine.locator('details');
    expect(await details.count()).toBe(1);
    expect(await details.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await expectEnglish('settings-test-error');
    await details.locator('summary').click();
    expect(await details.innerText()).toMatch(/535/);
    await screenshot(page, 'i12-en-settings-test-details');
  });

  test('a sent mail, its feed and the notification of an open are English', async () => {
    const id = await send('Flat viewing on Monday', 'anna@client.example', 'https://example.org/flat/3');
    await inState(id, 'filed');
    const mail = smtp.received.find((m) => m.raw.toString('latin1').includes(id));
    expect(mail).toBeDefined();
    const shown = await recipient.show(mail!.raw);
    const before = app.notifier.shown.length;
    const reader = await mailClient.newPage();
    await reader.goto(shown.url, { waitUntil: 'load' });
    const n = await waitFor(() => app.notifier.shown[before], 'notification', 15_000);
    // one mail to one recipient, not sent individually: a shared tracker, so „Someone“
    expect(n.title).toBe('Someone opened the e-mail');
    expect(n.body).toBe('Flat viewing on Monday');
    expect([...`${n.title} ${n.body}`.matchAll(GERMAN)]).toEqual([]);
    await reader.close();
    await page.getByTestId('nav-activities').click();
    await page.getByTestId('activity-row').filter({ hasText: 'Flat viewing' }).click();
    await expect.poll(() => page.getByTestId('feed-item').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await expectEnglish('feed');
  });

  test('a refused recipient: the failure is explained in English with Details', async () => {
    smtp.rejectRecipient('gone@client.example', 550, '5.1.1 <gone@client.example>: User unknown');
    const id = await send('Your exposé', 'gone@client.example');
    await inState(id, 'failed');
    await page.getByTestId('activity-row').filter({ hasText: 'Your exposé' }).click();
    const state = page.getByTestId('outbox-state');
    await expect.poll(() => state.getAttribute('data-state')).toBe('failed');
    expect(await state.innerText()).toMatch(/does not know the recipient/);
    expect(await state.innerText()).not.toMatch(/User unknown/);
    await expectEnglish('outbox-failed');
  });
});

test.describe('sent but not filed in Sent', () => {
  test('is shown as sent with „File in Sent“, counted nowhere as queued; the action files it without a second send', async () => {
    test.setTimeout(120_000);
    sentWritable(false);
    let id = '';
    try {
      id = await send('Floor plans', 'ben@client.example');
      await inState(id, 'not_filed');
      await page.getByTestId('activity-row').filter({ hasText: 'Floor plans' }).click();
      const state = page.getByTestId('outbox-state');
      await expect.poll(() => state.getAttribute('data-state')).toBe('not_filed');
      const text = await state.innerText();
      expect(text).toMatch(/Sent – not filed in Sent/);
      expect(text).not.toMatch(/Failed|Send again/);
      expect(await state.getByRole('button').allInnerTexts()).toEqual(['File in Sent']);
      // the sidebar's queue line counts only what waits to be sent
      expect(await page.getByText(/in the outbox/).count()).toBe(0);
      await expectEnglish('not-filed');
      // the same in German
      expect((await app.core.dispatch('settings.setLanguage', { language: 'de' })).ok).toBe(true);
      await expect.poll(() => state.innerText()).toMatch(/Gesendet – nicht in „Gesendet“ abgelegt/);
      expect(await state.getByRole('button').allInnerTexts()).toEqual(['In „Gesendet“ ablegen']);
      expect(await state.innerText()).not.toMatch(/Fehlgeschlagen|Erneut senden/);
      await screenshot(page, 'i12-de-not-filed');
    } finally {
      sentWritable(true);
    }
    const copies = () => smtp.received.filter((m) => m.raw.toString('latin1').includes(id)).length;
    expect(copies()).toBe(1);
    await page.getByTestId('outbox-state').getByRole('button').click();
    await inState(id, 'filed');
    await expect
      .poll(() => page.getByTestId('outbox-state').getAttribute('data-state'))
      .not.toBe('not_filed');
    expect(copies()).toBe(1);
    await screenshot(page, 'i12-de-filed');
  });
});
