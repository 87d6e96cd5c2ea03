/**
 * UI latency benchmark (npx tsx bench/ui.ts): through the browser host with the real core, a real
 * collector and real mail servers, measures
 *   1. pixel hit at the collector → notification emitted by the core (Notifier.notify)
 *   2. pixel hit at the collector → event visible in the open Blitz feed (Chromium)
 *   3. first render of the activity list with 10,000 activities (page load → rows on screen)
 *      and a search round-trip over them.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { openCache } from '../src-main/core/cache';
import { startApp, buildRendererOnce, launchChromium, type AppUnderTest } from '../test/support/e2e-stack';
import { startTestCollector } from '../test/support/collector';
import { startDovecot, startSmtpServer } from '../test/support/mail-servers';

const HITS = Number(process.env['BENCH_UI_HITS'] ?? 20);
const ACTIVITIES = 10_000;

function stats(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1);
  return `median ${q(0.5)} ms, p90 ${q(0.9)} ms, max ${s[s.length - 1]!.toFixed(1)} ms (n=${s.length})`;
}

async function connect(app: AppUnderTest, url: string, token: string): Promise<void> {
  const r = await app.core.dispatch('settings.saveCollector', { url, token });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
}

async function main(): Promise<void> {
  const [rendererDir, collector, smtp, imap, browser] = await Promise.all([
    buildRendererOnce(),
    startTestCollector({ trustProxy: true }),
    startSmtpServer(),
    startDovecot(),
    launchChromium(),
  ]);
  const cleanups: (() => Promise<void>)[] = [
    () => browser.close(),
    () => collector.close(),
    () => smtp.close(),
    () => imap.close(),
    async () => rmSync(rendererDir, { recursive: true, force: true }),
  ];
  try {
    // ---------- 1 + 2: pixel → notification, pixel → feed
    const app = await startApp(rendererDir);
    cleanups.unshift(() => app.close());
    await connect(app, collector.url, collector.adminToken);
    const account = await app.core.dispatch('settings.saveMailAccount', {
      fromName: 'Maria Makler',
      fromEmail: 'maria@makler.example',
      smtp: {
        host: '127.0.0.1',
        port: smtp.port,
        security: 'starttls',
        user: smtp.user,
        password: smtp.password,
      },
      imap: {
        host: '127.0.0.1',
        port: imap.port,
        security: 'starttls',
        user: imap.user,
        password: imap.password,
      },
    });
    if (!account.ok) throw new Error(JSON.stringify(account.error));
    const sent = await app.core.dispatch('compose.send', {
      to: ['anna@kunde.example'],
      subject: 'Bench',
      html: '<p>Hallo</p>',
      track: true,
      sendIndividually: true,
    });
    if (!sent.ok) throw new Error(JSON.stringify(sent.error));
    const until = Date.now() + 15_000;
    while (smtp.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    const html = String((await simpleParser(smtp.received[0]!.raw)).html);
    const pixel = /src="([^"]+\/o\/[^"]+\.gif)"/.exec(html)?.[1];
    if (!pixel) throw new Error('no pixel in the delivered message');

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(app.host.pageUrl);
    await page.getByTestId('activity-row').first().click();
    await page.getByTestId('feed').waitFor();

    const toNotification: number[] = [];
    const toFeed: number[] = [];
    for (let i = 0; i < HITS; i++) {
      const before = app.notifier.shown.length;
      const notified = new Promise<number>((resolve) => {
        const off = app.notifier.onNotify(() => {
          off();
          resolve(performance.now());
        });
      });
      const t0 = performance.now();
      const res = await fetch(pixel, {
        headers: {
          'user-agent':
            'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
          'x-forwarded-for': `198.51.100.${10 + i}`,
        },
      });
      await res.arrayBuffer();
      await page.waitForFunction(
        (n) => document.querySelectorAll('[data-testid=feed-item]').length >= n,
        i + 1,
        { polling: 'raf', timeout: 10_000 },
      );
      toFeed.push(performance.now() - t0);
      const tn = await Promise.race([notified, new Promise<null>((r) => setTimeout(() => r(null), 3_000))]);
      if (tn !== null && app.notifier.shown.length > before) toNotification.push(tn - t0);
      // spread the opens so the notification policy's burst window does not fold them
      await new Promise((r) => setTimeout(r, 1_100));
    }
    console.log(
      `pixel hit → notification emitted: ${toNotification.length ? stats(toNotification) : 'none'}`,
    );
    console.log(`pixel hit → event visible in feed: ${stats(toFeed)}`);

    // ---------- 3: 10,000 activities
    const dataDir = mkdtempSync(join(tmpdir(), 'blitz-bench-ui-'));
    const cache = openCache(join(dataDir, 'cache.sqlite'));
    const now = Date.now();
    cache.tx(() => {
      for (let i = 0; i < ACTIVITIES; i++) {
        const id = randomUUID();
        cache.activities.insert({
          id,
          kind: i % 20 === 0 ? 'offer' : 'email',
          subject: `Exposé Objekt ${i} – Wohnung ${i % 17} in Berlin-Mitte`,
          html: null,
          text: '',
          trackRequested: i % 3 !== 0,
          tracked: i % 3 !== 0,
          sentIndividually: true,
          messageId: `<${id}@bench.example>`,
          createdAt: new Date(now - i * 60_000).toISOString(),
          sentAt: new Date(now - i * 60_000).toISOString(),
          fromOtherDevice: false,
          recipients: [{ kind: 'to', email: `kunde${i}@example.org`, name: `Kunde ${i}` }],
          attachments: [],
        });
      }
    });
    cache.close();
    const big = await startAppAt(rendererDir, dataDir);
    cleanups.unshift(() => big.close());
    await connect(big, collector.url, collector.adminToken);
    const listStart = performance.now();
    const listed = await big.core.dispatch('activities.list', {});
    const listMs = performance.now() - listStart;
    if (!listed.ok) throw new Error(JSON.stringify(listed.error));
    // the core's activities.list answers at most its page size (2000 today), newest first
    const shown = listed.value.length;

    const page2 = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const firstRender: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await page2.goto(big.host.pageUrl);
      await page2.waitForFunction(
        (n) =>
          document.querySelector('[data-testid=activity-count]')?.textContent?.includes(n) === true &&
          document.querySelectorAll('[data-testid=activity-row]').length > 0,
        String(shown),
        { polling: 'raf', timeout: 20_000 },
      );
      firstRender.push(performance.now() - t0);
    }
    const rowsInDom = await page2.getByTestId('activity-row').count();
    // scroll through the whole list in 40 steps, counting long frames
    const scroll = await page2.evaluate(async () => {
      const el = document.querySelector('[data-testid=activity-list]') as HTMLElement;
      const frames: number[] = [];
      let last = performance.now();
      for (let s = 0; s <= 40; s++) {
        el.scrollTop = (el.scrollHeight * s) / 40;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const t = performance.now();
        frames.push(t - last);
        last = t;
      }
      return { maxFrame: Math.max(...frames), median: frames.sort((a, b) => a - b)[20] };
    });
    const t0 = performance.now();
    await page2.getByTestId('activity-search').fill('Objekt 9999');
    await page2.waitForFunction(
      () => document.querySelectorAll('[data-testid=activity-row]').length === 1,
      undefined,
      {
        polling: 'raf',
      },
    );
    const searchMs = performance.now() - t0;
    console.log(
      `activities.list over ${ACTIVITIES} cached activities (core dispatch): ${listMs.toFixed(1)} ms, ${shown} returned`,
    );
    console.log(
      `first render of the list (${shown} rows of ${ACTIVITIES} activities; page load → rows on screen; first load cold): ${stats(firstRender)}; rows in DOM: ${rowsInDom}`,
    );
    console.log(`search over ${ACTIVITIES} (keystrokes → 1 row): ${searchMs.toFixed(1)} ms`);
    console.log(
      `scrolling the whole list in 40 jumps: frame: median ${scroll.median?.toFixed(1)} ms, max ${scroll.maxFrame.toFixed(1)} ms`,
    );
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}

/** startApp on an existing data folder (the 10k cache) */
async function startAppAt(rendererDir: string, dataDir: string): Promise<AppUnderTest> {
  return startApp(rendererDir, dataDir);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
