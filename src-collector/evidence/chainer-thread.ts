import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { StoredSignedHead } from '../store/evidence/types';
import type { Store } from '../store/types';
import { DEFAULT_MAX_LAG_MS, type Chainer } from './chainer';
import type { ChainerCall, ChainerThreadData, FromChainerThread, ToChainerThread } from './chainer-protocol';

/** nice value of the chainer thread on Linux (BLITZ_EVIDENCE_NICE): background work yields to hits */
export const CHAINER_NICE = 10;

/**
 * events per append transaction on the thread: on SQLite the hit writer waits while an append
 * holds the write lock, so each append stays a few milliseconds long (2000 took 70–800 ms)
 */
export const CHAINER_THREAD_BATCH = Number(process.env.BLITZ_EVIDENCE_BATCH) || 250;

/**
 * While hits arrive the thread takes at most this share of the time for chaining
 * (BLITZ_EVIDENCE_DUTY); after the burst it catches up at full speed. 3 %: at 10 % the chain
 * still cost PostgreSQL's hit path a quarter of its hits/s (issue 16: its backend work is not
 * niced as the thread is); what a burst leaves behind is chained right after it.
 */
export const CHAINER_DUTY = Math.min(1, Number(process.env.BLITZ_EVIDENCE_DUTY) || 0.03);

/**
 * A long burst does not leave the chain further behind than about this (BLITZ_EVIDENCE_MAX_LAG_MS,
 * default 30 s): once behind that long, the thread appends without pausing until caught up.
 */
export const CHAINER_MAX_LAG_MS = Number(process.env.BLITZ_EVIDENCE_MAX_LAG_MS) || DEFAULT_MAX_LAG_MS;
const KICK_EVERY_MS = 100;

let sourceBuild: Promise<string> | null = null;
/**
 * The worker's script: beside the bundle (the Electron build emits evidence-chainer-worker.js
 * next to index.js); run from source (tsx, tests, benchmarks) chainer-worker.ts is bundled with
 * esbuild (which tsx brings), as a worker thread does not inherit the parent's TypeScript loader.
 * The bundle is kept in node_modules/.cache/blitz and reused by later processes while none of its
 * inputs changed: every collector a test starts would otherwise bundle it again.
 */
export async function chainerWorkerScript(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'evidence-chainer-worker.js');
  if (existsSync(bundled)) return bundled;
  sourceBuild ??= (async () => {
    const root = join(here, '../..');
    // inside the checkout, so the bundle finds better-sqlite3 and postgres in node_modules
    const cache = join(root, 'node_modules/.cache/blitz');
    const manifestFile = join(cache, 'evidence-chainer.json');
    const fresh = cachedBundle(manifestFile, root);
    if (fresh) return fresh;
    const { build } = await import('esbuild');
    const outfile = join(cache, `evidence-chainer-${process.pid}-${Date.now()}.mjs`);
    const built = await build({
      entryPoints: [join(here, 'chainer-worker.ts')],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'error',
      metafile: true,
      absWorkingDir: root,
    });
    const manifest: BundleManifest = { bundle: outfile, inputs: Object.keys(built.metafile.inputs), builtAt: Date.now() };
    // written whole, then renamed: another process reads the old manifest or the new one
    const tmp = `${manifestFile}.${process.pid}`;
    writeFileSync(tmp, JSON.stringify(manifest));
    renameSync(tmp, manifestFile);
    return outfile;
  })();
  return sourceBuild;
}

interface BundleManifest {
  bundle: string;
  /** paths relative to the checkout */
  inputs: string[];
  builtAt: number;
}

/** the cached bundle when it exists and none of its inputs changed after it was built */
function cachedBundle(manifestFile: string, root: string): string | null {
  try {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as BundleManifest;
    if (!existsSync(m.bundle)) return null;
    // a second's margin: a file saved in the same second as the build counts as changed
    for (const f of m.inputs) if (statSync(join(root, f)).mtimeMs >= m.builtAt - 1000) return null;
    return m.bundle;
  } catch {
    return null;
  }
}

export interface ChainerThreadOptions {
  /** the collector's store: its commits wake the thread (the thread reads through its own connection) */
  store: Store;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  data: ChainerThreadData;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
}

/**
 * The collector's handle on its chainer thread (chainer-worker.ts): forwards which accounts
 * committed (coalesced per turn of the event loop) and the export's flush; restarts the thread
 * when it dies. The chain's guarantees are the EvidenceChainer's, unchanged: it runs there.
 */
export class ChainerThread implements Chainer {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly dirty = new Set<string>();
  private sendScheduled = false;
  private readonly unsubscribe: (() => void)[] = [];
  private stopped = false;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly o: ChainerThreadOptions) {}

  start(): void {
    this.unsubscribe.push(this.o.store.onCommitted((acc) => this.kick(acc)));
    this.unsubscribe.push(
      this.o.store.onEventsChanged((c) => {
        if (c.kind === 'account') this.kick(c.accountId);
        // 'all' (a lost LISTEN): the thread's sweep (every 5 s) looks at every account
      }),
    );
    void this.spawn().catch(() => undefined);
  }

  kick(accountId: string): void {
    if (this.stopped) return;
    this.dirty.add(accountId);
    if (this.sendScheduled) return;
    this.sendScheduled = true;
    // one message per KICK_EVERY_MS at most: the thread gathers writes for a second anyway
    setTimeout(() => {
      this.sendScheduled = false;
      const accounts = [...this.dirty];
      this.dirty.clear();
      if (this.worker) this.post({ type: 'kick', accounts });
      // not running yet: the thread's first sweep finds every account
    }, KICK_EVERY_MS).unref();
  }

  catchUp(accountId: string): Promise<number> {
    return this.call('catchUp', accountId) as Promise<number>;
  }

  sign(accountId: string): Promise<StoredSignedHead | null> {
    return this.call('sign', accountId) as Promise<StoredSignedHead | null>;
  }

  async flush(accountId: string): Promise<void> {
    await this.call('flush', accountId);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const u of this.unsubscribe) u();
    const w = await this.starting?.catch(() => null);
    if (!w) return;
    const id = this.nextId++;
    // the thread finishes its append and closes its connection; a hung one is ended after 10 s
    await Promise.race([
      new Promise<unknown>((resolve, reject) => {
        this.pending.set(id, { resolve, reject });
        w.postMessage({ type: 'stop', id } satisfies ToChainerThread);
      }).catch(() => undefined),
      new Promise((r) => setTimeout(r, 10_000).unref()),
    ]);
    await w.terminate();
  }

  private async call(op: ChainerCall, accountId: string): Promise<unknown> {
    if (this.stopped) throw new Error('evidence chainer stopped');
    const w = await this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ type: 'call', id, op, accountId } satisfies ToChainerThread);
    });
  }

  private post(m: ToChainerThread): void {
    this.worker?.postMessage(m);
  }

  private spawn(): Promise<Worker> {
    this.starting ??= chainerWorkerScript().then((script) => {
      const w = new Worker(script, { workerData: this.o.data, execArgv: [] });
      w.on('message', (m: FromChainerThread) => this.onMessage(m));
      w.on('error', (e) => this.o.log.error({ err: e }, 'evidence chain: thread failed'));
      w.on('exit', (code) => this.onExit(w, code));
      this.worker = w;
      return w;
    });
    return this.starting;
  }

  private onMessage(m: FromChainerThread): void {
    if (m.type === 'log') this.o.log[m.level](m.data, m.msg);
    else if (m.type === 'failed') this.o.log.error({ error: m.error }, 'evidence chain: thread could not start');
    else if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.value);
      else p?.reject(new Error(m.error));
    }
  }

  private onExit(w: Worker, code: number): void {
    if (this.worker !== w) return;
    this.worker = null;
    this.starting = null;
    for (const p of this.pending.values()) p.reject(new Error(`evidence chain thread exited (${code})`));
    this.pending.clear();
    if (this.stopped) return;
    // what it had not chained is still after the cursor: a new thread goes on from there
    this.o.log.error({ code }, 'evidence chain: thread exited, restarting in 1 s');
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopped) void this.spawn().catch(() => undefined);
    }, 1000);
    this.restartTimer.unref();
  }
}
