import type { CoreLogger, CoreTiming } from '../api';
import type { Cache } from '../cache';
import type { CollectorClient } from '../collector/client';
import { listenToStream, type SseListener } from '../collector/sse';
import { CURSOR_KEY, type AppliedChange } from './apply';
import { pullPages } from './pull';

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
  onStatus(s: { reachable: boolean; syncing: boolean; lastSyncAt: string | null }): void;
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
  let reachable = false;
  let syncing = false;
  let current: Promise<void> = Promise.resolve();

  const status = () =>
    deps.onStatus({ reachable, syncing, lastSyncAt: cache.meta.get<string>(LAST_SYNC_KEY) });

  async function pullAll(): Promise<boolean> {
    const client = deps.collector();
    if (!client) return true;
    const history = cache.meta.get<boolean>(INITIAL_SYNC_DONE_KEY) !== true;
    syncing = true;
    status();
    try {
      const res = await pullPages({
        cache,
        client,
        stopped: () => stopped,
        onPage: (r) => {
          reachable = true;
          if (r.changes.length > 0 || r.newActivities.length > 0)
            deps.onApplied(r.changes, r.newActivities, history);
        },
      });
      if (!res.ok) {
        log.warn({ code: res.error.code, detail: res.error.detail }, 'sync: pull failed');
        reachable = !res.error.transient && res.error.status !== undefined;
        return false;
      }
      reachable = true;
      cache.tx(() => {
        // a pull stopped half-way through the history is still history when it resumes
        if (history && !stopped) cache.meta.set(INITIAL_SYNC_DONE_KEY, true);
        cache.meta.set(LAST_SYNC_KEY, new Date().toISOString());
      });
      return true;
    } finally {
      syncing = false;
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
    /** waits for the pull in progress (tests, shutdown) */
    idle: () => current,
    isReachable: () => reachable,
    isSyncing: () => syncing,
    async stop(): Promise<void> {
      stopped = true;
      streamGeneration++;
      stream?.stop();
      stream = null;
      if (retryTimer) clearTimeout(retryTimer);
      if (pollTimer) clearInterval(pollTimer);
      retryTimer = pollTimer = null;
      await current.catch(() => undefined);
    },
  };
}
export type Sync = ReturnType<typeof createSync>;
