import type Database from 'better-sqlite3';
import type { NewHit, Revision } from '../types';

/** Hits (and revisions) as columns: field i of every array belongs to hit i. */
export interface HitBatch {
  id: string[];
  accountId: string[];
  messageId: string[];
  offerId: (string | null)[];
  token: string[];
  type: string[];
  recipientEmail: (string | null)[];
  occurredAt: string[];
  /** JSON */
  detail: string[];
  verdict: string[];
  /** JSON */
  reasons: string[];
  ipOwner: (string | null)[];
  ipPrefix: string[];
  uaFamily: (string | null)[];
  os: (string | null)[];
  /** JSON */
  signals: string[];
  revisions: { eventId: string[]; verdict: string[]; reasons: string[] };
}

export function encodeHitBatch(hits: readonly NewHit[], revisions?: readonly Revision[]): HitBatch;

/** per batch its hits' seqs (in order), and every account that got a seq */
export interface HitBatchResult {
  seqs: number[][];
  accounts: string[];
}

export function hitBatchWriter(db: Database.Database): (batches: readonly HitBatch[]) => HitBatchResult;
