import type { Page } from '@playwright/test';
import type { TestCollector } from '../test/support/collector';
import type { AppUnderTest } from '../test/support/e2e-stack';
import { sendExposeToAnnaAndNiemand, startAgencyMail, type AgencyMail } from '../test/support/agency-mail';
import { readMailbox, type TestImapServer } from '../test/support/mail-servers';
import type { TestPostfix } from '../test/support/postfix';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 19 in the browser, against real servers: the app sends a tracked mail through a private
 * Postfix on loopback to a prospect and to an address that does not exist (Postfix writes the real
 * bounce into the agent's Dovecot INBOX); the prospect's reply and out-of-office answer go through
 * the same Postfix. The Blitz shows „… antwortete“ (notified), „Zustellung an … fehlgeschlagen“
 * with the reason in German and the raw status behind „Details“, the address marked as not
 * delivered, and „Abwesenheitsnotiz von …“ (quiet).
 */
test.use({ stack: 'mailbox-signals' });
test.describe.configure({ mode: 'serial' });

let collector: TestCollector;
let app: AppUnderTest;
let page: Page;
let imap: TestImapServer;
let pf: TestPostfix;
let agency: AgencyMail;
let activityId: string;

const SUBJECT = 'Exposé Lindenstraße 5';

test.beforeAll(async ({ agentPage, app: a, collector: c }) => {
  collector = c;
  app = a;
  page = agentPage;
  agency = await startAgencyMail();
  ({ imap, pf } = agency);
  const mail = await app.core.dispatch('settings.saveMailAccount', agency.account());
  expect(mail.ok).toBe(true);
  const saved = await app.core.dispatch('settings.saveCollector', {
    url: collector.url,
    token: collector.agentToken,
  });
  expect(saved.ok).toBe(true);
});

test.afterAll(async () => {
  await agency?.close();
});

const annasCopyId = () => agency.deliveredMessageId('anna@test.local');

async function openActivity(): Promise<void> {
  await page.getByTestId('nav-activities').click();
  const row = page.getByTestId('activity-row').filter({ hasText: SUBJECT });
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.getByTestId('feed-items').waitFor();
}

test.describe('replies, bounces and out-of-office answers in the Blitz', () => {
  test('the agent switches the INBOX watch on in the settings (off by default)', async () => {
    await page.goto(app.host.pageUrl);
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('settings-mailbox');
    await card.waitFor();
    const sw = page.getByTestId('mailbox-switch');
    await expect(sw).not.toBeChecked();
    await expect(page.getByTestId('mailbox-folder')).toHaveValue('INBOX');
    // a controlled switch: it shows on once the core has stored it
    await sw.click();
    await expect.poll(() => sw.isChecked(), { timeout: 10_000 }).toBe(true);
    await waitFor(
      async () => {
        const s = await app.core.dispatch('settings.get', {});
        return s.ok && s.value.mailboxSignals?.enabled ? true : null;
      },
      'mailbox signals on',
      10_000,
    );
    await card.scrollIntoViewIfNeeded();
    await screenshot(page, '19-settings-mailbox');
  });

  test('a reply, a real Postfix bounce and an out-of-office answer show in the feed', async () => {
    // the watcher's first scan sets the cursor at the (empty) INBOX's end
    await app.core.scanMailbox!();
    activityId = await sendExposeToAnnaAndNiemand(app.core, pf, SUBJECT);
    const original = annasCopyId();
    const smtp = agency.smtp();
    await smtp.sendMail({
      from: 'Anna Beispiel <anna@test.local>',
      to: 'makler@test.local',
      subject: `Re: ${SUBJECT}`,
      text: 'Gern würde ich die Wohnung am Dienstag besichtigen.\n\n> Guten Tag, anbei das Exposé.',
      inReplyTo: original,
      references: [original],
    });
    await smtp.sendMail({
      from: 'Anna Beispiel <anna@test.local>',
      to: 'makler@test.local',
      subject: `Abwesenheitsnotiz: ${SUBJECT}`,
      text: 'Ich bin bis 14.12. nicht im Büro.',
      inReplyTo: original,
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    await pf.drain();
    const inbox = await readMailbox(imap, 'INBOX');
    expect(inbox).toHaveLength(3);
    expect(inbox.some((m) => m.raw.toString().includes('multipart/report'))).toBe(true);

    const st = await app.core.scanMailbox!();
    expect(st.error).toBeNull();

    await openActivity();
    const items = page.getByTestId('feed-item');
    const reply = items.filter({ has: page.locator('[data-testid="mail-first-line"]') });
    await expect(page.locator('[data-type="mail.replied"]')).toHaveCount(1, { timeout: 15_000 });
    await expect(page.locator('[data-type="mail.replied"] .feed-text')).toContainText(
      'Anna Beispiel antwortete',
    );
    await expect(reply.getByTestId('mail-first-line')).toHaveText(
      'Gern würde ich die Wohnung am Dienstag besichtigen.',
    );
    const bounce = page.locator('[data-type="mail.bounced"]');
    await expect(bounce.locator('.feed-text')).toContainText(
      'Zustellung an niemand@test.local fehlgeschlagen',
    );
    await expect(bounce.getByTestId('mail-bounce')).toContainText('Die Adresse gibt es beim Empfänger nicht');
    // the raw status only behind „Details“
    const details = bounce.locator('details');
    await expect(details.locator('code')).not.toBeVisible();
    await details.locator('summary').click();
    await expect(details.locator('code')).toContainText('5.1.1');
    const ooo = page.locator('[data-type="mail.auto_replied"]');
    await expect(ooo.locator('.feed-text')).toContainText('Abwesenheitsnotiz von Anna Beispiel');
    // quiet: no „neu“ mark on it
    await expect(ooo.locator('.new-pill')).toHaveCount(0);
    // the activity marks the address as not delivered, above the feed and beside the recipient
    await expect(page.getByTestId('feed-undelivered')).toHaveText('nicht zugestellt: niemand@test.local');
    const marked = page.locator('.recipient').filter({ has: page.getByTestId('recipient-undelivered') });
    await expect(marked).toHaveCount(1);
    await expect(marked).toContainText('niemand@test.local');
    // the in-app notifications: the reply, never the out-of-office answer
    const toasts = page.getByTestId('toasts');
    await expect(toasts).toContainText('Anna Beispiel antwortete');
    await expect(toasts).not.toContainText('Abwesenheitsnotiz');

    // notifications: the reply (and the bounce, the offer never arrived), never the out-of-office answer
    const titles = app.notifier.shown.filter((n) => n.activityId === activityId).map((n) => n.title);
    expect(titles).toContain('Anna Beispiel antwortete');
    expect(titles.some((x) => x.startsWith('Abwesenheitsnotiz'))).toBe(false);
    expect(titles.filter((x) => x === 'Anna Beispiel antwortete')).toHaveLength(1);
  });

  for (const lang of ['de', 'en'] as const) {
    for (const width of [900, 1366]) {
      test(`screenshot of the feed, ${lang}, ${width} px`, async () => {
        expect((await app.core.dispatch('settings.setLanguage', { language: lang })).ok).toBe(true);
        await page.setViewportSize({ width, height: 800 });
        const title = page.locator('.detail-subject');
        await expect(title).toHaveText(SUBJECT);
        await expect(page.locator('[data-type="mail.bounced"] .feed-text')).toContainText(
          lang === 'de'
            ? 'Zustellung an niemand@test.local fehlgeschlagen'
            : 'Delivery to niemand@test.local failed',
          { timeout: 10_000 },
        );
        const details = page.locator('[data-type="mail.bounced"] details');
        if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open)))
          await details.locator('summary').click();
        // the notifications' toasts would cover the feed at 900 px
        for (let i = 0; i < 5 && (await page.locator('.toast-close').count()) > 0; i++)
          await page
            .locator('.toast-close')
            .first()
            .click({ timeout: 2_000 })
            .catch(() => {}); // a toast may time out on its own meanwhile
        await page.getByTestId('feed-items').scrollIntoViewIfNeeded();
        await screenshot(page, `19-feed-${lang}-${width}`);
      });
    }
  }
});
