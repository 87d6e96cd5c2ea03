import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { createCollectorClient } from '../src-main/core/collector/client';
import type { TestCollector } from '../test/support/collector';
import type { AppUnderTest } from '../test/support/e2e-stack';
import { expect, screenshot, test } from './support/fixtures';

/**
 * Issue 17 part 2 in the browser: an admin sets a legal hold, exports what is held about a
 * contact, is told that a held contact is not erased, and a contact erased on the collector (by
 * another admin) leaves this desktop's feed on its next sync. Real collector, real core behind
 * the browser host, production renderer.
 */
test.use({ stack: 'privacy' });
test.describe.configure({ mode: 'serial' });

const ANNA = { email: 'anna.beispiel@kunde.example', name: 'Anna Beispiel' };
const BERND = { email: 'bernd.muster@kunde.example', name: 'Bernd Muster' };
const SUBJECT = 'Exposé Gartenweg 3';
const browserHeaders = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'x-forwarded-for': '93.200.14.7',
};

let collector: TestCollector;
let app: AppUnderTest;
let page: Page;

test.beforeAll(async ({ agentPage, app: a, collector: c }) => {
  collector = c;
  app = a;
  const mail = await app.core.dispatch('settings.saveMailAccount', {
    fromName: 'Katrin Sommer',
    fromEmail: 'k.sommer@sommer-immobilien.example',
    smtp: { host: '127.0.0.1', port: 9, security: 'none', user: 'k', password: 'x' },
    imap: { host: '127.0.0.1', port: 9, security: 'none', user: 'k', password: 'x' },
  });
  expect(mail.ok).toBe(true);
  // this desktop is the admin's
  const saved = await app.core.dispatch('settings.saveCollector', { url: collector.url, token: collector.adminToken });
  expect(saved.ok).toBe(true);
  page = agentPage;
});

async function openFeed(): Promise<void> {
  await page.getByTestId('nav-activities').click();
  const row = page.getByTestId('activity-row').filter({ hasText: SUBJECT });
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.getByTestId('feed').waitFor();
}

test('an admin holds, exports and erases; an erased contact leaves the feed after sync', async () => {
  const admin = createCollectorClient({ baseUrl: collector.url, token: collector.adminToken });
  const r = await admin.registerMessage({
    clientId: 'privacy-e2e',
    subject: SUBJECT,
    sentIndividually: true,
    recipients: [ANNA, BERND],
    links: [],
  });
  if (!r.ok) throw new Error(r.error.detail);
  for (const t of r.value.trackers) {
    const res = await fetch(t.pixelUrl, { headers: browserHeaders });
    expect(res.status).toBe(200);
  }
  await page.goto(app.host.pageUrl);
  await openFeed();
  const items = page.getByTestId('feed-item');
  await expect(items.filter({ hasText: 'Anna Beispiel öffnete die E-Mail' })).toHaveCount(1, { timeout: 15_000 });
  await expect(items.filter({ hasText: 'Bernd Muster öffnete die E-Mail' })).toHaveCount(1);

  // Verwaltung › Datenschutz
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-privacy');
  await section.waitFor();
  await expect(page.getByTestId('privacy-retention')).toContainText('nach 365 Tagen');
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, '17-privacy-admin-de');

  // a legal hold on Bernd
  await page.getByTestId('privacy-email').fill(BERND.email.toUpperCase());
  await page.getByTestId('privacy-reason').fill('Provisionsstreit Az. 12 O 345/26');
  await page.getByTestId('privacy-set-hold').click();
  await expect(page.getByTestId('privacy-hold')).toHaveCount(1);
  await expect(page.getByTestId('privacy-hold')).toContainText(BERND.email);
  await expect(page.getByTestId('privacy-hold')).toContainText('Provisionsstreit');

  // the export of Anna: auskunft.json and auskunft.pdf
  await page.getByTestId('privacy-email').fill(ANNA.email);
  const downloads: string[] = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  const first = page.waitForEvent('download');
  await page.getByTestId('privacy-export').click();
  const json = await first;
  expect(json.suggestedFilename()).toBe('auskunft.json');
  const text = readFileSync((await json.path())!, 'utf8');
  const x = JSON.parse(text) as { email: string; sections: { events: { type: string }[] } };
  expect(x.email).toBe(ANNA.email);
  expect(x.sections.events.map((e) => e.type)).toContain('email.opened');
  expect(text).not.toContain(BERND.email);
  await expect(page.getByTestId('privacy-done')).toContainText('Auskunft über anna.beispiel@kunde.example erstellt');
  await expect.poll(() => downloads).toContain('auskunft.pdf');

  // a held contact is not erased, and the admin is told why
  await page.getByTestId('privacy-email').fill(BERND.email);
  await page.getByTestId('privacy-erase').click();
  await expect(page.getByTestId('privacy-erase-confirm')).toContainText('kann nicht rückgängig gemacht werden');
  await screenshot(page, '17-privacy-erase-confirm-de');
  await page.getByTestId('privacy-erase-go').click();
  await expect(page.getByTestId('privacy-done')).toContainText('Nichts gelöscht: Aufbewahrungssperre „Provisionsstreit Az. 12 O 345/26“');
  await screenshot(page, '17-privacy-held-de');

  // another admin erases Anna on the collector: this desktop drops her on its next sync
  const erased = await admin.eraseSubject(ANNA.email, 'Antrag auf Löschung vom 2.12.');
  if (!erased.ok) throw new Error(erased.error.detail);
  expect(erased.value.erased.events).toBeGreaterThan(0);
  await openFeed();
  await expect(items.filter({ hasText: 'Anna Beispiel' })).toHaveCount(0, { timeout: 15_000 });
  await expect(items.filter({ hasText: 'Bernd Muster öffnete die E-Mail' })).toHaveCount(1);
  await screenshot(page, '17-feed-after-erasure-de');

  // lifting the hold
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('privacy-lift').click();
  await expect(page.getByTestId('privacy-hold')).toHaveCount(0);
  await expect(page.getByTestId('privacy-done')).toContainText('aufgehoben');
});

test('the section in English', async () => {
  expect((await app.core.dispatch('settings.setLanguage', { language: 'en' })).ok).toBe(true);
  await page.reload();
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('settings-privacy');
  await section.waitFor();
  await expect(page.getByTestId('privacy-retention')).toContainText('deleted after 365 days');
  await page.getByTestId('privacy-email').fill(BERND.email);
  await page.getByTestId('privacy-reason').fill('Commission dispute');
  await page.getByTestId('privacy-set-hold').click();
  await expect(page.getByTestId('privacy-hold')).toHaveCount(1);
  await section.scrollIntoViewIfNeeded();
  await screenshot(page, '17-privacy-admin-en');
  expect((await app.core.dispatch('settings.setLanguage', { language: 'de' })).ok).toBe(true);
});
