import type { Logger } from 'pino';
import type { Store } from '../store/types';
import { EvidenceChainer } from './chainer';
import { buildEvidenceFile, type ExportOutcome, type ExportRequest } from './export';
import { defaultEvidenceKeyFile, loadOrCreateEvidenceKey, type EvidenceKey } from './key';

/** The Nachweisakte of a collector: the store's chain aggregate, the key, the chainer. */
export interface EvidenceServices {
  key: EvidenceKey;
  chainer: EvidenceChainer;
  /** chains and signs what is committed, then builds nachweis.json for the request */
  exportFor(req: ExportRequest): Promise<ExportOutcome>;
  /** stops the chainer; the store (and its chain) is closed by its owner */
  close(): Promise<void>;
}

export interface OpenEvidenceOptions {
  store: Store;
  /** the SQLite file (the key's default home is beside it); absent on PostgreSQL */
  sqliteFile?: string;
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
  const chainer = new EvidenceChainer({ store: opts.store, key, log: opts.log, tsaUrl, signEveryMs: opts.signEveryMs });
  if (opts.background !== false) chainer.start();
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
