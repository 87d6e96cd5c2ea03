import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { eventsPageBody } from '../../src-collector/routes/api';
import { openStore } from '../../src-collector/store/open';
import type { Viewer } from '../../src-collector/store/types';
import { openCache } from '../../src-main/core/cache';
import { BULK_AUTOCHECKPOINT_PAGES } from '../../src-main/core/cache/db';
import { PULL_PAGE_SIZE } from '../../src-main/core/sync/pull';
import { startServer, TSX } from '../lib/proc';
import { median } from '../lib/stats';

/**
 * What the machine can do with the first sync's data in the same run, each part alone:
 * (a) the collector's store reading the pages with its keyset query and encoding them to the
 *     page JSON it sends (no HTTP), (b) SQLite inserting the same cache rows into an empty cache
 *     (same schema, indexes and settings, one transaction per page), (c) loopback HTTP moving the
 *     same bytes page by page. A sync that overlaps all three perfectly takes max(a, b, c); one
 *     that does them one after the other takes at least (a) + (b).
 */
export interface SyncRoundFigures {
  syncMs: number;
  /** the sync's limits: the mean of those measured right before and right after it (bracketRounds) */
  readMs: number;
  insertMs: number;
  httpMs: number;
  /** the two measurements the limits are the mean of (absent in a JSON from before s16) */
  before?: SyncLimits;
  after?: SyncLimits;
}

/** (a), (b) and (c) as one measurement of them gives them */
export interface SyncLimits {
  readMs: number;
  insertMs: number;
  httpMs: number;
}

/**
 * Each sync against the mean of the limits measured right before it and right after it:
 * `limits[i]` came before `syncs[i]` and `limits[i + 1]` after it (the runs alternate
 * L₀ S₁ L₁ S₂ L₂ …). The same work's CPU time drifts by up to half within minutes on this virtual
 * machine; a sync compared only with the limits after it was judged against a spell it may not
 * have run in (s16: a round's sync 6.1 s beside limits that had got faster again). Averaged over
 * both sides, a drift during the round weighs on the sync and on its limits alike.
 */
export function bracketRounds(syncs: readonly number[], limits: readonly SyncLimits[]): SyncRoundFigures[] {
  if (limits.length !== syncs.length + 1)
    throw new Error(
      `${syncs.length} syncs need ${syncs.length + 1} limit measurements, not ${limits.length}`,
    );
  const mean = (x: number, y: number): number => (x + y) / 2;
  // only the three limits go into the JSON (a measurement may carry more, e.g. its page sizes)
  const own = ({ readMs, insertMs, httpMs }: SyncLimits): SyncLimits => ({ readMs, insertMs, httpMs });
  return syncs.map((syncMs, i) => {
    const before = own(limits[i]!);
    const after = own(limits[i + 1]!);
    return {
      syncMs,
      readMs: mean(before.readMs, after.readMs),
      insertMs: mean(before.insertMs, after.insertMs),
      httpMs: mean(before.httpMs, after.httpMs),
      before,
      after,
    };
  });
}

/**
 * (a)'s work on one connection to the collector's SQLite file: `pass()` reads every page as the
 * pull route builds it for a first sync, timed.
 */
async function openPageReader(collectorDb: string, viewer: Viewer) {
  const opened = await openStore({ file: collectorDb });
  if (!opened.ok) throw new Error(opened.error.message);
  const store = opened.value;
  if (!store.pullEventsJson) throw new Error('the SQLite store builds page JSON');
  const pullEventsJson = store.pullEventsJson.bind(store);
  return {
    async pass(): Promise<{ ms: number; sizes: number[]; sample: string }> {
      const sizes: number[] = [];
      let sample = '';
      const t0 = performance.now();
      let after = 0;
      for (;;) {
        // in the shape a first sync asks for (src-shared/event-rows.ts)
        const page = await pullEventsJson(viewer, after, PULL_PAGE_SIZE, 'rows');
        const body = eventsPageBody(page, 'rows');
        sizes.push(body.length);
        if (sample === '') sample = body.toString('utf8');
        if (page.eventCount === 0 && page.messages.length === 0) break;
        after = page.next;
      }
      return { ms: performance.now() - t0, sizes, sample };
    },
    close: () => store.close(),
  };
}

/**
 * (a): every page, as the pull route builds it for a first sync, from the collector's SQLite file.
 * Timed on the second pass over one connection: the collector of the sync had been over the pages
 * once before it (volume.ts, warmCollector), and a connection's first pass pays for touching its
 * memory map and growing its heap (~0.6 s of 2.1 s here), which the sync's collector did not.
 */
export async function limitRead(
  collectorDb: string,
  viewer: Viewer,
): Promise<{ ms: number; coldMs: number; sizes: number[]; sample: string }> {
  const reader = await openPageReader(collectorDb, viewer);
  try {
    const cold = await reader.pass();
    const warm = await reader.pass();
    return { ...warm, coldMs: cold.ms };
  } finally {
    await reader.close();
  }
}

/** (a) and (b) run at the same time (limitPair): each one's own time beside the other */
export interface PairLimits {
  readMs: number;
  insertMs: number;
}

/**
 * (a) and (b) at the same time, (a) on this thread and (b) on a thread of its own, each timed as
 * when it runs alone (a's second pass over its connection; b's inserts only). What the two cost
 * side by side on this machine: a first sync cannot overlap them better than max of the two. On
 * the build machine each made the other up to 1.9 × slower (a beside b 3.1–3.2 s against 1.7–2.4
 * s alone, and 1.7–1.8 s beside a thread that only computes: s19), which a limit measured alone
 * does not show.
 */
export async function limitPair(
  syncedCache: string,
  collectorDb: string,
  viewer: Viewer,
): Promise<PairLimits> {
  const reader = await openPageReader(collectorDb, viewer);
  const inserter = new Worker(
    new URL('../../src-main/core/properties/tsx-worker-boot.mjs', import.meta.url),
    {
      workerData: { entry: new URL('../lib/limit-insert-worker.ts', import.meta.url).href, syncedCache },
    },
  );
  try {
    const ready = new Promise<void>((resolve, reject) => {
      inserter.once('message', () => resolve());
      inserter.once('error', reject);
    });
    // the connection's first pass outside the clock, as in limitRead
    await reader.pass();
    await ready;
    const inserted = new Promise<number>((resolve, reject) => {
      inserter.once('message', (m: { ms: number }) => resolve(m.ms));
      inserter.once('error', reject);
    });
    inserter.postMessage('go');
    const read = await reader.pass();
    return { readMs: read.ms, insertMs: await inserted };
  } finally {
    await inserter.terminate();
    await reader.close();
  }
}

/**
 * (b): the rows the sync stored (read back from its cache, page by page, outside the clock) into
 * a new, empty cache through the sync's statement for pages of the rows shape, one transaction per
 * page. Only the inserts count.
 * `wal`: the WAL setting of the cache as configured (a checkpoint every 160 MB, on the inserting
 * thread: the limit), or the one the sync's writer uses during a first sync
 * (BULK_AUTOCHECKPOINT_PAGES: none until 1 GiB; printed beside it for comparison).
 */
export function limitInsert(syncedCache: string, wal: 'usual' | 'bulk'): number {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-limit-b-'));
  const src = new Database(syncedCache, { readonly: true });
  const cache = openCache(join(dir, 'cache.sqlite'));
  if (wal === 'bulk') cache.db.pragma(`wal_autocheckpoint = ${BULK_AUTOCHECKPOINT_PAGES}`);
  try {
    const read = src.prepare<[number, number], { rows: string | null; last: number | null }>(
      // local_id follows seq on a first sync (rows are inserted in seq order); the page of the rows
      // shape the sync received, each body an object in its row, as the sync's statement takes it
      `SELECT '{"rows":' || json_group_array(json_array(id, seq, collector_message_id, type, recipient_email,
           occurred_at, verdict, json(body))) || '}' AS rows, MAX(local_id) AS last
         FROM (SELECT * FROM events WHERE local_id > ? ORDER BY local_id LIMIT ?)`,
    );
    let ms = 0;
    let after = 0;
    for (;;) {
      const page = read.get(after, PULL_PAGE_SIZE);
      if (!page || page.last === null || page.rows === null) break;
      const rows = page.rows;
      const t0 = performance.now();
      cache.tx(() => cache.events.insertRowsFromPageJson(rows));
      ms += performance.now() - t0;
      after = page.last;
    }
    return ms;
  } finally {
    src.close();
    cache.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (c): the same page sizes over loopback HTTP from a server that only sends bytes, one page at a time */
export async function limitHttp(sizes: readonly number[], sample: string): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'blitz-limit-c-'));
  const sizesFile = join(dir, 'sizes.json');
  const sampleFile = join(dir, 'sample.json');
  writeFileSync(sizesFile, JSON.stringify(sizes));
  writeFileSync(sampleFile, sample);
  // a session of its own, as the collector's in the sync rows (bench/lib/proc.ts, ownSession)
  const server = await startServer(
    [...TSX, 'bench/servers/page-bytes.ts', sizesFile, sampleFile],
    {},
    {
      ownSession: true,
    },
  );
  try {
    // one warm-up request opens the keep-alive connection, as the sync's first page does
    await fetch(`${server.url}/p/0`).then((r) => r.arrayBuffer());
    const t0 = performance.now();
    for (let i = 0; i < sizes.length; i++) {
      const body = await fetch(`${server.url}/p/${i}`).then((r) => r.arrayBuffer());
      if (body.byteLength !== sizes[i]) throw new Error(`page ${i}: ${body.byteLength} of ${sizes[i]} bytes`);
    }
    return performance.now() - t0;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** a round's ratios: to max(a, b, c) (a perfectly overlapped pipeline) and to (a) + (b) */
export function roundRatios(f: SyncRoundFigures): { toLimit: number; toSerial: number } {
  return {
    toLimit: f.syncMs / Math.max(f.readMs, f.insertMs, f.httpMs),
    toSerial: f.syncMs / (f.readMs + f.insertMs),
  };
}

/**
 * `sync 1,000,000 from empty: 9.1 s = 1.42 × limit, 0.71 × serial`: the medians of the rounds'
 * sync times and ratios, then, for more than one round, each round's ratio to serial
 */
export function syncHeadline(events: number, rounds: readonly SyncRoundFigures[]): string {
  const ratios = rounds.map(roundRatios);
  const head = `sync ${events.toLocaleString('en')} from empty: ${(median(rounds.map((r) => r.syncMs)) / 1000).toFixed(1)} s = ${median(ratios.map((r) => r.toLimit)).toFixed(2)} × limit, ${median(ratios.map((r) => r.toSerial)).toFixed(2)} × serial`;
  if (rounds.length < 2) return head;
  return `${head} (medians of ${rounds.length} rounds; × serial per round: ${ratios.map((r) => r.toSerial.toFixed(2)).join(', ')})`;
}
