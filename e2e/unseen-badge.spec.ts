import { simpleParser } from 'mailparser';
import { loopbackMailAccount } from '../test/support/e2e-stack';
import { expect, test, waitFor } from './support/fixtures';

/**
 * The navigation's badge of activities with unseen events stays true while a search is typed:
 * an open that arrives during a search shows in it, and seeing the feed takes it away, whether
 * the search shows the activity or not.
 */
test.use({ stack: 'unseen-badge' });

test('the unseen badge follows new events and seen feeds during a search', async ({
  app,
  collector,
  smtp,
  imap,
  agentPage: page,
}) => {
  const setup = await app.core.dispatch('settings.saveCollector', {
    url: collector.url,
    token: collector.adminToken,
  });
  expect(setup.ok).toBe(true);
  const account = await app.core.dispatch(
    'settings.saveMailAccount',
    loopbackMailAccount({ name: 'Maria Makler', email: 'maria@makler.example' }, smtp, imap),
  );
  expect(account.ok).toBe(true);
  for (const subject of ['Exposé Lindenstraße 4', 'Mietvertrag Hauptstraße 9']) {
    const sent = await app.core.dispatch('compose.send', {
      to: ['anna@kunde.example'],
      subject,
      html: '<p>Guten Tag</p>',
      track: true,
      sendIndividually: true,
    });
    expect(sent.ok).toBe(true);
  }
  await waitFor(() => smtp.received.length >= 2, 'both mails delivered', 15_000);

  await page.goto(app.host.pageUrl);
  await expect(page.getByTestId('activity-row')).toHaveCount(2);
  const badge = page.locator('[data-testid=nav-activities] .nav-badge');
  await expect(badge).toHaveCount(0);

  // a search that shows only the Lindenstraße mail; the Hauptstraße mail is opened meanwhile
  await page.getByTestId('activity-search').fill('linden');
  await expect(page.getByTestId('activity-row')).toHaveCount(1);
  const hauptstrasse = await waitFor(async () => {
    for (const m of smtp.received) {
      const mail = await simpleParser(m.raw);
      if (mail.subject?.startsWith('Mietvertrag')) return String(mail.html);
    }
    return null;
  }, 'the Hauptstraße mail');
  const pixel = /src="([^"]+\/o\/[^"]+\.gif)"/.exec(hauptstrasse)?.[1];
  expect(pixel).toBeTruthy();
  const hit = await fetch(pixel!, {
    headers: {
      'user-agent':
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'x-forwarded-for': '198.51.100.23',
    },
  });
  expect(hit.status).toBe(200);
  await expect(badge).toHaveText('1', { timeout: 15_000 });
  // the search still shows what it found
  await expect(page.getByTestId('activity-row')).toHaveCount(1);

  // the agent looks at the opened mail under another search: seen, the badge goes
  await page.getByTestId('activity-search').fill('haupt');
  await page.getByTestId('activity-row').first().click();
  await expect(page.getByTestId('feed-item')).toHaveCount(1);
  await expect(badge).toHaveCount(0, { timeout: 10_000 });
});
