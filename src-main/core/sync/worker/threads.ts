import { existsSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { err, ok, type Result } from '../../../../src-shared/result';
import type { CollectorError } from '../../collector/errors';
import { writerSide } from '../../cache/write-gate';
import type {
  FromWriter,
  PageReport,
  RunCollector,
  ThreadReady,
  ThreadsData,
  ToFetcher,
  ToWriter,
} from './protocol';

export interface ThreadsOptions {
  cacheFile: string;
  /** the UI's connection's write gate (Cache.writeGate): its writes go ahead of the next page */
  writeGate?: SharedArrayBuffer;
  /** nice value of both threads on Linux; default SYNC_NICE */
  nice?: number;
  /** 2: fetching and writing on threads of their own; 1: both on one thread. Default SYNC_THREADS */
  threads?: 1 | 2;
}

/**
 * The sync threads' nice value on Linux: a first sync gives way to the thread that answers the UI
 * when both want the CPU (weights about 3 : 1), and takes whatever the UI leaves idle.
 */
export const SYNC_NICE = 5;

/**
 * See ThreadsOptions.threads. Two wherever there are two cores: a page's check (JSON.parse of
 * 1.7 MB, ~8 ms) and its insert (~16 ms, as much as inserting prepared rows) then run at the same
 * time, and the collector is a hosted server elsewhere. While the collector on this machine took a
 * core of its own for its page reads, one thread was as fast; since it joins a page's events in
 * SQLite it needs about half (docs/scaling.md, „How the desktop syncs“; the bench's alternative
 * row measures the other count in the same run).
 */
export const SYNC_THREADS: 1 | 2 = availableParallelism() >= 2 ? 2 : 1;

export interface RunStats {
  pages: number;
  events: number;
  /** time the writer spent in page transactions */
  applyMs: number;
}

export interface RunOptions {
  collector: RunCollector;
  after: number;
  /** a first sync: pages go in through the bulk path and report only the activities they touched */
  history: boolean;
  pageSize: number;
  onPage(report: PageReport): void;
}

/** the pages the fetcher may have parsed ahead of the writer: enough to keep both busy */
export const MAX_AHEAD = 2;

/**
 * Where the worker's code is: beside the bundle (the Electron build emits sync-worker.js next to
 * index.js). Run from source (tests, `npm run web`, benchmarks) the entry is bundled here the same
 * way, once per process, with esbuild (which tsx brings): a worker thread does not inherit the
 * parent's TypeScript loader, and transforming each module in each thread took seconds on a
 * loaded machine before the first page.
 */
let sourceBuild: Promise<string> | null = null;
/** the worker's script, bundled first when run from source (benchmarks call it before the clock) */
export async function workerScript(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'sync-worker.js');
  if (existsSync(bundled)) return bundled;
  sourceBuild ??= (async () => {
    const { build } = await import('esbuild');
    // inside the checkout, so the bundle finds better-sqlite3 in node_modules
    const outfile = join(here, '../../../../node_modules/.cache/blitz', `sync-worker-${process.pid}.mjs`);
    await build({
      entryPoints: [join(here, 'entry.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
    });
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return sourceBuild;
}

/**
 * The sync's two threads, seen from the thread that serves the UI: one run at a time, each run
 * pulls from a cursor until the collector has nothing newer (or stop), reporting every committed
 * page. The threads live until close(), whatever collector the runs name, so neither a pull
 * after an SSE poke nor the first sync after the agent entered the collector waits for a thread
 * to start.
 */
export function createSyncThreads(o: ThreadsOptions) {
  const channel = new MessageChannel();
  const base: ThreadsData = {
    role: 'fetcher',
    cacheFile: o.cacheFile,
    writeGate: o.writeGate,
    nice: o.nice ?? SYNC_NICE,
  };
  const readyRoles = new Set<ThreadReady['role']>();
  let settleStarted: { resolve(): void; reject(e: Error): void } | null = null;
  const started = new Promise<void>((resolve, reject) => (settleStarted = { resolve, reject }));
  // nobody may be waiting for the start (the app does not): its failure then shows at the next pull
  started.catch(() => undefined);
  const heard = (m: ThreadReady): void => {
    readyRoles.add(m.role);
    if (readyRoles.has('fetcher') && readyRoles.has('writer')) settleStarted?.resolve();
  };
  let run = 0;
  let active: {
    run: number;
    stats: RunStats;
    opts: RunOptions;
    resolve(r: Result<RunStats, CollectorError>): void;
    reject(e: Error): void;
  } | null = null;
  let broken: Error | null = null;
  let workers: Worker[] = [];

  const idleWaiters = new Map<number, { resolve(): void; reject(e: Error): void }>();
  let idleId = 0;
  const fail = (e: Error): void => {
    // a writer that ended inside a page's transaction must not keep the UI's writes waiting
    if (o.writeGate) writerSide(o.writeGate).release();
    broken ??= e;
    settleStarted?.reject(broken);
    for (const w of idleWaiters.values()) w.reject(broken);
    idleWaiters.clear();
    const a = active;
    active = null;
    a?.reject(e);
  };
  const onWriter = (m: FromWriter): void => {
    if (m.t === 'ready') return heard(m);
    if (m.t === 'idle') {
      idleWaiters.get(m.id)?.resolve();
      idleWaiters.delete(m.id);
      return;
    }
    const a = active;
    if (!a || m.run !== a.run) return;
    if (m.t === 'page') {
      a.stats.pages++;
      a.stats.events += m.report.events;
      a.stats.applyMs += m.report.applyMs;
      a.opts.onPage(m.report);
      return;
    }
    active = null;
    if (m.failure !== null) a.reject(new Error(`cache apply failed: ${m.failure}`));
    else if (m.error) a.resolve(err(m.error));
    else a.resolve(ok(a.stats));
  };
  /**
   * The threads, once started. A run is posted at once, not when the writer has loaded its code
   * and opened the cache (a thread takes 0.3–0.5 s to start here): the first page is fetched
   * meanwhile and waits in the writer's port. A writer that cannot start fails the run.
   */
  const ready = (async (): Promise<{ fetcher: Worker; writer: Worker }> => {
    const file = await workerScript();
    const start = (role: ThreadsData['role'], peer: MessagePort | null): Worker => {
      const w = new Worker(file, {
        workerData: { ...base, role, peer },
        transferList: peer ? [peer] : [],
        // plain JavaScript: a TS loader of the parent (tsx, vitest) would only slow the start;
        // BLITZ_SYNC_CPU_PROF=<dir> writes a CPU profile per sync thread there (profiling only)
        execArgv: process.env['BLITZ_SYNC_CPU_PROF']
          ? ['--cpu-prof', '--cpu-prof-dir', process.env['BLITZ_SYNC_CPU_PROF']]
          : [],
      });
      w.on('error', fail);
      w.on('exit', (code) => fail(new Error(`sync thread exited (${code})`)));
      workers.push(w);
      return w;
    };
    const single = (o.threads ?? SYNC_THREADS) === 1;
    const fetcher = single ? start('both', null) : start('fetcher', channel.port1);
    const writer = single ? fetcher : start('writer', channel.port2);
    writer.on('message', onWriter);
    if (!single) fetcher.on('message', heard);
    return { fetcher, writer };
  })();
  ready.catch((e: unknown) => fail(e instanceof Error ? e : new Error(String(e))));

  return {
    /** resolves once both threads have loaded their code and the writer has opened the cache */
    started: (): Promise<void> => started,
    /** one run; rejects when a thread died or a page could not be applied (nothing of it is kept) */
    async pull(opts: RunOptions): Promise<Result<RunStats, CollectorError>> {
      if (broken) throw broken;
      if (active) throw new Error('sync run already in progress');
      const { fetcher } = await ready;
      if (broken) throw broken;
      const id = ++run;
      return new Promise((resolve, reject) => {
        active = { run: id, stats: { pages: 0, events: 0, applyMs: 0 }, opts, resolve, reject };
        fetcher.postMessage({
          t: 'pull',
          run: id,
          collector: opts.collector,
          after: opts.after,
          history: opts.history,
          pageSize: opts.pageSize,
          maxAhead: MAX_AHEAD,
        } satisfies ToFetcher);
      });
    },
    /**
     * resolves once the writer has done what it was given, e.g. the WAL checkpoint it makes after
     * a first sync was reported done (a benchmark measures nothing else meanwhile)
     */
    async idle(): Promise<void> {
      const { writer } = await ready;
      if (broken) throw broken;
      const id = ++idleId;
      await new Promise<void>((resolve, reject) => {
        idleWaiters.set(id, { resolve, reject });
        writer.postMessage({ t: 'idle', id } satisfies ToWriter);
      });
    },
    /** the current run ends after the page being applied (never inside a transaction) */
    stop(): void {
      if (!active) return;
      const id = active.run;
      void ready.then(({ fetcher, writer }) => {
        fetcher.postMessage({ t: 'stop', run: id } satisfies ToFetcher);
        writer.postMessage({ t: 'stop', run: id } satisfies ToWriter);
      });
    },
    get broken(): boolean {
      return broken !== null;
    },
    async close(): Promise<void> {
      broken ??= new Error('sync threads closed');
      await ready.catch(() => undefined);
      await Promise.all(workers.map((w) => w.terminate()));
      workers = [];
    },
  };
}
export type SyncThreads = ReturnType<typeof createSyncThreads>;
