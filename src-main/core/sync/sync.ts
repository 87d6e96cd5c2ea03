import type { CoreLogger, CoreTiming } from '../api';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import { listenToStream, type SseListener } from '../collector/sse';
import { CURSOR_KEY, type AppliedChange } from './apply';
import { ok, type Result } from '../../../src-shared/result';
import type { CollectorError } from '../collector/errors';
import { pullFirstPage, PULL_PAGE_SIZE } from './pull';
import { dropDeletedEvents } from './tombstones';
import type { PageReport } from './worker/protocol';
import { createSyncThreads, type SyncThreads } from './worker/threads';

export const INITIAL_SYNC_DONE_KEY = 'sync.initialDone';
export const LAST_SYNC_KEY = 'sync.lastAt';
/**
 * The event stream's reconnect is what notices the collector being back (and ends the offline
 * banner). Its backoff doubling up to minutes kept the banner ~30 s after a short outage; while
 * the collector does not answer at all, one attempt a second costs it nothing (a refused connect).
 */
export const STREAM_RECONNECT_MAX_MS = 1_000;

export interface SyncDeps {
  cache: Cache;
  collector(): CollectorClient | null;
  timing: CoreTiming;
  log: CoreLogger;
  /** newly applied changes of one page; `history` while the very first sync catches up */
  onApplied(changes: AppliedChange[], newActivities: string[], history: boolean): void;
  /** `reachable` is null until the first answer or failure: a sync still starting is not an outage */
  onStatus(s: { reachable: boolean | null; syncing: boolean; lastSyncAt: string | null }): void;
}

/** How far a pull is: events applied so far and, when the collector tells its newest seq, the rest. */
export interface SyncProgress {
  events: number;
  /** at most this many events and registrations are still to come (null: the collector does not say) */
  remaining: number | null;
  /** at the rate so far (null until there is a rate and a rest) */
  etaSeconds: number | null;
}

/** progress reaches the UI at most this often (a first sync applies several pages a second) */
const PROGRESS_EVERY_MS = 250;

/** pages seen before a time estimate is shown */
const ETA_AFTER_PAGES = 3;
/** the rate behind the estimate: the pages of about this long a time before the newest */
const ETA_WINDOW_MS = 3_000;

/**
 * The estimate of a pull's remaining time, from the rate of its recent pages. The rate since the
 * pull's start made the first estimate of a 1,000,000-event first sync 70 s for a sync of
 * ~6 s: the first page's wait (the request, the collector's first read) counted as if every page
 * took as long. None until a few pages came.
 */
export function etaEstimate(now: () => number = () => performance.now()) {
  const seen: { at: number; events: number }[] = [];
  return {
    /** after a page: events so far, what remains; the estimate in seconds, or null */
    page(events: number, remaining: number | null): number | null {
      const at = now();
      seen.push({ at, events });
      while (seen.length > 2 && at - seen[1]!.at >= ETA_WINDOW_MS) seen.shift();
      if (remaining === null || seen.length < ETA_AFTER_PAGES) return null;
      const first = seen[0]!;
      const rate = (events - first.events) / Math.max(1, at - first.at);
      return rate > 0 ? Math.ceil(remaining / rate / 1000) : null;
    },
  };
}

/**
 * Keeps the cache in step with the collector: pulls from the stored cursor at start, on every
 * SSE poke and on a slow poll; backs off while the collector is unreachable.
 */
export function createSync(deps: SyncDeps) {
  const { cache, timing, log } = deps;
  let running = false;
  let again = false;
  let stopped = true;
  let failures = 0;
  let retryTimer: NodeJS.Timeout | null = null;
  let pollTimer: NodeJS.Timeout | null = null;
  let stream: SseListener | null = null;
  let streamGeneration = 0;
  let reachable: boolean | null = null;
  let syncing = false;
  let current: Promise<void> = Promise.resolve();
  let threads: SyncThreads | null = null;
  let progress: SyncProgress | null = null;
  let progressAt = 0;

  /**
   * The fetching and writing threads, started once (or again after one died). A thread takes
   * 0.3–0.5 s to load its code and open the cache; started with the core (prestart), a first sync
   * after the agent entered the collector begins with its first page instead.
   */
  function syncThreads(): SyncThreads {
    if (!threads || threads.broken) {
      void threads?.close();
      threads = createSyncThreads({ cacheFile: cache.db.name, writeGate: cache.writeGate });
    }
    return threads;
  }

  const status = () =>
    deps.onStatus({ reachable, syncing, lastSyncAt: cache.meta.get<string>(LAST_SYNC_KEY) });

  async function pullAll(): Promise<boolean> {
    const client = deps.collector();
    if (!client) return true;
    const history = cache.meta.get<boolean>(INITIAL_SYNC_DONE_KEY) !== true;
    syncing = true;
    const eta = etaEstimate();
    progress = { events: 0, remaining: null, etaSeconds: null };
    status();
    // the writer thread checkpoints the WAL; a small write of the UI must not end up doing it
    cache.autoCheckpoint(false);
    // a first sync tells the UI which activities changed once, not per page: every reload of the
    // activity list counts their events, which grow by thousands per page
    const touched = new Set<string>();
    const flushTouched = (created: string[]): void => {
      if (touched.size === 0 && created.length === 0) return;
      const ids = [...new Set([...created, ...touched])];
      touched.clear();
      deps.onApplied([], ids, true);
    };
    try {
      const onPage = (r: PageReport): void => {
        reachable = true;
        if (history) {
          for (const id of r.touched) touched.add(id);
          if (r.newActivities.length > 0) flushTouched(r.newActivities);
        } else if (r.changes.length > 0 || r.newActivities.length > 0) {
          deps.onApplied(r.changes, r.newActivities, history);
        }
        const p = progress ?? { events: 0, remaining: null, etaSeconds: null };
        p.events += r.events;
        p.remaining = r.lastSeq === null ? null : Math.max(0, r.lastSeq - r.cursor);
        p.etaSeconds = eta.page(p.events, p.remaining);
        progress = p;
        if (performance.now() - progressAt >= PROGRESS_EVERY_MS) {
          progressAt = performance.now();
          status();
        }
      };
      // a poke's pull is mostly one small page: applied on this thread, without the hops between
      // threads; a full page means more is waiting, and the threads take over from its cursor
      let res: Result<unknown, CollectorError> = ok(null);
      let more = true;
      if (!history) {
        const one = await pullFirstPage(cache, client, PULL_PAGE_SIZE);
        if (one.ok) {
          if (one.value.report) onPage(one.value.report);
          more = one.value.more && !stopped;
        } else {
          res = one;
          more = false;
        }
      }
      if (more)
        res = await syncThreads().pull({
          collector: { baseUrl: client.baseUrl, token: client.token, timeoutMs: timing.requestTimeoutMs },
          after: cache.meta.get<number>(CURSOR_KEY) ?? 0,
          history,
          pageSize: PULL_PAGE_SIZE,
          onPage,
        });
      flushTouched([]);
      if (!res.ok) {
        log.warn({ code: res.error.code, detail: res.error.detail }, 'sync: pull failed');
        reachable = !res.error.transient && res.error.status !== undefined;
        return false;
      }
      reachable = true;
      // issue 17: what retention or an erasure deleted on the collector leaves this cache too
      const dropped = await dropDeletedEvents(cache, client);
      if (!dropped.ok)
        log.warn({ code: dropped.error.code, detail: dropped.error.detail }, 'sync: tombstones not read');
      else if (dropped.value.activities.length > 0) deps.onApplied([], dropped.value.activities, true);
      cache.tx(() => {
        // a pull stopped half-way through the history is still history when it resumes
        if (history && !stopped) cache.meta.set(INITIAL_SYNC_DONE_KEY, true);
        cache.meta.set(LAST_SYNC_KEY, new Date().toISOString());
      });
      return true;
    } finally {
      flushTouched([]);
      cache.autoCheckpoint(true);
      syncing = false;
      progress = null;
    }
  }

  function poke(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    current = (async () => {
      let okAll = true;
      try {
        do {
          again = false;
          okAll = await pullAll();
        } while (again && okAll && !stopped);
      } catch (e) {
        okAll = false;
        log.error({ err: e instanceof Error ? e.message : String(e) }, 'sync: apply failed');
      } finally {
        running = false;
      }
      status();
      if (stopped) return;
      if (okAll) {
        failures = 0;
      } else {
        const delay = Math.min(
          timing.syncBackoffMaxMs,
          timing.syncBackoffBaseMs * 2 ** Math.min(failures, 20),
        );
        failures++;
        retryTimer = setTimeout(poke, delay);
      }
    })();
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      const client = deps.collector();
      if (!client) return;
      poke();
      // The stream is only a poke. It opens after the first pull and resumes from the cursor:
      // opened from nothing it would replay the account's whole history as SSE frames.
      const generation = ++streamGeneration;
      void current.then(() => {
        if (stopped || generation !== streamGeneration) return;
        stream = listenToStream({
          url: client.streamUrl,
          token: client.token,
          resumeFrom: () => cache.meta.get<number>(CURSOR_KEY) ?? 0,
          onPoke: poke,
          onConnection: (up, detail) => {
            if (!up) log.info({ detail }, 'sync: event stream down');
            if (up !== reachable) {
              reachable = up;
              status();
            }
          },
          backoffBaseMs: timing.syncBackoffBaseMs,
          backoffMaxMs: timing.syncBackoffMaxMs,
          unreachableMaxMs: STREAM_RECONNECT_MAX_MS,
        });
      });
      pollTimer = setInterval(poke, timing.pollIntervalMs);
    },
    poke,
    /** starts the sync's threads now, so that the first pull does not wait for them */
    prestart(): void {
      syncThreads();
    },
    /** waits for the pull in progress (tests, shutdown) */
    idle: () => current,
    /** null while nothing has answered or failed yet (the first pull's threads are starting) */
    isReachable: (): boolean | null => reachable,
    isSyncing: () => syncing,
    /** the pull in progress, null when none */
    progress: (): SyncProgress | null => (progress ? { ...progress } : null),
    /** ends the pull in progress after its current page and pulls no more; the threads stay */
    async stop(): Promise<void> {
      stopped = true;
      threads?.stop();
      streamGeneration++;
      stream?.stop();
      stream = null;
      if (retryTimer) clearTimeout(retryTimer);
      if (pollTimer) clearInterval(pollTimer);
      retryTimer = pollTimer = null;
      await current.catch(() => undefined);
    },
    /** stop, and the threads end */
    async close(): Promise<void> {
      await this.stop();
      const t = threads;
      threads = null;
      await t?.close();
    },
  };
}
export type Sync = ReturnType<typeof createSync>;
