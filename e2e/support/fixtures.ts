import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type BrowserContext, type Locator, type Page } from '@playwright/test';
import { startTestCollector, type TestCollector } from '../../test/support/collector';
import { startDomainProbeRig, type DomainProbeRig } from '../../test/support/domain-probe';
import {
  startApp,
  startRecipientSide,
  type AppUnderTest,
  type RecipientSide,
} from '../../test/support/e2e-stack';
import { buildRenderer } from '../../src-main/host/build-renderer';
import {
  startDovecot,
  startSmtpServer,
  type TestImapServer,
  type TestSmtpServer,
} from '../../test/support/mail-servers';

/**
 * The e2e stack as Playwright worker fixtures, each started only when a test asks for it:
 * a real collector (X-Forwarded-For believed, so the "recipient" is not the sender's loopback),
 * smtp-server, Dovecot, the recipient's web side, and the real core behind the browser host on
 * the production renderer, with the agent's page open in the configured Chromium.
 *
 * The specs are stories whose steps build on each other (`test.describe.configure({ mode:
 * 'serial' })`), so the stack lives as long as the worker. Each spec file names its own stack
 * with `test.use({ stack: 'name' })`: a different worker option means a different worker, so no
 * two files ever share a collector, a mailbox or an app.
 */
export interface StackFixtures {
  /** which stack a spec file runs on; files with different names never share one */
  stack: string;
  /**
   * issue 20: tracking-domain host names that reach the collector through TLS on loopback (test
   * CA, TLS front, a resolver the probe uses; test/support/domain-probe.ts); none by default
   */
  domainHosts: string[];
  /** the rig behind `domainHosts` (null without them): its zone and front steer the probe */
  domainRig: DomainProbeRig | null;
  rendererDir: string;
  /** the collector; `close()` may be called by a test (it is then not closed again) */
  collector: TestCollector;
  smtp: TestSmtpServer;
  imap: TestImapServer;
  recipient: RecipientSide;
  /** the core behind the browser host, with an empty data folder */
  app: AppUnderTest;
  /** the agent's tab on the app: 1280 × 800, German, Berlin time; one for the whole file */
  agentPage: Page;
}

export const test = base.extend<object, StackFixtures>({
  stack: ['default', { scope: 'worker', option: true }],

  rendererDir: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'blitz-renderer-'));
      await buildRenderer(dir);
      await use(dir);
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 180_000 },
  ],

  domainHosts: [[], { scope: 'worker', option: true }],

  domainRig: [
    async ({ domainHosts }, use) => {
      const rig = domainHosts.length > 0 ? await startDomainProbeRig(domainHosts) : null;
      await use(rig);
      await rig?.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  collector: [
    async ({ domainRig }, use) => {
      const started = await startTestCollector({
        trustProxy: true,
        ...(domainRig ? { domainProbe: domainRig.domainProbe } : {}),
      });
      domainRig?.attach(started.url);
      let closing: Promise<void> | undefined;
      await use({ ...started, close: () => (closing ??= started.close()) });
      await (closing ??= started.close());
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  smtp: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const smtp = await startSmtpServer();
      await use(smtp);
      await smtp.close();
    },
    { scope: 'worker' },
  ],

  imap: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const imap = await startDovecot();
      await use(imap);
      await imap.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  recipient: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const recipient = await startRecipientSide();
      await use(recipient);
      await recipient.close();
    },
    { scope: 'worker' },
  ],

  app: [
    async ({ rendererDir }, use) => {
      const app = await startApp(rendererDir, mkdtempSync(join(tmpdir(), 'blitz-e2e-')));
      await use(app);
      await app.close();
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  agentPage: [
    async ({ browser }, use) => {
      const context: BrowserContext = await browser.newContext({
        viewport: { width: 1280, height: 800 },
        locale: 'de-DE',
        timezoneId: 'Europe/Berlin',
      });
      const page = await context.newPage();
      await use(page);
      await context.close();
    },
    { scope: 'worker' },
  ],
});

/**
 * What changes from run to run in the app's views (the sidebar's „Zuletzt synchronisiert …“,
 * times): masked in `toHaveScreenshot`, so a snapshot fails only when the view itself changed.
 */
export function dynamicParts(page: Page): Locator[] {
  return [page.locator('.sidebar-status'), page.locator('time')];
}

export { expect } from '@playwright/test';
export { screenshot, waitFor } from '../../test/support/e2e-stack';
