import { simpleParser } from 'mailparser';
import type { Page } from '@playwright/test';
import type { TestSmtpServer } from '../test/support/mail-servers';
import { loopbackMailAccount, type AppUnderTest } from '../test/support/e2e-stack';
import type { DomainProbeRig } from '../test/support/domain-probe';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 20 in the browser: the admin sets the account's own tracking domain under
 * Einstellungen, is shown the DNS record, the certificate command and the nginx block, and the
 * next tracked mail (real core, real SMTP server) carries pixel and links on that domain.
 */
const HOST = 't.sommer-immobilien.de';
// the name reaches the collector through TLS on loopback once the rig's zone holds it (issue 20)
test.use({ stack: 'tracking-domain', domainHosts: [HOST] });
test.describe.configure({ mode: 'serial' });

let page: Page;
let app: AppUnderTest;
let smtp: TestSmtpServer;
let rig: DomainProbeRig;

test.beforeAll(async ({ agentPage, app: a, collector, smtp: s, imap, domainRig }) => {
  app = a;
  smtp = s;
  rig = domainRig!;
  // the admin has not created the DNS record yet
  rig.zone.delete(HOST);
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
  // probed at once: no DNS record yet, so not in use, and the admin is told what is missing
  const status = card.getByTestId('tracking-domain-status');
  await expect(status).toContainText('Prüfung fehlgeschlagen');
  await expect(status).toContainText(`DNS: Der Name ${HOST} wurde nicht gefunden.`);
  await expect(card.getByTestId('tracking-domain-current')).toContainText(
    `${HOST} wird erst nach erfolgreicher Prüfung verwendet`,
  );
  const steps = card.getByTestId('tracking-domain-steps');
  await expect(steps).toContainText(`${HOST}. 3600 IN A 127.0.0.1`);
  await expect(steps).toContainText(`certbot certonly --webroot -w /var/www/acme -d ${HOST}`);
  await steps.getByText('3. nginx-Konfiguration').click();
  await expect(steps).toContainText(`server_name ${HOST};`);
  await status.getByText('Technische Details').click();
  await expect(status).toContainText('ENOTFOUND');
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, '20-tracking-domain-failed');
});

async function sendTracked(subject: string): Promise<string> {
  const before = smtp.received.length;
  const r = await app.core.dispatch('compose.send', {
    to: ['anna@kunde.example'],
    cc: [],
    bcc: [],
    subject,
    html: '<p>Ihr Exposé: <a href="https://www.sommer-immobilien.example/expose/7">ansehen</a></p>',
    track: true,
    sendIndividually: true,
  });
  expect(r.ok).toBe(true);
  await waitFor(() => smtp.received.length > before, 'SMTP delivery', 20_000);
  const parsed = await simpleParser(smtp.received[before]!.raw);
  return typeof parsed.html === 'string' ? parsed.html : '';
}

test('while the domain is not verified, tracked mail keeps the collector’s address', async ({
  collector,
}) => {
  const html = await sendTracked('Exposé Lindenweg 5');
  expect(html).toContain(`${collector.url}/o/`);
  expect(html).not.toContain(HOST);
});

test('DNS record in place, „Jetzt prüfen“: verified, and the next tracked mail uses the domain', async () => {
  rig.zone.set(HOST, '127.0.0.1');
  const card = page.getByTestId('settings-tracking-domain');
  await card.getByTestId('tracking-domain-verify').click();
  await expect(card.getByTestId('tracking-domain-status')).toContainText('Geprüft am');
  await expect(card.getByTestId('tracking-domain-current')).toContainText(`https://${HOST}`);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, '20-tracking-domain-verified');

  const html = await sendTracked('Exposé Lindenweg 7');
  expect(html).toMatch(new RegExp(`<img src="https://${HOST.replace(/\./g, '\\.')}/o/[A-Za-z0-9_-]+\\.gif"`));
  expect(html).toMatch(new RegExp(`href="https://${HOST.replace(/\./g, '\\.')}/c/[A-Za-z0-9_-]+/0"`));
});

test('the certificate expires: the admin is warned, the domain stays in use (sent links point there)', async () => {
  rig.front.setCert(await rig.ca.issue([HOST], { expired: true }));
  const card = page.getByTestId('settings-tracking-domain');
  await card.getByTestId('tracking-domain-verify').click();
  const status = card.getByTestId('tracking-domain-status');
  await expect(status).toContainText('Achtung: Die letzte Prüfung');
  await expect(status).toContainText(`TLS: Das Zertifikat für ${HOST} ist abgelaufen.`);
  await expect(status).toContainText('Die Domain bleibt in Verwendung');
  await expect(card.getByTestId('tracking-domain-current')).toContainText(`https://${HOST}`);
  await card.scrollIntoViewIfNeeded();
  await screenshot(page, '20-tracking-domain-live-failing');
  const html = await sendTracked('Exposé Lindenweg 8');
  expect(html).toContain(`https://${HOST}/o/`);
  // renewed: the warning goes away
  rig.front.setCert(rig.cert);
  await card.getByTestId('tracking-domain-verify').click();
  await expect(status).toContainText('Geprüft am');
});

test('removed, the view says links use the tracking server again', async () => {
  const card = page.getByTestId('settings-tracking-domain');
  await card.getByTestId('tracking-domain-remove').click();
  await expect(card.getByTestId('tracking-domain-current')).toContainText('Keine eigene Domain');
  await expect(card.getByTestId('tracking-domain-steps')).toHaveCount(0);
});
