import type { Logger } from 'pino';
import type { Store } from '../store/types';
import { EvidenceChainer, type Chainer } from './chainer';
import { CHAINER_DUTY, CHAINER_MAX_LAG_MS, CHAINER_NICE, CHAINER_THREAD_BATCH, ChainerThread } from './chainer-thread';
import type { ChainerThreadStore } from './chainer-protocol';
import { buildEvidenceFile, type ExportOutcome, type ExportRequest } from './export';
import { defaultEvidenceKeyFile, loadOrCreateEvidenceKey, type EvidenceKey } from './key';

/** The Nachweisakte of a collector: the store's chain aggregate, the key, the chainer. */
export interface EvidenceServices {
  key: EvidenceKey;
  chainer: Chainer;
  /** chains and signs what is committed, then builds nachweis.json for the request */
  exportFor(req: ExportRequest): Promise<ExportOutcome>;
  /** stops the chainer; the store (and its chain) is closed by its owner */
  close(): Promise<void>;
}

export interface OpenEvidenceOptions {
  store: Store;
  /** the SQLite file (the key's default home is beside it); absent on PostgreSQL */
  sqliteFile?: string;
  /** the store's SQLite setting, for the chainer thread's own connection */
  synchronous?: 'FULL' | 'NORMAL';
  /** the PostgreSQL store's URL: the chainer thread opens a small pool of its own */
  databaseUrl?: string;
  /**
   * chain on a thread of its own with its own connection (default, BLITZ_EVIDENCE_THREAD=0 turns
   * it off); a store without a file or URL (':memory:', handed in) is chained on this thread
   */
  thread?: boolean;
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** default BLITZ_EVIDENCE_KEY, else beside the SQLite file, else ./blitz-evidence-key.pem */
  keyFile?: string;
  /** default BLITZ_TSA_URL */
  tsaUrl?: string;
  signEveryMs?: number;
  /** false: no background chaining (the CLI chains once, on export) */
  background?: boolean;
}

export function openEvidenceServices(opts: OpenEvidenceOptions): EvidenceServices {
  const key = loadOrCreateEvidenceKey(opts.keyFile ?? defaultEvidenceKeyFile(opts.sqliteFile));
  const tsaUrl = opts.tsaUrl ?? (process.env.BLITZ_TSA_URL || undefined);
  const background = opts.background !== false;
  const own = threadStore(opts);
  const chainer: Chainer =
    background && own && opts.thread !== false && process.env.BLITZ_EVIDENCE_THREAD !== '0'
      ? new ChainerThread({
          store: opts.store,
          log: opts.log,
          data: {
            store: own,
            keyFile: key.file,
            tsaUrl,
            signEveryMs: opts.signEveryMs,
            batch: CHAINER_THREAD_BATCH,
            duty: CHAINER_DUTY,
            maxLagMs: CHAINER_MAX_LAG_MS,
            // SQLite: not niced, the thread shares the write lock with the hit writer, and a niced
            // thread preempted while holding it stalled the hits (priority inversion at load 30);
            // the pacing keeps its share small
            nice: Number(process.env.BLITZ_EVIDENCE_NICE ?? (own.kind === 'postgres' ? CHAINER_NICE : 0)) || 0,
          },
        })
      : new EvidenceChainer({ store: opts.store, key, log: opts.log, tsaUrl, signEveryMs: opts.signEveryMs });
  if (background) chainer.start();
  return {
    key,
    chainer,
    exportFor: async (req) => {
      await chainer.flush(req.accountId);
      return buildEvidenceFile(opts.store, key, req);
    },
    close: () => chainer.stop(),
  };
}

/** where a chainer thread finds the store through a connection of its own, if it can */
function threadStore(o: OpenEvidenceOptions): ChainerThreadStore | null {
  if (o.databaseUrl) return { kind: 'postgres', url: o.databaseUrl, max: 2 };
  if (o.sqliteFile && o.sqliteFile !== ':memory:')
    return { kind: 'sqlite', file: o.sqliteFile, synchronous: o.synchronous ?? 'FULL' };
  return null;
}
