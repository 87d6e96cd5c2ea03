import type { BrowserContext, Page } from '@playwright/test';
import { readMailbox, type TestSmtpServer } from '../test/support/mail-servers';
import type { RecipientSide } from '../test/support/e2e-stack';
import { dynamicParts, expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * The whole product path through the browser host: real collector, real SMTP + Dovecot, the real
 * core, the production renderer in Chromium. The steps build on each other.
 */
test.use({ stack: 'app' });
test.describe.configure({ mode: 'serial' });

let page: Page;
let mailClient: BrowserContext;
let smtp: TestSmtpServer;
let recipient: RecipientSide;

test.beforeAll(async ({ browser, agentPage, smtp: s, recipient: r }) => {
  page = agentPage;
  smtp = s;
  recipient = r;
  mailClient = await browser.newContext({
    viewport: { width: 1000, height: 700 },
    // a desktop browser as mail client, seen from a documentation address (not the sender's own)
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
    extraHTTPHeaders: { 'x-forwarded-for': '198.51.100.23' },
  });
});

test.afterAll(async () => {
  await mailClient?.close();
});

const feedItems = () => page.getByTestId('feed-item');

async function compose(opts: { to: string[]; subject: string; link?: string; individually?: boolean }) {
  await page.getByTestId('nav-compose').click();
  const to = page.getByTestId('compose-to');
  for (const r of opts.to) {
    await to.fill(r);
    await to.press('Enter');
  }
  await page.getByTestId('compose-subject').fill(opts.subject);
  const body = page.getByTestId('compose-body');
  await body.click();
  await page.keyboard.type('Guten Tag, anbei das Exposé zur Wohnung: ');
  if (opts.link) {
    await page.getByTestId('editor-link').click();
    await page.getByTestId('editor-link-url').fill(opts.link);
    await page.getByTestId('editor-link-insert').click();
  }
  if (opts.individually) await page.getByTestId('compose-individually').check();
}

async function sendAndWaitForDelivery(expectedMessages: number): Promise<void> {
  await page.getByTestId('compose-send').click();
  await waitFor(() => smtp.received.length >= expectedMessages, 'SMTP delivery', 15_000);
  await expect(page.getByTestId('feed')).toHaveCount(1);
}

async function openAsRecipient(raw: Buffer): Promise<{ mail: Page; html: string }> {
  const shown = await recipient.show(raw);
  const mail = await mailClient.newPage();
  await mail.goto(shown.url, { waitUntil: 'load' });
  return { mail, html: shown.html };
}

test.describe('Blitz desktop UI through the browser host', () => {
  test('first start shows the welcome view; connecting the collector opens the activities', async ({
    app,
    collector,
  }) => {
    await page.goto(app.host.pageUrl);
    await expect(page.getByTestId('welcome')).toHaveCount(1);
    // the token left the address bar (it stays in this tab's session only)
    expect(page.url()).not.toContain('token=');
    await screenshot(page, '01-welcome');
    await expect(page).toHaveScreenshot('welcome.png', { mask: dynamicParts(page) });

    await page.locator('[data-testid=welcome] input[type=url]').fill(collector.url);
    await page.locator('[data-testid=welcome] input[type=password]').fill(collector.adminToken);
    await page.getByRole('button', { name: 'Verbinden' }).click();
    // connecting checks the key and the settings on the collector and starts the sync: ~1 s
    await expect(page.getByTestId('activity-list')).toHaveCount(1, { timeout: 10_000 });
    await expect(page.getByText('Noch keine gesendeten E-Mails oder Angebote.')).toHaveCount(1);
    // while the first pull's threads start nothing has failed: no „nicht erreichbar“ at any moment
    await expect(page.getByTestId('offline-banner')).toHaveCount(0);
    await screenshot(page, '02-activities-empty');
    await expect(page).toHaveScreenshot('activities-empty.png', { mask: dynamicParts(page) });
  });

  test('sets up the mail account with a connection test against the real servers', async ({ imap }) => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('mail-fromName').fill('Maria Makler');
    await page.getByTestId('mail-fromEmail').fill('maria@makler.example');
    for (const [prefix, server] of [
      ['smtp', smtp],
      ['imap', imap],
    ] as const) {
      await page.getByTestId(`${prefix}-host`).fill('127.0.0.1');
      await page.getByTestId(`${prefix}-port`).fill(String(server.port));
      await page.getByTestId(`${prefix}-security`).selectOption('starttls');
      await page.getByTestId(`${prefix}-user`).fill(server.user);
      await page.getByTestId(`${prefix}-password`).fill(server.password);
    }
    await page.getByTestId('mail-test').click();
    const result = page.getByTestId('mail-test-result');
    await result.waitFor({ timeout: 15_000 });
    expect(await result.locator('li.ok').count()).toBe(2);
    await page.getByTestId('mail-save').click();
    await page.getByText('Gespeichert.').first().waitFor();
    // the admin sees the account switch with the legal notice
    await expect(page.getByTestId('settings-tracking')).toHaveCount(1);
    await expect(page.getByTestId('settings-tracking')).toContainText('Rechtsgrundlage');
    // the browser host keeps secrets in a plain file, and says so
    expect(await page.getByTestId('secrets-warning').count()).toBe(1);
    await screenshot(page, '03-settings');
  });

  test('sends a tracked e-mail; the open and the click appear live in the Blitz feed with the name', async ({
    app,
    collector,
    imap,
  }) => {
    const link = `${recipient.origin}/expose/wohnung-3`;
    await compose({ to: ['Anna Beispiel <anna@kunde.example>'], subject: 'Exposé Wohnung 3', link });
    const track = page.getByTestId('compose-track');
    expect(await track.isChecked()).toBe(true);
    await screenshot(page, '04-compose');
    await sendAndWaitForDelivery(1);

    const delivered = smtp.received[0];
    expect(delivered?.rcptTo).toEqual(['anna@kunde.example']);
    const { mail, html } = await openAsRecipient(delivered!.raw);
    expect(html).toContain(`${collector.publicUrl}/o/`);
    expect(html).not.toContain(`href="${link}"`);
    // the hidden control link (index one past the real links): only machines follow it
    expect(html).toMatch(/<a href="[^"]+\/c\/[A-Za-z0-9_-]+\/1" style="display:none" aria-hidden="true"/);

    const opened = feedItems().filter({ hasText: /Anna Beispiel öffnete die E-Mail/ });
    await opened.waitFor({ timeout: 10_000 });

    await Promise.all([mail.waitForURL(/\/expose\/wohnung-3$/), mail.getByRole('link').first().click()]);
    const clicked = feedItems().filter({ hasText: /Anna Beispiel öffnete den Link/ });
    await clicked.waitFor({ timeout: 10_000 });
    expect(await clicked.innerText()).toContain('/expose/wohnung-3');
    // relative and exact (Berlin) time on every item
    expect(await opened.innerText()).toMatch(/vor \d+ Sekunden|jetzt|vor \d+ Minute/);
    expect(await opened.innerText()).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}/);

    // a notification went out through the core's notifier (no toast: this feed is open anyway)
    await waitFor(() => app.notifier.shown.length > 0, 'notification');
    expect(app.notifier.shown.map((n) => `${n.title} ${n.body}`).join('\n')).toMatch(/Anna Beispiel öffnete/);
    await screenshot(page, '05-feed-live');
    await mail.close();

    // Apple Mail Privacy Protection fetching the pixel: shown, but quietly marked as a machine,
    // and no notification for it
    const notified = app.notifier.shown.length;
    const pixel = /(https?:\/\/[^"]+\/o\/[A-Za-z0-9_-]+\.gif)/.exec(html)?.[1];
    expect(pixel).toBeDefined();
    const r = await fetch(pixel!, {
      headers: { 'user-agent': 'Mozilla/5.0', 'x-forwarded-for': '17.58.63.10' },
    });
    expect(r.status).toBe(200);
    const machine = feedItems().filter({ hasText: /vermutlich automatisch: Apple Mail-Datenschutz/ });
    await machine.waitFor({ timeout: 10_000 });
    expect(await feedItems().count()).toBe(3);
    await screenshot(page, '05b-feed-machine-verdict');
    expect(app.notifier.shown.length).toBe(notified);

    // the copy in the agent's Sent folder carries no pixel
    const sent = await waitFor(async () => {
      const msgs = await readMailbox(imap, 'Sent');
      return msgs.length > 0 ? msgs : null;
    }, 'Sent copy');
    expect(sent[0]!.raw.toString()).not.toContain('/o/');
  });

  test('one message to two recipients reports „Jemand“', async () => {
    await compose({
      to: ['bernd@kunde.example', 'Clara Kunde <clara@kunde.example>'],
      subject: 'Besichtigungstermin',
    });
    expect(await page.getByTestId('several-hint').innerText()).toContain('Jemand öffnete die E-Mail');
    await screenshot(page, '06-compose-several');
    // toasts of the test before come and go with its timing (6 s each): the view's snapshot leaves them out
    // (through the CSSOM: the app's CSP refuses an injected style sheet)
    const toasts = page.getByTestId('toasts');
    await toasts.evaluate((el) => (el.style.visibility = 'hidden'));
    await expect(page).toHaveScreenshot('compose-several.png', { mask: dynamicParts(page) });
    await toasts.evaluate((el) => (el.style.visibility = ''));
    await sendAndWaitForDelivery(2);
    const delivered = smtp.received[1]!;
    expect(delivered.rcptTo.sort()).toEqual(['bernd@kunde.example', 'clara@kunde.example']);
    // the agent looks at another activity meanwhile: the open arrives as a toast that leads to its feed
    await page.getByTestId('activity-row').filter({ hasText: 'Exposé Wohnung 3' }).click();
    const { mail } = await openAsRecipient(delivered.raw);
    const toast = page
      .getByTestId('toasts')
      .locator('.toast')
      .filter({ hasText: 'Jemand öffnete die E-Mail' });
    await toast.waitFor({ timeout: 10_000 });
    expect(await toast.innerText()).toContain('Besichtigungstermin');
    await screenshot(page, '07a-toast');
    await toast.locator('.toast-main').click();
    await expect(page.getByTestId('feed').locator('h1')).toHaveText('Besichtigungstermin');
    await feedItems().filter({ hasText: 'Jemand öffnete die E-Mail' }).waitFor({ timeout: 10_000 });
    await screenshot(page, '07-feed-jemand');
    await mail.close();
  });

  test('the activity list searches and filters; the help explains missing events', async () => {
    await page.getByTestId('nav-activities').click();
    await expect(page.getByTestId('activity-row')).toHaveCount(2);
    await page.getByTestId('activity-search').fill('Besichtigung');
    await expect(page.getByTestId('activity-row')).toHaveCount(1);
    await page.getByTestId('activity-search').fill('');
    await page.getByTestId('filter-tracked').click();
    await expect(page.getByTestId('activity-row')).toHaveCount(2);
    await page.getByTestId('filter-all').click();
    await page.getByTestId('activity-row').filter({ hasText: 'Exposé Wohnung 3' }).click();
    await page
      .getByRole('button', { name: 'Warum werden beim Blitz nicht alle Aktivitäten angezeigt?' })
      .click();
    const help = page.getByTestId('help-why');
    expect(await help.innerText()).toContain('Apple Mail-Datenschutz');
    expect(await help.innerText()).toContain('Gmail-Bildproxy');
    await screenshot(page, '08-feed-help');
    await page.getByTestId('nav-help').click();
    await screenshot(page, '09-help');
    await expect(page).toHaveScreenshot('help.png', { mask: dynamicParts(page) });
  });

  test('with tracking switched off by the admin the checkbox disappears and no pixel is sent', async () => {
    await page.getByTestId('nav-settings').click();
    // controlled by the core's answer: the click asks, the switch follows once the collector agreed
    await page.getByTestId('tracking-switch').click();
    await expect(page.getByTestId('tracking-switch')).not.toBeChecked();
    await screenshot(page, '10-settings-tracking-off');
    await compose({
      to: ['dora@kunde.example'],
      subject: 'Ohne Tracking',
      link: `${recipient.origin}/expose/x`,
    });
    expect(await page.getByTestId('track-option').count()).toBe(0);
    await screenshot(page, '11-compose-untracked');
    await sendAndWaitForDelivery(3);
    const delivered = smtp.received[2]!;
    const { html } = await recipient.show(delivered.raw);
    expect(html).not.toContain('/o/');
    expect(html).toContain(`${recipient.origin}/expose/x`);
    expect(await page.getByTestId('feed').innerText()).toContain('ohne Tracking');
  });

  test('with the collector gone the history still browses from the cache, under a quiet banner', async ({
    collector,
  }) => {
    await collector.close();
    await page.getByTestId('nav-activities').click();
    await page.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('offline-banner').innerText()).toContain('nicht erreichbar');
    await page.getByTestId('activity-row').filter({ hasText: 'Exposé Wohnung 3' }).click();
    await feedItems().filter({ hasText: 'öffnete die E-Mail' }).first().waitFor();
    expect(await feedItems().count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, '12-offline');
  });
});
