/**
 * npm run profile:ui [-- --activities 100000 --events 1000000 --cache FILE --renderer DIR --trace DIR]
 *
 * (Calls on the browser host's WebSocket, /ipc-ws, are not in the page's resource timing: the ipc
 * column then says „(socket)“; the boot's first calls still go by POST and are listed.)
 *
 * Where the Chromium side of the activity list spends its time (issue 12; the figures themselves
 * come from `npm run bench -- --only ui`): the cache of the ui benchmark behind the browser host,
 * then for a reload, for each keystroke of a search and for each switch of activity a timeline from
 * inside the page (resource timing of the bundle and of each /ipc call, when the rows or the feed
 * are in the DOM, the frame after) and the renderer main thread's work from a Chromium trace
 * (script compile and evaluation, tasks, style, layout, paint), summed by kind.
 *
 * --cache FILE keeps the filled cache between runs (filling takes a minute or two); each run works
 * on a copy. --trace DIR writes the raw traces (open them in chrome://tracing or Perfetto).
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright-core';
import { fill } from '../bench/scenarios/ui-list';
import { createCore, createFileSecretStore } from '../src-main/core/index';
import { buildRenderer } from '../src-main/host/build-renderer';
import { RecordingNotifier } from '../src-main/host/recording-notifier';
import { startHost } from '../src-main/host/server';
import { CHROMIUM_ARGS } from '../test/support/chromium';

const { values } = parseArgs({
  options: {
    activities: { type: 'string', default: '100000' },
    events: { type: 'string', default: '1000000' },
    cache: { type: 'string' },
    renderer: { type: 'string' },
    trace: { type: 'string' },
    rounds: { type: 'string', default: '3' },
  },
});
const SEARCH = 'lindenstr';
const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { url?: string } };
}

/** the renderer main thread's complete events, summed by name (nested ones are counted inside their parents too) */
function summarise(trace: Buffer, label: string): void {
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }).traceEvents;
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return void console.log(`  ${label}: no renderer main thread in the trace`);
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur);
  const sums = new Map<string, { ms: number; n: number }>();
  for (const e of on) {
    const s = sums.get(e.name) ?? { ms: 0, n: 0 };
    s.ms += (e.dur ?? 0) / 1000;
    s.n++;
    sums.set(e.name, s);
  }
  const top = [...sums].sort((a, b) => b[1].ms - a[1].ms).slice(0, 18);
  console.log(
    `  ${label}: renderer main thread, ms summed by event (nested events counted in their parents too)`,
  );
  for (const [name, s] of top)
    console.log(`    ${name.padEnd(34)} ${s.ms.toFixed(1).padStart(8)} ms  ×${s.n}`);
}

async function traced<T>(browser: Browser, page: Page, label: string, fn: () => Promise<T>): Promise<T> {
  await browser.startTracing(page, {
    categories: [
      'devtools.timeline',
      'disabled-by-default-devtools.timeline',
      'v8',
      'v8.execute',
      'blink.user_timing',
      'loading',
    ],
  });
  const out = await fn();
  const buf = await browser.stopTracing();
  if (values.trace) {
    mkdirSync(values.trace, { recursive: true });
    writeFileSync(join(values.trace, `${label.replace(/\W+/g, '-')}.json`), buf);
  }
  summarise(buf, label);
  return out;
}

/** in the page: when the selector is first in the DOM and the frame after, from `from` (performance.now() scale) */
function seen(page: Page, sel: string) {
  return page.evaluate(
    (sel) =>
      new Promise<{ dom: number; painted: number }>((done) => {
        const check = (): void => {
          if (!document.querySelector(sel)) return;
          obs.disconnect();
          const dom = performance.now();
          requestAnimationFrame(() => setTimeout(() => done({ dom, painted: performance.now() })));
        };
        const obs = new MutationObserver(check);
        obs.observe(document, { subtree: true, childList: true, attributes: true });
        check();
      }),
    sel,
  );
}

interface Res {
  name: string;
  start: number;
  responseStart: number;
  end: number;
  bytes: number;
}
const resources = (page: Page, since: number): Promise<Res[]> =>
  page.evaluate(
    (since) =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => r.startTime >= since)
        .map((r) => ({
          name: new URL(r.name).pathname,
          start: r.startTime,
          responseStart: r.responseStart,
          end: r.responseEnd,
          bytes: r.encodedBodySize,
        })),
    since,
  );

const f = (n: number): string => n.toFixed(1).padStart(7);

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'blitz-profile-ui-'));
  try {
    const cacheFile = values.cache ?? join(work, 'filled.sqlite');
    if (!existsSync(cacheFile)) {
      mkdirSync(dirname(cacheFile), { recursive: true });
      const t0 = Date.now();
      fill(cacheFile, Number(values.activities), Number(values.events));
      console.log(`cache filled in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${cacheFile}`);
    }
    const dataDir = join(work, 'data');
    mkdirSync(dataDir);
    copyFileSync(cacheFile, join(dataDir, 'cache.sqlite'));
    const rendererDir = values.renderer ?? join(work, 'renderer');
    if (!values.renderer) await buildRenderer(rendererDir);

    const notifier = new RecordingNotifier();
    const core = createCore({
      dataDir,
      secrets: createFileSecretStore(join(dataDir, 'secrets.json'), quietLog),
      notifier,
      log: quietLog,
    });
    await core.start();
    const host = await startHost({ core, notifier, rendererDir });
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
      await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
      // the main thread's long tasks (> 50 ms) of each load: what stands between an answer and the
      // render that shows it (the event schema's evaluation was one, issue 12)
      await page.addInitScript({
        content: `globalThis.__longTasks = [];
          new PerformanceObserver((l) => { for (const e of l.getEntries()) __longTasks.push([e.startTime, e.duration]); })
            .observe({ type: 'longtask', buffered: true });`,
      });
      await page.goto(host.pageUrl);
      await page.getByTestId('activity-row').first().waitFor({ timeout: 120_000 });
      const rounds = Number(values.rounds);

      console.log('\nlist open (reload → first rows), ms from the navigation start:');
      for (let i = 0; i <= rounds; i++) {
        const run = async () => {
          await page.reload({ waitUntil: 'commit' });
          return seen(page, '[data-testid=activity-row]');
        };
        const rows = i === rounds ? await traced(browser, page, 'list open', run) : await run();
        const nav = await page.evaluate(() => {
          const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
          const long = (globalThis as { __longTasks?: [number, number][] }).__longTasks ?? [];
          return { doc: n.responseEnd, dcl: n.domContentLoadedEventEnd, long };
        });
        const res = await resources(page, 0);
        const parts = res
          .map((r) => `${r.name.replace(/^\/(assets|ipc)\//, '')} ${f(r.start)}→${f(r.end)} (${r.bytes} B)`)
          .join('\n      ');
        console.log(
          `  #${i}: document ${f(nav.doc)}, DOMContentLoaded ${f(nav.dcl)}, rows in DOM ${f(rows.dom)}, painted ${f(rows.painted)}\n      ${parts}` +
            `\n      long tasks: ${nav.long.map(([at, ms]) => `${f(at)} +${ms.toFixed(0)} ms`).join(', ') || 'none'}`,
        );
      }

      console.log(
        `\nsearch keys „${SEARCH}“ (keydown → answer → list in DOM → painted), ms after the keydown:`,
      );
      const search = page.getByTestId('activity-search');
      for (let r = 0; r < rounds; r++) {
        const keys = async () => {
          for (let k = 1; k <= SEARCH.length; k++) {
            const q = SEARCH.slice(0, k);
            const t0 = await page.evaluate(() => performance.now());
            const key = page.evaluate(
              () =>
                new Promise<number>((ok) =>
                  addEventListener('keydown', (e) => ok(e.timeStamp), { once: true, capture: true }),
                ),
            );
            const list = seen(page, `[data-testid=activity-list][data-list-query="${q}"]`);
            await search.press(SEARCH[k - 1]!);
            const [down, shown] = await Promise.all([key, list]);
            const ipc = (await resources(page, t0)).filter((x) => x.name.includes('activities.page'));
            console.log(
              `  ${q.padEnd(10)} ipc ${ipc.map((x) => `${f(x.start - down)}→${f(x.end - down)}`).join(', ') || '(socket)'}  in DOM ${f(shown.dom - down)}  painted ${f(shown.painted - down)}`,
            );
          }
        };
        if (r === rounds - 1) await traced(browser, page, 'search keys', keys);
        else await keys();
        await search.fill('');
        await page.waitForSelector('[data-testid=activity-list][data-list-query=""]');
      }

      console.log('\nfeed switch (click → feed items in DOM → painted), ms after the click event:');
      const ids = await page
        .getByTestId('activity-row')
        .evaluateAll((els) => els.slice(0, 8).map((e) => e.getAttribute('data-activity-id') ?? ''));
      const clicks = async () => {
        for (const id of ids) {
          const t0 = await page.evaluate(() => performance.now());
          const click = page.evaluate(
            () =>
              new Promise<number>((ok) =>
                addEventListener('click', (e) => ok(e.timeStamp), { once: true, capture: true }),
              ),
          );
          const shown = seen(page, `[data-testid=feed][data-activity-id="${id}"] [data-testid=feed-item]`);
          await page.locator(`[data-testid=activity-row][data-activity-id="${id}"]`).click();
          const [at, s] = await Promise.all([click, shown]);
          const ipc = (await resources(page, t0)).filter((x) => x.name.includes('/ipc/'));
          console.log(
            `  ${id.slice(0, 8)} ${ipc.map((x) => `${x.name.slice(5)} ${f(x.start - at)}→${f(x.end - at)}`).join(', ') || 'ipc (socket)'}  in DOM ${f(s.dom - at)}  painted ${f(s.painted - at)}`,
          );
        }
      };
      await clicks();
      await traced(browser, page, 'feed switches', clicks);
    } finally {
      await browser.close();
      await host.close();
      await core.stop();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
