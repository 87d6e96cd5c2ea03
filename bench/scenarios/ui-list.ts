import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { MessageSummary } from '../../src-shared/api';
import type { TrackingEvent } from '../../src-shared/events';
import { openCache } from '../../src-main/core/cache';
import {
  DENSE_SEARCH,
  listQueries,
  pageSql,
  PROBE_CAP,
  PROBE_SQL,
} from '../../src-main/core/cache/activities';
import { searchTerms } from '../../src-main/core/cache/search';
import { createCore, createFileSecretStore } from '../../src-main/core/index';
import { RecordingNotifier } from '../../src-main/host/recording-notifier';
import { startHost } from '../../src-main/host/server';
import { KEYS } from '../../src-main/core/settings';
import { applyPage } from '../../src-main/core/sync/apply';
import { chromium } from 'playwright-core';
import { buildRenderer } from '../../src-main/host/build-renderer';
import type { Row, Scenario } from './types';

/**
 * The agent's activity list with a decade of mail in the cache (100,000 activities, 1,000,000
 * events): opening the list, each keystroke of the search, switching activities. Each measured
 * three ways, side by side: the same SQL straight on the SQLite file (the floor), the core's
 * handler (what the IPC adapter and the browser host call), and end to end in Chromium through
 * the browser host (keystroke or click → the list or feed on screen).
 */
const STREETS = ['Lindenstraße', 'Hauptstraße', 'Am Markt', 'Schillerweg', 'Gartenstraße', 'Bahnhofstraße'];
const PAGE = 5_000;
const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
// the project's Chromium flags (as test/support/chromium.ts has them)
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function quantile(ms: number[], q: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

function time(fn: () => unknown): number {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** the cache as a first sync leaves it: through the sync's own applyPage, in pages */
export function fill(file: string, activities: number, events: number): void {
  const cache = openCache(file);
  const t0 = Date.UTC(2017, 0, 1);
  let seq = 0;
  for (let i = 0; i < activities; i += PAGE) {
    const messages: MessageSummary[] = [];
    for (let j = i; j < Math.min(activities, i + PAGE); j++) {
      messages.push({
        messageId: `m-${j}`,
        clientId: `c-${j}`,
        subject: `Exposé ${STREETS[j % STREETS.length]} ${j % 200}, Wohnung ${j}`,
        sentIndividually: true,
        recipients: [{ email: `kunde${j}@beispiel.de`, name: `Kundin ${j}` }],
        createdAt: new Date(t0 + j * 30 * 60_000).toISOString(),
        userId: 'u1',
      });
    }
    const withSeq = messages.map((m) => ({ ...m, seq: ++seq }));
    applyPage(cache, { events: [], messages: withSeq, next: seq });
  }
  for (let i = 0; i < events; i += PAGE) {
    const page: TrackingEvent[] = [];
    for (let j = i; j < Math.min(events, i + PAGE); j++) {
      const m = j % activities;
      page.push({
        id: `e-${j}`,
        seq: ++seq,
        type: j % 4 === 0 ? 'email.link_clicked' : 'email.opened',
        messageId: `m-${m}`,
        recipientEmail: `kunde${m}@beispiel.de`,
        occurredAt: new Date(t0 + m * 30 * 60_000 + (j / activities) * 3_600_000).toISOString(),
        detail: j % 4 === 0 ? { url: 'https://makler.example/expose/1' } : {},
        client: {
          verdict: j % 3 === 0 ? 'prefetch' : 'human',
          reasons: [],
          uaFamily: 'Chrome',
          os: 'Windows',
        },
      });
    }
    applyPage(cache, { events: page, messages: [], next: seq });
  }
  // what a configured desktop has: a collector (unreachable here) so the app opens the list
  cache.meta.set(KEYS.collectorUrl, 'http://127.0.0.1:9');
  cache.meta.set(KEYS.me, {
    userId: 'u1',
    accountId: 'a1',
    role: 'admin',
    name: 'Bench',
    email: 'b@bench.example',
  });
  cache.close();
}

const SEARCH = 'lindenstr';
/** the renderer's page of the list (src-renderer/store/app.ts LIST_PAGE) */
const WINDOW = 100;

export function uiList(activities = 100_000, events = 1_000_000, rounds = 20): Scenario {
  return {
    name: 'ui',
    description: `activity list, search and feed with ${activities.toLocaleString('en')} activities and ${events.toLocaleString('en')} events in the cache`,
    async run(): Promise<Row[]> {
      const dir = mkdtempSync(join(tmpdir(), 'blitz-bench-ui-'));
      const rows: Row[] = [];
      const add = (what: string, server: string, ms: number[], goal: number, base?: number[]): void => {
        const p95 = quantile(ms, 0.95);
        rows.push({
          scenario: 'ui',
          server: `${what}: ${server}`,
          connections: 1,
          rps: NaN,
          p50ms: quantile(ms, 0.5),
          p99ms: quantile(ms, 0.99),
          requests: ms.length,
          errors: 0,
          ...(base ? { ratio: p95 / quantile(base, 0.95) } : {}),
          note: `p95 ${p95.toFixed(1)} ms, goal < ${goal} ms: ${p95 < goal ? 'met' : 'MISSED'}${base ? ' (ratio: p95 ÷ SQLite p95)' : ''}`,
        });
      };
      try {
        const dataDir = join(dir, 'data');
        const fillMs = time(() => fill(join(dataDir, 'cache.sqlite'), activities, events));
        process.stderr.write(`  ui: cache filled in ${(fillMs / 1000).toFixed(1)} s\n`);

        // ---------- the floor: the same statements on the SQLite file, nothing around them
        const db = new Database(join(dataDir, 'cache.sqlite'), { readonly: true });
        // what cache/activities.ts windowOf runs for a window of WINDOW rows and its total, without
        // the DTO mapping around it: the trigram probe, the window, the count (when the window is full)
        const probe = db.prepare(PROBE_SQL);
        const sqlWindow = (query: string): void => {
          const terms = searchTerms(query);
          const n = terms?.match ? (probe.get({ match: terms.match }) as { n: number }).n : null;
          const q = listQueries(terms, 'all', n === null || n >= DENSE_SEARCH);
          const rows = db.prepare(pageSql(q.windowSql)).all({ ...q.params, limit: WINDOW, offset: 0 });
          if (rows.length === WINDOW && !(n !== null && n < PROBE_CAP && terms?.short.length === 0))
            db.prepare(q.countSql).get(q.params);
          if (!terms) db.prepare('SELECT count(*) FROM activities a WHERE a.new_event_count > 0').get();
        };
        const listAll = { all: () => sqlWindow('') };
        const listQ = { all: ({ q }: { q: string }) => sqlWindow(q) };
        const feedStmt = db.prepare(`SELECT e.* FROM events e
          JOIN activity_messages m ON m.collector_message_id = e.collector_message_id
          WHERE m.activity_id = ? ORDER BY e.occurred_at, e.seq`);
        const ids = (
          db.prepare('SELECT id FROM activities ORDER BY created_at DESC LIMIT 50').all() as { id: string }[]
        ).map((r) => r.id);
        const sqlOpen: number[] = [];
        const sqlKey: number[] = [];
        const sqlFeed: number[] = [];
        for (let i = 0; i < rounds; i++) {
          sqlOpen.push(time(() => listAll.all()));
          for (let k = 1; k <= SEARCH.length; k++)
            sqlKey.push(time(() => listQ.all({ q: SEARCH.slice(0, k) })));
          for (const id of ids.slice(0, 10)) sqlFeed.push(time(() => feedStmt.all(id)));
        }
        db.close();

        // ---------- the core's handlers, as the IPC adapter and the browser host call them
        const notifier = new RecordingNotifier();
        const core = createCore({
          dataDir,
          secrets: createFileSecretStore(join(dataDir, 'secrets.json'), quietLog),
          notifier,
          log: quietLog,
        });
        await core.start();
        const coreOpen: number[] = [];
        const coreKey: number[] = [];
        const coreFeed: number[] = [];
        for (let i = 0; i < rounds; i++) {
          coreOpen.push(
            await timeAsync(() =>
              core.dispatch('activities.page', { query: '', filter: 'all', offset: 0, limit: WINDOW }),
            ),
          );
          for (let k = 1; k <= SEARCH.length; k++)
            coreKey.push(
              await timeAsync(() =>
                core.dispatch('activities.page', {
                  query: SEARCH.slice(0, k),
                  filter: 'all',
                  offset: 0,
                  limit: WINDOW,
                }),
              ),
            );
          for (const id of ids.slice(0, 10))
            coreFeed.push(await timeAsync(() => core.dispatch('feed.get', { activityId: id })));
        }

        process.stderr.write('  ui: SQLite and core handler measured\n');

        // ---------- end to end: the browser host and Chromium
        // BENCH_UI_RENDERER: a renderer built beforehand (to compare two builds on the same data and
        // machine, e.g. before and after a change); else the checkout's renderer, built here
        const prebuilt = process.env['BENCH_UI_RENDERER'];
        const rendererDir = prebuilt ?? join(dir, 'renderer');
        const [, browser] = await Promise.all([
          prebuilt ? Promise.resolve() : buildRenderer(rendererDir),
          chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS }),
        ]);
        const host = await startHost({ core, notifier, rendererDir });
        const uiOpen: number[] = [];
        const uiKey: number[] = [];
        const uiFeed: number[] = [];
        // the same three seen from inside the page, without Playwright's round trips to the browser
        // (on a loaded machine a key press through CDP alone takes 100 ms and more): from the
        // navigation's start, or the key or click event's timestamp, to the frame after the rows
        // or feed items are in the DOM
        const inOpen: number[] = [];
        const inKey: number[] = [];
        const inFeed: number[] = [];
        const armed = (sel: string, on: 'keydown' | 'click' | null) =>
          page.evaluate(
            ([sel, on]) =>
              new Promise<number>((done) => {
                let t0 = 0;
                if (on) addEventListener(on, (e) => (t0 = e.timeStamp), { once: true, capture: true });
                const check = (): void => {
                  if (!document.querySelector(sel) || (on && t0 === 0)) return;
                  obs.disconnect();
                  requestAnimationFrame(() => done(performance.now() - t0));
                };
                const obs = new MutationObserver(check);
                obs.observe(document, { subtree: true, childList: true, attributes: true });
                check();
              }),
            [sel, on] as const,
          );
        let page!: Awaited<ReturnType<typeof browser.newPage>>;
        try {
          page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
          // tsx keeps function names with a helper the page does not have (functions passed to evaluate)
          await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
          // list open seen from inside the page: from the navigation's start to the frame after the
          // first rows are in the DOM, recorded by the page itself from its first line on (it used
          // to be read after Playwright's wait had seen the rows, which added two round trips to the
          // browser: 50 ms and more on a loaded machine)
          await page.addInitScript({
            content: `(() => {
              const obs = new MutationObserver(() => {
                if (!document.querySelector('[data-testid=activity-row]')) return;
                obs.disconnect();
                requestAnimationFrame(() => { globalThis.__rowsPainted = performance.now(); });
              });
              obs.observe(document, { subtree: true, childList: true });
            })();`,
          });
          await page.goto(host.pageUrl);
          await page.getByTestId('activity-row').first().waitFor({ timeout: 120_000 });
          const uiRounds = Math.max(3, Math.floor(rounds / 4));
          for (let i = 0; i < uiRounds; i++) {
            process.stderr.write(`  ui: Chromium round ${i + 1} of ${uiRounds}\n`);
            // open: a reload of the app to the first rows on screen (page, bundle, list query, render)
            uiOpen.push(
              await timeAsync(async () => {
                await page.reload();
                await page.getByTestId('activity-row').first().waitFor({ timeout: 120_000 });
              }),
            );
            inOpen.push(
              await page.evaluate(
                () =>
                  new Promise<number>((done) => {
                    const read = (): void => {
                      const at = (globalThis as { __rowsPainted?: number }).__rowsPainted;
                      if (at === undefined) requestAnimationFrame(read);
                      else done(at);
                    };
                    read();
                  }),
              ),
            );
            // a keystroke: from the key to the list showing the new count
            const search = page.getByTestId('activity-search');
            for (let k = 1; k <= SEARCH.length; k++) {
              // from the key to the list's answer painted
              uiKey.push(
                await timeAsync(async () => {
                  const answered = page.waitForResponse((r) => r.url().includes('/ipc/activities.page'), {
                    timeout: 120_000,
                  });
                  const seen = armed(
                    `[data-testid=activity-list][data-list-query="${SEARCH.slice(0, k)}"]`,
                    'keydown',
                  );
                  await search.press(SEARCH[k - 1]!);
                  await answered;
                  inKey.push(await seen);
                }),
              );
              // two frames for the page to settle before the next key: outside the measurement (they
              // were inside it, adding two frames, 33 ms at 60 Hz, to every keystroke)
              await page.evaluate(
                () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => ok(null)))),
              );
            }
            const cleared = page.waitForResponse((r) => r.url().includes('/ipc/activities.page'), {
              timeout: 120_000,
            });
            await search.fill('');
            await cleared;
            // switching activities: click → its feed's items on screen
            const rowsOnScreen = page.getByTestId('activity-row');
            for (let r = 0; r < 5; r++) {
              const row = rowsOnScreen.nth(r + (i % 2));
              const id = await row.getAttribute('data-activity-id');
              uiFeed.push(
                await timeAsync(async () => {
                  const seen = armed(
                    `[data-testid=feed][data-activity-id="${id}"] [data-testid=feed-item]`,
                    'click',
                  );
                  await page.locator(`[data-testid=activity-row][data-activity-id="${id}"]`).click();
                  // resolves in the frame after the feed's items are in the DOM
                  inFeed.push(await seen);
                }),
              );
            }
          }
        } finally {
          await host.close();
          await browser.close();
          await core.stop();
        }

        add('list open', 'SQLite direct (same SQL)', sqlOpen, 300);
        add('list open', 'core handler activities.page', coreOpen, 300, sqlOpen);
        add('list open', 'Chromium via browser host (reload → rows)', uiOpen, 300, sqlOpen);
        add('list open', 'Chromium in-page (navigation → rows painted)', inOpen, 300, sqlOpen);
        add('search key', 'SQLite direct (same SQL)', sqlKey, 50);
        add('search key', 'core handler activities.page', coreKey, 50, sqlKey);
        add('search key', 'Chromium via browser host (key → list)', uiKey, 50, sqlKey);
        add('search key', 'Chromium in-page (keydown → list painted)', inKey, 50, sqlKey);
        add('feed switch', 'SQLite direct (same SQL)', sqlFeed, 50);
        add('feed switch', 'core handler feed.get', coreFeed, 50, sqlFeed);
        add('feed switch', 'Chromium via browser host (click → feed)', uiFeed, 50, sqlFeed);
        add('feed switch', 'Chromium in-page (click event → feed painted)', inFeed, 50, sqlFeed);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      return rows;
    },
  };
}
