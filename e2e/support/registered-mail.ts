import type { Page } from '@playwright/test';
import type { RegisterMessageRequest, RegisterMessageResponse } from '../../src-shared/api';
import { createCollectorClient } from '../../src-main/core/collector/client';
import type { TestCollector } from '../../test/support/collector';
import type { AppUnderTest } from '../../test/support/e2e-stack';
import { expect } from './fixtures';

/**
 * Setup shared by the specs whose mail is never sent by this app (evidence export, the hold):
 * the agent's app connected to the collector with a mail account it never uses, and a message
 * registered on the collector directly, as another desktop of the agent would have sent it.
 */
export async function connectAgentWithoutMail(app: AppUnderTest, collector: TestCollector): Promise<void> {
  // port 9 (discard): nothing is sent or read in these specs
  const mail = await app.core.dispatch('settings.saveMailAccount', {
    fromName: 'Katrin Sommer',
    fromEmail: 'k.sommer@sommer-immobilien.example',
    smtp: { host: '127.0.0.1', port: 9, security: 'none', user: 'k', password: 'x' },
    imap: { host: '127.0.0.1', port: 9, security: 'none', user: 'k', password: 'x' },
  });
  expect(mail.ok).toBe(true);
  const saved = await app.core.dispatch('settings.saveCollector', {
    url: collector.url,
    token: collector.agentToken,
  });
  expect(saved.ok).toBe(true);
}

/** registers a message with the agent's token on the collector (not through this app) */
export async function registerAsOtherDesktop(
  collector: TestCollector,
  req: RegisterMessageRequest,
): Promise<RegisterMessageResponse> {
  const agent = createCollectorClient({ baseUrl: collector.url, token: collector.agentToken });
  const r = await agent.registerMessage(req);
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
}

/** opens the app, waits for the activity with `subject` to arrive by sync and opens its Blitz */
export async function openSyncedActivity(page: Page, app: AppUnderTest, subject: string): Promise<void> {
  await page.goto(app.host.pageUrl);
  const row = page.getByTestId('activity-row').filter({ hasText: subject });
  await row.waitFor({ timeout: 15_000 });
  await row.click();
  await page.getByTestId('feed').waitFor();
}
