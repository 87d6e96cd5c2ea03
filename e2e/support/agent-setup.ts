import {
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Page,
} from '@playwright/test';
import type { TestCollector } from '../../test/support/collector';
import { loopbackMailAccount, type AppUnderTest } from '../../test/support/e2e-stack';
import type { TestImapServer, TestSmtpServer } from '../../test/support/mail-servers';

/**
 * What the property and offer stories start from: the agent's mail account on the test servers
 * and the collector connected (set up through the UI in app.spec.ts; here directly through the
 * core), then the app open on the activity list.
 */
export async function connectAgent(
  s: {
    app: AppUnderTest;
    collector: TestCollector;
    smtp: TestSmtpServer;
    imap: TestImapServer;
    page: Page;
  },
  from: { name: string; email: string },
  /** the collector token: an agent's unless the story needs the admin's */
  token: 'agent' | 'admin' = 'agent',
): Promise<void> {
  const mail = await s.app.core.dispatch(
    'settings.saveMailAccount',
    loopbackMailAccount(from, s.smtp, s.imap),
  );
  expect(mail.ok).toBe(true);
  const col = await s.app.core.dispatch('settings.saveCollector', {
    url: s.collector.url,
    token: token === 'agent' ? s.collector.agentToken : s.collector.adminToken,
  });
  expect(col.ok).toBe(true);
  await s.page.goto(s.app.host.pageUrl);
  await s.page.getByTestId('activity-list').waitFor();
}

/** the prospect's browser: a desktop Chrome in German, seen from a documentation address (not the sender's own) */
export function prospectContext(
  browser: Browser,
  ip: string,
  more: BrowserContextOptions = {},
): Promise<BrowserContext> {
  return browser.newContext({
    viewport: { width: 1280, height: 800 },
    extraHTTPHeaders: { 'x-forwarded-for': ip },
    locale: 'de-DE',
    ...more,
  });
}
