import type { StoredSignedHead } from '../store/evidence/types';

/** How the chainer thread reaches the collector's data: its own connection(s), never the hit path's. */
export type ChainerThreadStore =
  | { kind: 'sqlite'; file: string; synchronous: 'FULL' | 'NORMAL' }
  | { kind: 'postgres'; url: string; max: number };

/** workerData of chainer-worker.ts */
export interface ChainerThreadData {
  store: ChainerThreadStore;
  keyFile: string;
  tsaUrl?: string;
  signEveryMs?: number;
  sweepEveryMs?: number;
  batch?: number;
  debounceMs?: number;
  /** share of the time the chainer may take while hits arrive (EvidenceChainer's pace) */
  duty: number;
  /** the pacing's bound on the chain's lag while hits arrive (EvidenceChainer's pace.maxLagMs) */
  maxLagMs?: number;
  /** Linux nice value of the thread (its own: setpriority on a thread id); 0 leaves it alone */
  nice: number;
}

export type ChainerCall = 'catchUp' | 'sign' | 'flush';

export type ToChainerThread =
  | { type: 'kick'; accounts: string[] }
  | { type: 'call'; id: number; op: ChainerCall; accountId: string }
  | { type: 'stop'; id: number };

export type LogLevel = 'info' | 'warn' | 'error';

export type FromChainerThread =
  | { type: 'ready' }
  | { type: 'failed'; error: string }
  | { type: 'reply'; id: number; ok: true; value: number | StoredSignedHead | null | undefined }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'log'; level: LogLevel; msg: string; data: Record<string, unknown> };
