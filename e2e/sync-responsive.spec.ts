import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { fillSqlite, SMALL_EVENTS, type Filled } from '../bench/scenarios/fill';
import { startServer, TSX } from '../bench/lib/proc';
import { expect, screenshot, test as stackTest, waitFor } from './support/fixtures';

/**
 * The UI during a first sync of a large account: the sync's pages are fetched, parsed and written
 * off the core's event loop, so the core keeps answering the renderer. The account holds two small
 * messages (registered first, so their activities appear with the first page) and a large one
 * with EVENTS events; while the history streams in, the agent clicks from one small activity to
 * the other. Every click's answer from the core (its feed.get) must take at most 100 ms, and the
 * typical click (the median, measured in the page from the click to the feed's items in the DOM)
 * too. A click that arrives while the core's event loop stands still waits before its feed.get
 * starts, so the loop's stalls during the clicks are bounded as well (STALL_MS, LONG_STALL_MS).
 */
// large enough that the first sync outlasts the clicks: 400,000 now sync within ~2.5 s, and in
// CI once before the tenth click. Only clicks made while the sync runs count (see below).
const EVENTS = 1_000_000;
const SMALL = ['klein-a', 'klein-b'];
const CLICKS = 10;
/** fewer clicks inside the sync than this and the test says the sync was too quick to judge */
const MIN_CLICKS = 6;
/** the bound for one click's answer */
const ANSWER_MS = 100;
/**
 * The core's event loop during the clicks. A click landing in a stall waits for it. The stalls
 * this caught (a write on the UI's connection waiting for the sync writer's lock after every
 * page) came again and again: 0.1–0.5 s each on a quiet machine, seconds on a loaded one. This
 * process also runs Playwright's side and shares two cores with the other worker's test in CI,
 * where single stalls of 113–157 ms were seen with the fix: so at most one stall above STALL_MS is
 * allowed, and none above LONG_STALL_MS. Of eight runs with the bug on a quiet machine, this
 * fails five; test/core/cache/outbox-wake.test.ts holds that bug itself every time.
 */
const STALL_MS = 250;
const LONG_STALL_MS = 500;
/** how often the stall watch ticks */
const TICK_MS = 10;
/**
 * A write of the UI's thread during the sync (a draft saved as the compose view saves it) waits
 * for the page the writer is in, not for the rest of the sync (src-main/core/cache/write-gate.ts):
 * without the gate single writes waited 1–2.7 s here. One page takes 10–60 ms on a quiet machine.
 */
const WRITE_MAX_MS = 250;
const DRAFT_ID = '00000000-0000-4000-8000-00000000d2a1';

/** records every stretch in which a timer of TICK_MS could not run for longer than STALL_MS */
function watchStalls(): { stop(): number[] } {
  const stalls: number[] = [];
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last - TICK_MS > STALL_MS) stalls.push(now - last - TICK_MS);
    last = now;
  }, TICK_MS);
  return {
    stop() {
      clearInterval(timer);
      return stalls;
    },
  };
}

/** a collector of its own process (as a hosted one is) on a SQLite file holding the large account */
interface LargeAccount {
  url: string;
  filled: Filled;
}

const test = stackTest.extend<object, { largeAccount: LargeAccount }>({
  largeAccount: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = mkdtempSync(join(tmpdir(), 'blitz-e2e-sync-'));
      const db = join(dir, 'collector.db');
      const filled = await fillSqlite(db, EVENTS, SMALL);
      // its page reads must not share the core's thread; its start-up line carries the URL
      const server = await startServer([...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db], {
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
      });
      await use({ url: server.url, filled });
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker', timeout: 240_000 },
  ],
});
test.use({ stack: 'sync-responsive' });

/** clicks the activity's row and resolves with the ms until its feed items are in the DOM */
function clickAndMeasure(page: Page, activityId: string, items: number): Promise<number> {
  return page.evaluate(
    ({ id, n }) =>
      new Promise<number>((resolve, reject) => {
        const row = document.querySelector<HTMLElement>(
          `[data-testid="activity-row"][data-activity-id="${id}"]`,
        );
        if (!row) return reject(new Error(`no row ${id}`));
        const shown = (): boolean =>
          document.querySelectorAll(
            `[data-testid="feed"][data-activity-id="${id}"] [data-testid="feed-item"]`,
          ).length >= n;
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (!shown()) return;
          observer.disconnect();
          resolve(performance.now() - t0);
        });
        observer.observe(document.body, { childList: true, subtree: true });
        row.click();
        setTimeout(() => {
          observer.disconnect();
          reject(new Error(`feed of ${id} not shown after 5 s`));
        }, 5000);
      }),
    { id: activityId, n: items },
  );
}

test('answers clicks within 100 ms while a first sync of 1,000,000 events runs, and shows its progress', async ({
  app,
  agentPage: page,
  largeAccount,
}) => {
  test.setTimeout(400_000);
  // a mail account is only stored here (nothing is sent in this test)
  const mail = await app.core.dispatch('settings.saveMailAccount', {
    fromName: 'Vera Volumen',
    fromEmail: 'v@bench.example',
    smtp: { host: '127.0.0.1', port: 9, security: 'starttls', user: 'v', password: 'x' },
    imap: { host: '127.0.0.1', port: 9, security: 'starttls', user: 'v', password: 'x' },
  });
  expect(mail.ok).toBe(true);

  // the core's part of each click: the time its dispatch of feed.get takes, queueing included
  // (an event loop busy with the sync would show here first)
  const coreFeedMs: number[] = [];
  // and of each write the test makes meanwhile (drafts.save, below)
  const coreWriteMs: number[] = [];
  const dispatch = app.core.dispatch.bind(app.core);
  app.core.dispatch = (async (op: Parameters<typeof dispatch>[0], args: unknown) => {
    const t0 = performance.now();
    const r = await dispatch(op, args);
    if (op === 'feed.get') coreFeedMs.push(performance.now() - t0);
    if (op === 'drafts.save') coreWriteMs.push(performance.now() - t0);
    return r;
  }) as typeof app.core.dispatch;

  const col = await app.core.dispatch('settings.saveCollector', {
    url: largeAccount.url,
    token: largeAccount.filled.token,
  });
  expect(col.ok).toBe(true);
  await page.goto(app.host.pageUrl);
  await page.getByTestId('activity-list').waitFor();
  // the small activities come with the first page; the large history is still on its way
  for (const id of SMALL)
    await page.locator(`[data-testid="activity-row"][data-activity-id="${id}"]`).waitFor({ timeout: 60_000 });
  await page.getByTestId('sync-progress').waitFor({ timeout: 30_000 });

  const syncStatus = async (): Promise<{ syncing: boolean; events: number; remaining: number }> => {
    const s = await app.core.dispatch('status.get', {});
    if (!s.ok) throw new Error('status');
    const p = s.value.syncProgress;
    return { syncing: s.value.syncing, events: p?.events ?? 0, remaining: p?.remaining ?? 0 };
  };
  // the progress while the history streams in: a count so far and an estimate of what is left
  const early = await syncStatus();
  expect(early.syncing).toBe(true);
  expect(early.events).toBeGreaterThan(0);
  expect(early.events).toBeLessThan(EVENTS + SMALL.length * SMALL_EVENTS);
  expect(early.remaining).toBeGreaterThan(0);
  await expect(page.getByTestId('sync-progress')).toContainText(/Ereignisse geladen, noch etwa [\d.]+/);
  await screenshot(page, 'sync-first-sync-progress');

  // the core runs in this process: its event loop's stalls while the clicks are made
  const watch = watchStalls();
  const times: number[] = [];
  let lastSubject = '';
  // the first feed each activity shows runs its code for the first time (JIT, the schemas'
  // first parse, the renderer's first Feed): not what the sync costs, so not counted
  for (const id of SMALL) await clickAndMeasure(page, id, SMALL_EVENTS);
  coreFeedMs.length = 0;
  // a click counts only if the sync still ran after its answer: on a fast machine the sync may
  // end early, and a click after it proves nothing
  for (let i = 0; i < CLICKS; i++) {
    const feedBefore = coreFeedMs.length;
    const writesBefore = coreWriteMs.length;
    const ms = await clickAndMeasure(page, SMALL[i % 2]!, SMALL_EVENTS);
    // the agent also writes meanwhile: the compose view saves a draft as they type
    lastSubject = `Rückruf wegen Besichtigung (${i + 1})`;
    const draft = await app.core.dispatch('drafts.save', {
      id: DRAFT_ID,
      to: [{ email: 'dora@kunde.example', name: 'Dora Kunde' }],
      cc: [],
      bcc: [],
      subject: lastSubject,
      html: `<p>Hallo Frau Kunde,</p><p>Entwurf ${i + 1}</p>`,
      track: null,
      individually: false,
    });
    expect(draft.ok).toBe(true);
    const after = await syncStatus();
    if (!after.syncing) {
      coreFeedMs.length = feedBefore;
      coreWriteMs.length = writesBefore;
      break;
    }
    times.push(ms);
    // a moment between clicks, as a person clicks, so they spread over the sync
    await new Promise((r) => setTimeout(r, 150));
  }
  const stalls = watch.stop();
  expect(
    times.length,
    `only ${times.length} clicks fell inside the first sync of ${EVENTS} events`,
  ).toBeGreaterThanOrEqual(MIN_CLICKS);
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  console.log(
    `click → feed during the first sync (ms): ${times.map((t) => t.toFixed(0)).join(', ')}; ` +
      `the core's feed.get (ms): ${coreFeedMs.map((t) => t.toFixed(0)).join(', ')}; ` +
      `the core's drafts.save (ms): ${coreWriteMs.map((t) => t.toFixed(0)).join(', ')}; ` +
      `the core's event-loop stalls over ${STALL_MS} ms: ${stalls.map((t) => t.toFixed(0)).join(', ') || 'none'}`,
  );
  expect(
    stalls.length,
    'the core’s event loop stood still again and again while the sync ran',
  ).toBeLessThanOrEqual(1);
  expect(Math.max(0, ...stalls), 'the core’s event loop stood still while the sync ran').toBeLessThanOrEqual(
    LONG_STALL_MS,
  );
  // the core answers every click within the bound; end to end (Chromium drawing included, which
  // shares the two cores with everything else on a loaded machine) the typical click does
  expect(coreFeedMs.length).toBeGreaterThanOrEqual(times.length);
  expect(Math.max(...coreFeedMs)).toBeLessThanOrEqual(ANSWER_MS);
  expect(median).toBeLessThanOrEqual(ANSWER_MS);
  // the writes waited for a page at most, not for the sync
  expect(coreWriteMs.length).toBeGreaterThanOrEqual(times.length);
  expect(
    Math.max(...coreWriteMs),
    'a draft saved during the sync waited for the sync writer',
  ).toBeLessThanOrEqual(WRITE_MAX_MS);
  const writeMedian = [...coreWriteMs].sort((a, b) => a - b)[Math.floor(coreWriteMs.length / 2)]!;
  expect(writeMedian).toBeLessThanOrEqual(ANSWER_MS);
  // the last draft saved is the one stored
  const stored = await app.core.dispatch('drafts.get', { id: DRAFT_ID });
  expect(stored.ok && stored.value.subject).toBe(lastSubject);

  // the sync then completes: the progress line goes
  await waitFor(
    async () => {
      const s = await app.core.dispatch('status.get', {});
      return s.ok && !s.value.syncing && s.value.lastSyncAt !== null;
    },
    'the first sync to finish',
    240_000,
  );
  await page.getByTestId('sync-progress').waitFor({ state: 'detached' });
});
