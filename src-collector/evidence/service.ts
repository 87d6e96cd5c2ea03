import type { Logger } from 'pino';
import { openEvidenceStore } from '../store/evidence/open';
import type { EvidenceChainStore } from '../store/evidence/types';
import type { Store } from '../store/types';
import { EvidenceChainer } from './chainer';
import { buildEvidenceFile, type ExportOutcome, type ExportRequest } from './export';
import { defaultEvidenceKeyFile, loadOrCreateEvidenceKey, type EvidenceKey } from './key';

/** The Nachweisakte beside a collector: chain store, key, chainer. */
export interface EvidenceServices {
  chain: EvidenceChainStore;
  key: EvidenceKey;
  chainer: EvidenceChainer;
  /** chains and signs what is committed, then builds nachweis.json for the request */
  exportFor(req: ExportRequest): Promise<ExportOutcome>;
  close(): Promise<void>;
}

export interface OpenEvidenceOptions {
  store: Store;
  sqliteFile?: string;
  databaseUrl?: string;
  synchronous?: 'FULL' | 'NORMAL';
  log: Pick<Logger, 'warn' | 'error' | 'info'>;
  /** default BLITZ_EVIDENCE_KEY, else beside the SQLite file, else ./blitz-evidence-key.pem */
  keyFile?: string;
  /** default BLITZ_TSA_URL */
  tsaUrl?: string;
  signEveryMs?: number;
  /** false: no background chaining (the CLI chains once, on export) */
  background?: boolean;
}

export async function openEvidenceServices(opts: OpenEvidenceOptions): Promise<EvidenceServices> {
  const key = loadOrCreateEvidenceKey(opts.keyFile ?? defaultEvidenceKeyFile(opts.databaseUrl ? undefined : opts.sqliteFile));
  const chain = await openEvidenceStore(opts);
  const tsaUrl = opts.tsaUrl ?? (process.env.BLITZ_TSA_URL || undefined);
  const chainer = new EvidenceChainer({ store: opts.store, chain, key, log: opts.log, tsaUrl, signEveryMs: opts.signEveryMs });
  if (opts.background !== false) chainer.start();
  return {
    chain,
    key,
    chainer,
    exportFor: async (req) => {
      await chainer.flush(req.accountId);
      return buildEvidenceFile(chain, key, req);
    },
    close: async () => {
      await chainer.stop();
      await chain.close();
    },
  };
}
