import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { createCore, createFileSecretStore } from '../src-main/core/index';
import { localCollectorStarter } from '../src-main/core/collector/local-collector';
import { RecordingNotifier } from '../src-main/host/recording-notifier';
import { startHost } from '../src-main/host/server';
import { readMailbox, type TestImapServer, type TestSmtpServer } from '../test/support/mail-servers';
import {
  E2E_TIMING,
  loopbackMailAccount,
  quietLog,
  type AppUnderTest,
  type RecipientSide,
} from '../test/support/e2e-stack';
import { expect, screenshot, test as stackTest, waitFor } from './support/fixtures';

/**
 * The local test mode as a newcomer tries it: the collector runs inside the app on 127.0.0.1,
 * the agent sends a mail to themself and opens it in a webmail on the same computer (a second
 * browser context, also 127.0.0.1). That open is the recipient's — named, notified in the
 * browser — and not „vermutlich Sie selbst“ because app and webmail share an address.
 */
const test = stackTest.extend<object, { app: AppUnderTest }>({
  // the app as `npm run web` and the Electron shell start it: with the in-app collector
  app: [
    async ({ rendererDir }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'blitz-e2e-local-'));
      const notifier = new RecordingNotifier();
      const secrets = createFileSecretStore(join(dataDir, 'secrets.json'), quietLog);
      const core = createCore({
        dataDir,
        secrets,
        notifier,
        log: quietLog,
        timing: E2E_TIMING,
        mailOptions: { allowSelfSigned: true, connectTimeoutMs: 5_000 },
        // exactly what `npm run web` and the Electron shell pass
        startLocalCollector: localCollectorStarter(secrets),
      });
      await core.start();
      const host = await startHost({ core, notifier, rendererDir });
      const close = async () => {
        await host.close();
        await core.stop();
        rmSync(dataDir, { recursive: true, force: true });
      };
      await use({ core, host, notifier, dataDir, close });
      await close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});
test.use({ stack: 'local-test-mode' });
test.describe.configure({ mode: 'serial' });

const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/** records every Notification the page constructs (the real one still runs underneath) */
const RECORD_NOTIFICATIONS = `
  window.__notes = [];
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title, options) {
      super(title, options);
      window.__notes.push({ title, body: options && options.body, tag: options && options.tag, note: this });
    }
  }
  Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
  Recorded.requestPermission = (...a) => Real.requestPermission(...a);
  window.Notification = Recorded;
`;

let smtp: TestSmtpServer;
let imap: TestImapServer;
let recipient: RecipientSide;
let app: AppUnderTest;
let agent: BrowserContext;
let page: Page;
let webmail: BrowserContext;

test.beforeAll(async ({ browser, app: a, smtp: s, imap: i, recipient: r }) => {
  app = a;
  smtp = s;
  imap = i;
  recipient = r;
  agent = await browser.newContext({
    viewport: { width: 1366, height: 800 },
    locale: 'de-DE',
    timezoneId: 'Europe/Berlin',
  });
  await agent.grantPermissions(['notifications'], { origin: new URL(app.host.pageUrl).origin });
  await agent.addInitScript(RECORD_NOTIFICATIONS);
  page = await agent.newPage();
  // the webmail: a normal browser on this computer, no forwarded address — 127.0.0.1 like the app
  webmail = await browser.newContext({ viewport: { width: 1000, height: 700 }, userAgent: CHROME_UA });
});

test.afterAll(async () => {
  await agent?.close();
  await webmail?.close();
});

const feedItems = () => page.getByTestId('feed-item');

test.describe('local test mode: the webmail on this computer is the recipient', () => {
  test('the welcome view says how to try it and starts the test mode', async () => {
    await page.goto(app.host.pageUrl);
    await page.getByTestId('welcome').waitFor();
    const steps = await page.getByTestId('try-it').innerText();
    expect(steps).toContain('an sich selbst senden');
    expect(steps).toContain('in Ihrem Webmail auf diesem Computer öffnen');
    expect(steps).toContain('Der Blitz leuchtet auf');
    // nothing on the welcome screen sends the user to settings they cannot reach from there
    expect(await page.getByTestId('welcome').innerText()).not.toMatch(
      /in den Einstellungen (prüfen|eintragen)/,
    );
    await screenshot(page, 'fh-local-01-welcome');

    // a refused key is explained where it can be fixed: the form above, not „in den Einstellungen“
    await page
      .locator('[data-testid=welcome] input[type=url]')
      .fill(app.host.pageUrl.replace(/\/[^/]*$/, ''));
    await page.getByRole('button', { name: 'Verbinden' }).click();
    const err = page.locator('[data-testid=welcome] [role=alert]');
    await err.waitFor();
    expect(await err.innerText()).not.toContain('Einstellungen');

    await page.getByTestId('start-local').click();
    await page.getByTestId('activity-list').waitFor({ timeout: 15_000 });
    // while nothing is sent yet, the empty list repeats the steps
    expect(await page.getByTestId('try-it').count()).toBe(1);
    // notifications are already granted in this browser: no prompt
    expect(await page.getByTestId('notify-prompt').count()).toBe(0);
    await screenshot(page, 'fh-local-02-empty');

    const account = await app.core.dispatch(
      'settings.saveMailAccount',
      loopbackMailAccount({ name: 'Maria Makler', email: 'maria@makler.example' }, smtp, imap),
    );
    expect(account.ok).toBe(true);
  });

  test('a mail opened in the webmail on this computer is a person’s open, with a browser notification', async () => {
    await page.getByTestId('nav-compose').click();
    const to = page.getByTestId('compose-to');
    await to.fill('Anna Beispiel <anna@kunde.example>');
    await to.press('Enter');
    await page.getByTestId('compose-subject').fill('Test an mich');
    await page.getByTestId('compose-body').click();
    await page.keyboard.type('Ein Test des Blitz.');
    await page.getByTestId('compose-send').click();
    await waitFor(() => smtp.received.length >= 1, 'SMTP delivery', 15_000);
    const feed = page.getByTestId('feed');
    await feed.waitFor();
    const activityId = await feed.getAttribute('data-activity-id');
    expect(activityId).toBeTruthy();

    // the agent looks at something else, as one does while waiting
    await page.getByTestId('nav-help').click();
    const shown = await recipient.show(smtp.received[0]!.raw);
    expect(shown.html).toMatch(/http:\/\/127\.0\.0\.1:\d+\/o\//);
    const mail = await webmail.newPage();
    await mail.goto(shown.url, { waitUntil: 'load' });

    // the core's notification names the person …
    await waitFor(() => app.notifier.shown.length > 0, 'notification from the core', 15_000);
    expect(app.notifier.shown[0]!.title + app.notifier.shown[0]!.body).toMatch(/Anna Beispiel öffnete/);
    // … the browser shows it as a real notification …
    const notes = await waitFor(
      () =>
        page.evaluate(() => {
          const w = window as unknown as { __notes: { title: string; body: string; tag: string }[] };
          return w.__notes.length > 0
            ? w.__notes.map((n) => ({ title: n.title, body: n.body, tag: n.tag }))
            : null;
        }),
      'browser notification',
    );
    expect(`${notes[0]!.title} ${notes[0]!.body}`).toMatch(/Anna Beispiel öffnete/);
    expect(notes[0]!.tag).toBe(activityId);
    // … and as a toast on whatever view is open
    const toast = page.getByTestId('toasts').locator('.toast').filter({ hasText: 'Anna Beispiel öffnete' });
    await toast.waitFor();
    await screenshot(page, 'fh-local-03-toast-on-help');

    // a click on the browser notification brings the activity to the front
    await page.evaluate(() => {
      const w = window as unknown as { __notes: { note: Notification }[] };
      w.__notes[0]!.note.dispatchEvent(new Event('click'));
    });
    await expect.poll(() => page.getByTestId('feed').getAttribute('data-activity-id')).toBe(activityId);
    const opened = feedItems().filter({ hasText: 'Anna Beispiel öffnete die E-Mail' });
    await opened.waitFor();
    // a person: no „vermutlich Sie selbst“, no ip.sender
    expect(await opened.innerText()).not.toContain('Sie selbst');
    const [event] = await waitFor(async () => {
      const res = await app.core.dispatch('feed.get', { activityId: activityId! });
      return res.ok && res.value.items.length > 0 ? res.value.items : null;
    }, 'feed');
    expect(event!.verdict).toBe('human');
    await screenshot(page, 'fh-local-04-person-open');
    await mail.close();
  });

  test('the agent’s own views stay self: the Sent copy has no pixel, and „Das war ich“ marks an event', async () => {
    const sent = await waitFor(
      async () => {
        const msgs = await readMailbox(imap, 'Sent');
        return msgs.length > 0 ? msgs : null;
      },
      'Sent copy',
      15_000,
    );
    const copy = await recipient.show(sent[0]!.raw);
    expect(copy.html).not.toMatch(/\/o\/[A-Za-z0-9_-]+\.gif/);
    const before = app.notifier.shown.length;
    const ownView = await webmail.newPage();
    await ownView.goto(copy.url, { waitUntil: 'load' });
    await ownView.close();
    // nothing reached the collector from the clean copy: no new event, no notification
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await feedItems().count()).toBe(1);
    expect(app.notifier.shown.length).toBe(before);

    // opened the tracked mail once more to check it: „Das war ich“ says so
    await feedItems().first().getByTestId('it-was-me').click();
    await expect.poll(() => feedItems().first().innerText()).toMatch(/Sie selbst/);
    expect(await feedItems().first().getByTestId('it-was-me').count()).toBe(0);
    await screenshot(page, 'fh-local-05-it-was-me');
  });

  test('a browser that has not decided yet is asked once, from a click', async ({ browser }) => {
    const fresh = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'de-DE' });
    const p = await fresh.newPage();
    await p.goto(app.host.pageUrl);
    const prompt = p.getByTestId('notify-prompt');
    await prompt.waitFor();
    expect(await prompt.innerText()).toContain('Benachrichtigung');
    await screenshot(p, 'fh-local-06-notify-prompt');
    await p.getByTestId('notify-enable').click();
    // answered (headless Chromium declines by itself): the offer is not repeated
    await expect.poll(() => p.getByTestId('notify-enable').count()).toBe(0);
    await p.reload();
    await p.getByTestId('activity-list').waitFor();
    expect(await p.getByTestId('notify-enable').count()).toBe(0);
    await fresh.close();
  });
});
