/**
 * The end-to-end stack without a test runner attached: used by the Playwright fixtures
 * (e2e/support/fixtures.ts) and by the benchmarks.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { CoreApi } from '../../src-main/core/api';
import type { MailAccountInput } from '../../src-shared/ipc';
import { createCore, createFileSecretStore } from '../../src-main/core/index';
import { buildRenderer } from '../../src-main/host/build-renderer';
import { RecordingNotifier } from '../../src-main/host/recording-notifier';
import { startHost, type RunningHost } from '../../src-main/host/server';
import { CHROMIUM_ARGS } from './chromium';
import { waitFor as pollUntil } from './wait-for';
import { startTestCollector, type TestCollector } from './collector';
import { startDovecot, startSmtpServer, type TestImapServer, type TestSmtpServer } from './mail-servers';

export { CHROMIUM_ARGS };

export const SCREENSHOT_DIR = resolve('test-results/screenshots');
export const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

export const E2E_TIMING = {
  retryBaseMs: 100,
  retryMaxMs: 1_000,
  pollIntervalMs: 60_000,
  syncBackoffBaseMs: 100,
  syncBackoffMaxMs: 500,
  burstWindowMs: 1_000,
  requestTimeoutMs: 2_000,
};

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

const rendererDirs: string[] = [];

/** Removes the renderer builds of buildRendererOnce (the vitest harness does it after each file). */
export function removeBuiltRenderers(): void {
  for (const dir of rendererDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One production build of the renderer, into a temp folder removed by removeBuiltRenderers. */
export async function buildRendererOnce(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-renderer-'));
  rendererDirs.push(dir);
  await buildRenderer(dir);
  return dir;
}

export interface AppUnderTest {
  core: CoreApi;
  host: RunningHost;
  notifier: RecordingNotifier;
  dataDir: string;
  close(): Promise<void>;
}

/** The real core behind the real browser host, as `npm run web` runs it. */
export async function startApp(
  rendererDir: string,
  dataDir = mkdtempSync(join(tmpdir(), 'blitz-e2e-')),
): Promise<AppUnderTest> {
  const notifier = new RecordingNotifier();
  const core = createCore({
    dataDir,
    secrets: createFileSecretStore(join(dataDir, 'secrets.json'), quietLog),
    notifier,
    log: quietLog,
    timing: E2E_TIMING,
    mailOptions: { allowSelfSigned: true, connectTimeoutMs: 5_000 },
  });
  await core.start();
  const host = await startHost({ core, notifier, rendererDir });
  return {
    core,
    host,
    notifier,
    dataDir,
    async close() {
      await host.close();
      await core.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Stands in for the recipient's side: serves a delivered message's HTML the way a mail client
 * shows it (images loaded), and the pages its links lead to.
 */
export interface RecipientSide {
  origin: string;
  /** publishes raw RFC 822 and returns the URL showing its HTML part */
  show(raw: Buffer): Promise<{ url: string; html: string }>;
  close(): Promise<void>;
}

export async function startRecipientSide(): Promise<RecipientSide> {
  const mails = new Map<string, string>();
  let n = 0;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const mail = /^\/mail\/(\d+)$/.exec(path);
    if (mail?.[1] && mails.has(mail[1])) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(mails.get(mail[1]));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Exposé</title><h1>Exposé ${path}</h1>`);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    async show(raw) {
      const parsed = await simpleParser(raw);
      const html = typeof parsed.html === 'string' ? parsed.html : '';
      const id = String(++n);
      mails.set(id, html);
      return { url: `${origin}/mail/${id}`, html };
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** the agent's mail account on the test's own SMTP and IMAP servers (STARTTLS on loopback) */
export function loopbackMailAccount(
  from: { name: string; email: string },
  smtp: { port: number; user: string; password: string },
  imap: { port: number; user: string; password: string },
): MailAccountInput {
  const side = (s: { port: number; user: string; password: string }) => ({
    host: '127.0.0.1',
    port: s.port,
    security: 'starttls' as const,
    user: s.user,
    password: s.password,
  });
  return { fromName: from.name, fromEmail: from.email, smtp: side(smtp), imap: side(imap) };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** the e2e stack polls a browser and servers: every 50 ms is enough */
export function waitFor<T>(fn: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  return pollUntil(fn, what, timeoutMs, 50);
}

/** Everything an end-to-end test runs against, started together. */
export interface E2eStack {
  collector: TestCollector;
  smtp: TestSmtpServer;
  imap: TestImapServer;
  recipient: RecipientSide;
  browser: Browser;
  app: AppUnderTest;
  /** stops it all; `collectorClosed`: a test already closed the collector */
  close(opts?: { collectorClosed?: boolean }): Promise<void>;
}

/**
 * A real collector (X-Forwarded-For from the "recipient" is believed, so hits are not the
 * sender's own loopback), real SMTP and Dovecot, the recipient's web side, Chromium, and the
 * app on the production renderer.
 */
export async function startStack(): Promise<E2eStack> {
  const [rendererDir, collector, smtp, imap, recipient, browser] = await Promise.all([
    buildRendererOnce(),
    startTestCollector({ trustProxy: true }),
    startSmtpServer(),
    startDovecot(),
    startRecipientSide(),
    launchChromium(),
  ]);
  const app = await startApp(rendererDir);
  return {
    collector,
    smtp,
    imap,
    recipient,
    browser,
    app,
    async close(opts = {}) {
      await browser.close();
      await app.close();
      await Promise.all([
        opts.collectorClosed ? undefined : collector.close(),
        smtp.close(),
        imap.close(),
        recipient.close(),
      ]);
    },
  };
}
