import type { Page } from '@playwright/test';
import { createCollectorClient } from '../src-main/core/collector/client';
import type { TestCollector } from '../test/support/collector';
import type { AppUnderTest } from '../test/support/e2e-stack';
import {
  connectAgentWithoutMail,
  openSyncedActivity,
  registerAsOtherDesktop,
} from './support/registered-mail';
import { expect, screenshot, test, waitFor } from './support/fixtures';

/**
 * Issue 21 in the browser: a prospect's click that could still turn out to be a machine's shows
 * in the Blitz feed at once, marked „wird geprüft“; the notification follows when it settles and
 * the mark goes. Real collector, real core behind the browser host, production renderer.
 */
test.use({ stack: 'hold' });
test.describe.configure({ mode: 'serial' });

let collector: TestCollector;
let app: AppUnderTest;
let page: Page;

test.beforeAll(async ({ agentPage, app: a, collector: c }) => {
  collector = c;
  app = a;
  await connectAgentWithoutMail(app, collector);
  page = agentPage;
});

test.describe('the feed while a hit is being checked', () => {
  test('shows the click at once as „wird geprüft“, notifies after the hold, then drops the mark', async () => {
    const r = await registerAsOtherDesktop(collector, {
      clientId: 'hold-e2e',
      subject: 'Exposé Lindenstraße 12',
      sentIndividually: true,
      recipients: [{ email: 'paula@kunde.example', name: 'Paula Prüfer' }],
      links: [
        'https://www.example.org/expose',
        'https://www.example.org/grundriss',
        'https://www.example.org/lage',
      ],
    });
    await openSyncedActivity(page, app, 'Exposé Lindenstraße 12');

    // the prospect clicks the first link minutes after sending: held for a burst and a link walk
    const res = await fetch(r.trackers[0]!.links[0]!.trackedUrl, {
      redirect: 'manual',
      headers: {
        'user-agent':
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
        'x-forwarded-for': '93.200.14.7',
      },
    });
    expect(res.status).toBe(302);
    const clickedAt = Date.now();
    const marker = page.getByTestId('checking-marker');
    await marker.waitFor({ timeout: 8_000 });
    expect(await marker.innerText()).toBe('wird geprüft');
    expect(await page.getByTestId('feed-item').first().innerText()).toContain(
      'Paula Prüfer öffnete den Link',
    );
    expect(app.notifier.shown.filter((n) => n.activityId === 'hold-e2e')).toEqual([]);
    await screenshot(page, '21-feed-being-checked');

    await waitFor(() => app.notifier.shown.find((n) => n.activityId === 'hold-e2e'), 'notification', 35_000);
    expect(Date.now() - clickedAt).toBeLessThanOrEqual(31_000);
    await expect.poll(() => page.getByTestId('checking-marker').count(), { timeout: 10_000 }).toBe(0);
    await screenshot(page, '21-feed-settled');
  });

  test('Einstellungen: the admin switches the account option for an office network shared with prospects', async () => {
    const asAdmin = await app.core.dispatch('settings.saveCollector', {
      url: collector.url,
      token: collector.adminToken,
    });
    expect(asAdmin.ok).toBe(true);
    await page.reload();
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('settings-tracking');
    await card.scrollIntoViewIfNeeded();
    const sw = page.getByTestId('shared-network-switch');
    expect(await sw.isChecked()).toBe(false);
    await sw.click();
    await expect.poll(() => sw.isChecked(), { timeout: 10_000 }).toBe(true);
    // stored on the collector, where the classifier reads it
    const admin = createCollectorClient({ baseUrl: collector.url, token: collector.adminToken });
    const s = await admin.getSettings();
    expect(s.ok && s.value.sharesNetworkWithProspects).toBe(true);
    await card.screenshot({ path: 'test-results/screenshots/21-settings-shared-network.png' });
    await sw.click();
    await expect.poll(() => sw.isChecked(), { timeout: 10_000 }).toBe(false);
  });
});
