/**
 * Where a first sync's time goes beyond its limits (issue 22): the same events, in the same run,
 * through pipelines that add one part of the sync at a time, each against (a) + (b) of its round
 * (bench/scenarios/sync-limits.ts). Every pipeline hands each page to a writing thread that inserts
 * it as the sync's writer does (bench/lib/overlap-writer.ts: the rows shape, the first sync's WAL
 * setting), at most MAX_AHEAD pages ahead of it:
 *   overlap        the collector's store read in this thread ((a)'s work: keyset query, page JSON),
 *                  no HTTP, no check: the two limits overlapped as well as two threads can here
 *   + check        the same, each page checked as a first sync checks it (checkBulkPageBytes)
 *   + HTTP         the pages from the collector's process over loopback HTTP, through the sync's
 *                  own client, no check; each page asked for as soon as the previous one's cursor
 *                  is in its headers, so the collector reads ahead without waiting for the writer
 *                  (the sync asks for one page beyond the one it checks, and not while the writer
 *                  holds MAX_AHEAD pages)
 *   + HTTP + check the sync's work with that read-ahead, without its threads' protocol
 *   sync           the first sync itself (createSyncThreads), as the volume bench runs it
 * Rounds alternate the order. The collector database is sync-profile's (filled once, then reused).
 * `npx tsx bench/sync-overlap.ts [--events 1000000] [--rounds 3] [--out test-results/profiles/sync1m]`
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { eventsPageBody } from '../src-collector/routes/api';
import { openStore } from '../src-collector/store/open';
import { ok } from '../src-shared/result';
import { openCache } from '../src-main/core/cache';
import { createCollectorClient } from '../src-main/core/collector/client';
import { checkBulkPageBytes } from '../src-main/core/sync/page-check';
import { PULL_PAGE_SIZE } from '../src-main/core/sync/pull';
import { pagePool } from '../src-main/core/sync/worker/fetcher';
import { createSyncThreads, MAX_AHEAD, workerScript } from '../src-main/core/sync/worker/threads';
import { startServer, TSX } from './lib/proc';
import { syncSeed } from './lib/sync-seed';
import { median } from './lib/stats';
import { waitForChain } from './scenarios/chain-wait';
import { limitInsert, limitRead } from './scenarios/sync-limits';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: 'test-results/profiles/sync1m' },
  },
});
const n = Number(values.events);
const rounds = Number(values.rounds);
// sync-profile's database; its copy whose evidence chain has caught up, else a fresh one (waited for below)
const { seed, db, filled } = await syncSeed(values.out, n);
const viewer = { id: filled.userId, accountId: filled.accountId, role: 'admin' as const };
const fresh = !existsSync(db);
if (fresh) copyFileSync(seed, db);

type Page = { bytes: Uint8Array; next: number; empty: boolean };
/** where a pipeline's pages come from; `give`: a page's buffer back once the writer is done with it */
type Source = { page: (after: number) => Promise<Page>; give?: (buffer: ArrayBuffer) => void };

/** pages from `source` into a new cache by the writing thread; returns the time and the writer's busy time */
async function pipeline(cacheFile: string, source: Source): Promise<{ ms: number; busyMs: number }> {
  const writer = new Worker(new URL('../src-main/core/properties/tsx-worker-boot.mjs', import.meta.url), {
    workerData: { entry: new URL('./lib/overlap-writer.ts', import.meta.url).href, file: cacheFile },
  });
  let inFlight = 0;
  let wake: (() => void) | null = null;
  let ended: ((busyMs: number) => void) | null = null;
  await new Promise<void>((r) => writer.once('message', () => r()));
  writer.on('message', (m: { t: 'ack'; buffer: ArrayBuffer } | { t: 'end'; busyMs: number }) => {
    if (m.t === 'ack') {
      source.give?.(m.buffer);
      inFlight--;
      wake?.();
    } else ended?.(m.busyMs);
  });
  try {
    const t0 = performance.now();
    let after = 0;
    for (;;) {
      const page = await source.page(after);
      if (page.empty) break;
      while (inFlight >= MAX_AHEAD) await new Promise<void>((r) => (wake = r));
      inFlight++;
      writer.postMessage({ page: page.bytes }, [page.bytes.buffer as ArrayBuffer]);
      if (page.next <= after) break;
      after = page.next;
    }
    const busyMs = await new Promise<number>((r) => {
      ended = r;
      writer.postMessage({ end: true });
    });
    return { ms: performance.now() - t0, busyMs };
  } finally {
    await writer.terminate();
  }
}

/** a page's bytes as a first sync checks them: the quick path must take them */
function checked(bytes: Uint8Array): void {
  const r = checkBulkPageBytes(bytes);
  if (!r.ok || r.value.pageJson !== bytes)
    throw new Error(`page not taken by the quick check: ${JSON.stringify(r).slice(0, 200)}`);
}

const opened = await openStore({ file: db });
if (!opened.ok) throw new Error(opened.error.message);
const store = opened.value;
const pullEventsJson = store.pullEventsJson?.bind(store);
if (!pullEventsJson) throw new Error('the SQLite store builds page JSON');
/** pages read from the store in this thread, as the pull route builds them */
const fromStore = (check: boolean): Source => ({
  page: async (after) => {
    // the read is synchronous: let the writer's acknowledgements in first, as a socket's wait would
    await new Promise<void>((r) => setImmediate(r));
    const page = await pullEventsJson(viewer, after, PULL_PAGE_SIZE, 'rows');
    const bytes = new Uint8Array(eventsPageBody(page, 'rows'));
    if (check) checked(bytes);
    return { bytes, next: page.next, empty: page.eventCount === 0 && page.messages.length === 0 };
  },
});

const server = await startServer(
  [...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db],
  { DATABASE_URL: '', LOG_LEVEL: 'info' },
  { ownSession: true },
);
/** pages over HTTP through the sync's client; the next one is asked for once its cursor is in the headers */
const fromHttp = (check: boolean): Source => {
  const client = createCollectorClient({ baseUrl: server.url, token: filled.token, timeoutMs: 120_000 });
  const pool = pagePool();
  const ahead = new Map<number, Promise<Page>>();
  const request = (after: number): Promise<Page> => {
    const p = client
      .pullEventsBytesChecked(
        after,
        PULL_PAGE_SIZE,
        (bytes) => {
          if (check) checked(bytes);
          return ok(bytes);
        },
        {
          shape: 'rows',
          alloc: pool.take,
          onNext: (next) => {
            if (next > after && !ahead.has(next)) ahead.set(next, request(next));
          },
        },
      )
      .then((r): Page => {
        if (!r.ok) throw new Error(`pull failed: ${r.error.code}`);
        const bytes = Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
        const m = /"next":(\d+)/.exec(bytes.toString('latin1', Math.max(0, bytes.length - 80)));
        // the collector's answer starts `{"rows":[`; `{"rows":[]` is a page without events
        return { bytes: r.value, next: m ? Number(m[1]) : after, empty: bytes[9] === 0x5d };
      });
    return p;
  };
  return {
    page: (after) => {
      const p = ahead.get(after) ?? request(after);
      ahead.delete(after);
      return p;
    },
    give: pool.give,
  };
};

/** the first sync itself, as the volume bench runs it (threads started before the clock) */
async function sync(cacheFile: string): Promise<{ ms: number; busyMs: number }> {
  const cache = openCache(cacheFile);
  const th = createSyncThreads({ cacheFile, nice: 0, threads: 2 });
  try {
    await th.started();
    const t0 = performance.now();
    const r = await th.pull({
      collector: { baseUrl: server.url, token: filled.token, timeoutMs: 120_000 },
      after: 0,
      history: true,
      pageSize: PULL_PAGE_SIZE,
      onPage: () => undefined,
    });
    if (!r.ok) throw new Error(`sync failed: ${r.error.code}`);
    return { ms: performance.now() - t0, busyMs: r.value.applyMs };
  } finally {
    await th.close();
    cache.close();
  }
}

const variants: { name: string; run: (cacheFile: string) => Promise<{ ms: number; busyMs: number }> }[] = [
  { name: 'overlap (store read → writer)', run: (f) => pipeline(f, fromStore(false)) },
  { name: '+ check', run: (f) => pipeline(f, fromStore(true)) },
  { name: '+ HTTP', run: (f) => pipeline(f, fromHttp(false)) },
  { name: '+ HTTP + check', run: (f) => pipeline(f, fromHttp(true)) },
  { name: 'sync (its threads)', run: sync },
];
const dir = mkdtempSync(join(tmpdir(), 'blitz-sync-overlap-'));
const results = new Map<string, { ms: number[]; busy: number[]; toSerial: number[] }>(
  variants.map((v) => [v.name, { ms: [], busy: [], toSerial: [] }]),
);
const limits = { a: [] as number[], b: [] as number[] };
try {
  await workerScript();
  if (fresh) await waitForChain(db, filled.accountId);
  // one pass over the pages first, as the volume bench warms its collector, and one over this
  // thread's store connection (its first pass touches its memory map: limitRead, sync-limits.ts)
  await pipeline(join(dir, 'warm.db'), fromHttp(false));
  for (let after = 0, page = await fromStore(false).page(0); !page.empty && page.next > after;) {
    after = page.next;
    page = await fromStore(false).page(after);
  }
  for (let round = 0; round < rounds; round++) {
    const order = variants.map((_, i) => variants[(i + round) % variants.length]!);
    const times = new Map<string, { ms: number; busyMs: number }>();
    let synced = '';
    for (const v of order) {
      const file = join(dir, `r${round}-${variants.indexOf(v)}.db`);
      times.set(v.name, await v.run(file));
      if (v.run === sync) synced = file;
      else for (const f of ['', '-wal', '-shm']) rmSync(file + f, { force: true });
    }
    const a = (await limitRead(db, viewer)).ms;
    const b = limitInsert(synced, 'usual');
    limits.a.push(a);
    limits.b.push(b);
    for (const [name, t] of times) {
      const r = results.get(name)!;
      r.ms.push(t.ms);
      r.busy.push(t.busyMs);
      r.toSerial.push(t.ms / (a + b));
    }
    process.stderr.write(
      `round ${round + 1}: (a) ${(a / 1000).toFixed(1)} s, (b) ${(b / 1000).toFixed(1)} s; ${[...times].map(([k, t]) => `${k} ${(t.ms / 1000).toFixed(1)} s`).join(', ')}\n`,
    );
  }
  const s = (ms: number) => (ms / 1000).toFixed(2);
  console.log(
    `\n${n.toLocaleString('en')} events, ${rounds} rounds; (a) ${limits.a.map(s).join(', ')} s; (b) ${limits.b.map(s).join(', ')} s\n`,
  );
  console.log(
    '| pipeline | s per round | median s | writer busy, median s | × (a) + (b), median (per round) |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const v of variants) {
    const r = results.get(v.name)!;
    console.log(
      `| ${v.name} | ${r.ms.map(s).join(', ')} | ${s(median(r.ms))} | ${s(median(r.busy))} | ${median(r.toSerial).toFixed(2)} (${r.toSerial.map((x) => x.toFixed(2)).join(', ')}) |`,
    );
  }
} finally {
  await server.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
