import { simpleParser } from 'mailparser';
import type { Page } from '@playwright/test';
import type { TestSmtpServer } from '../test/support/mail-servers';
import { loopbackMailAccount, type AppUnderTest } from '../test/support/e2e-stack';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 20 in the browser: the admin sets the account's own tracking domain under
 * Einstellungen, is shown the DNS record, the certificate command and the nginx block, and the
 * next tracked mail (real core, real SMTP server) carries pixel and links on that domain.
 */
test.use({ stack: 'tracking-domain' });
test.describe.configure({ mode: 'serial' });

const HOST = 't.sommer-immobilien.de';
let page: Page;
let app: AppUnderTest;
let smtp: TestSmtpServer;

test.beforeAll(async ({ agentPage, app: a, collector, smtp: s, imap }) => {
  app = a;
  smtp = s;
  const mail = await app.core.dispatch(
    'settings.saveMailAccount',
    loopbackMailAccount({ name: 'Katrin Sommer', email: 'k.sommer@sommer-immobilien.example' }, smtp, imap),
  );
  expect(mail.ok).toBe(true);
  const col = await app.core.dispatch('settings.saveCollector', {
    url: collector.url,
    token: collector.adminToken,
  });
  expect(col.ok).toBe(true);
  page = agentPage;
  await page.goto(app.host.pageUrl);
  await page.getByTestId('activity-list').waitFor();
});

test('the admin sets the tracking domain and sees the DNS, certificate and nginx steps', async () => {
  await page.getByTestId('nav-settings').click();
  const card = page.getByTestId('settings-tracking-domain');
  await card.waitFor();
  await expect(card.getByTestId('tracking-domain-current')).toContainText('Keine eigene Domain');

  // a URL instead of a host name: refused in German, nothing sent
  await card.getByTestId('tracking-domain-input').fill('https://t.sommer-immobilien.de/');
  await card.getByTestId('tracking-domain-save').click();
  await expect(card.getByRole('alert')).toContainText(
    'Bitte einen Hostnamen wie t.muster-immobilien.de eingeben',
  );

  await card.getByTestId('tracking-domain-input').fill('T.Sommer-Immobilien.de');
  await card.getByTestId('tracking-domain-save').click();
  await expect(card.getByTestId('tracking-domain-current')).toContainText(`https://${HOST}`);
  const steps = card.getByTestId('tracking-domain-steps');
  await expect(steps).toContainText(`${HOST}. 3600 IN A 127.0.0.1`);
  await expect(steps).toContainText(`certbot certonly --webroot -w /var/www/acme -d ${HOST}`);
  await steps.getByText('3. nginx-Konfiguration').click();
  await expect(steps).toContainText(`server_name ${HOST};`);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, '20-tracking-domain-settings');
});

test('the next tracked mail carries pixel and links on the domain', async () => {
  const before = smtp.received.length;
  const r = await app.core.dispatch('compose.send', {
    to: ['anna@kunde.example'],
    cc: [],
    bcc: [],
    subject: 'Exposé Lindenweg 7',
    html: '<p>Ihr Exposé: <a href="https://www.sommer-immobilien.example/expose/7">ansehen</a></p>',
    track: true,
    sendIndividually: true,
  });
  expect(r.ok).toBe(true);
  await waitFor(() => smtp.received.length > before, 'SMTP delivery', 20_000);
  const parsed = await simpleParser(smtp.received[before]!.raw);
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  expect(html).toMatch(new RegExp(`<img src="https://${HOST.replace(/\./g, '\\.')}/o/[A-Za-z0-9_-]+\\.gif"`));
  expect(html).toMatch(new RegExp(`href="https://${HOST.replace(/\./g, '\\.')}/c/[A-Za-z0-9_-]+/0"`));
});

test('removed, the view says links use the tracking server again', async () => {
  const card = page.getByTestId('settings-tracking-domain');
  await card.getByTestId('tracking-domain-remove').click();
  await expect(card.getByTestId('tracking-domain-current')).toContainText('Keine eigene Domain');
  await expect(card.getByTestId('tracking-domain-steps')).toHaveCount(0);
});
