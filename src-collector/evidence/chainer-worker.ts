import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Logger } from 'pino';
import { openPostgresStore } from '../store/postgres/index';
import { openSqliteStore } from '../store/sqlite/index';
import type { Store } from '../store/types';
import { EvidenceChainer } from './chainer';
import type { ChainerThreadData, FromChainerThread, LogLevel, ToChainerThread } from './chainer-protocol';
import { loadOrCreateEvidenceKey } from './key';

/**
 * The evidence chainer on a thread of its own (bundled as out/main/evidence-chainer-worker.js;
 * from source chainer-thread.ts bundles it on the fly). Everything the chain costs — pulling
 * what was committed, canonical JSON, SHA-256, the append transactions, signing — happens here,
 * on its own connection, so the thread that answers hits never waits for it. On Linux the thread
 * runs niced: under a burst of hits it takes the CPU the hit path leaves, and catches up after.
 */
const data = workerData as ChainerThreadData;
const port = parentPort;
if (!port) throw new Error('chainer worker started outside a worker thread');
const post = (m: FromChainerThread): void => port.postMessage(m);

if (process.platform === 'linux' && data.nice > 0) {
  try {
    // Linux: pid 0 is the calling thread only
    setPriority(0, data.nice);
  } catch {
    // not allowed: the chainer runs at the collector's priority
  }
}

function plain(v: unknown): unknown {
  if (v instanceof Error) return { type: v.name, message: v.message, stack: v.stack };
  if (v && typeof v === 'object' && !Array.isArray(v))
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const logAt =
  (level: LogLevel) =>
  (obj: unknown, msg?: string): void =>
    post({
      type: 'log',
      level,
      msg: typeof obj === 'string' ? obj : (msg ?? ''),
      data: typeof obj === 'object' && obj !== null ? (plain(obj) as Record<string, unknown>) : {},
    });
const log = { info: logAt('info'), warn: logAt('warn'), error: logAt('error') } as unknown as Pick<
  Logger,
  'warn' | 'error' | 'info'
>;

async function openOwnStore(): Promise<Store> {
  const s = data.store;
  // no LISTEN of its own: the collector forwards its own and the other instances' commits, and
  // a second listener would make every hit batch's notification wake two connections
  if (s.kind === 'postgres') return openPostgresStore({ url: chainerConnectionUrl(s.url), max: s.max, listen: false });
  // no hit writer thread of its own: this connection only reads events and appends to the chain
  return openSqliteStore({ file: s.file, synchronous: s.synchronous, writerThread: false });
}

/** the chainer's connections name themselves in pg_stat_activity (unless the URL names them already) */
function chainerConnectionUrl(url: string): string {
  const u = new URL(url);
  if (!u.searchParams.has('application_name')) u.searchParams.set('application_name', 'blitz-evidence-chainer');
  return u.toString();
}

let lastKick = 0;
const ready: Promise<{ store: Store; chainer: EvidenceChainer }> = (async () => {
  const store = await openOwnStore();
  const chainer = new EvidenceChainer({
    store,
    key: loadOrCreateEvidenceKey(data.keyFile),
    log,
    tsaUrl: data.tsaUrl,
    signEveryMs: data.signEveryMs,
    sweepEveryMs: data.sweepEveryMs,
    batch: data.batch,
    debounceMs: data.debounceMs,
    // the collector kicks at most every KICK_EVERY_MS while it commits hits
    pace: { busy: () => Date.now() - lastKick < 500, duty: data.duty, maxLagMs: data.maxLagMs },
  });
  chainer.start();
  return { store, chainer };
})();
ready.then(
  () => post({ type: 'ready' }),
  (e: unknown) => post({ type: 'failed', error: e instanceof Error ? e.message : String(e) }),
);

port.on('message', (m: ToChainerThread) => {
  void (async () => {
    if (m.type === 'kick') {
      lastKick = Date.now();
      const { chainer } = await ready;
      for (const a of m.accounts) chainer.kick(a);
      return;
    }
    try {
      const { store, chainer } = await ready;
      if (m.type === 'stop') {
        await chainer.stop();
        await store.close();
        post({ type: 'reply', id: m.id, ok: true, value: undefined });
        return;
      }
      const value =
        m.op === 'catchUp'
          ? await chainer.catchUp(m.accountId)
          : m.op === 'sign'
            ? await chainer.sign(m.accountId)
            : await chainer.flush(m.accountId).then(() => null);
      post({ type: 'reply', id: m.id, ok: true, value });
    } catch (e) {
      post({ type: 'reply', id: m.id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
  })().catch(() => undefined);
});
