/**
 * The evidence chain, an aggregate of the collector's Store (`Store.evidenceChain`, issue 16,
 * docs/evidence.md): one linear chain per account of hashed records, the chainer's cursor into
 * the account's event sequence, signed heads (kept, never edited) and their RFC 3161 timestamps.
 * Implemented per dialect on the store's own connection (sqlite/evidence-chain.ts,
 * postgres/evidence-chain.ts); it touches only the evidence_* tables. What it chains (events,
 * offers, confirmations) the chainer reads through the other aggregates after they committed,
 * so the hit write path is untouched.
 */
export interface EvidenceChainStore {
  head(accountId: string): Promise<ChainHead>;
  /**
   * Appends `entries` after the head in ONE transaction holding the account's chain lock, and
   * moves the event cursor to `eventSeq`. `'moved'` (nothing written) when the head is no longer
   * at `expectedPosition`: another writer appended first; read again and retry.
   */
  append(
    accountId: string,
    expectedPosition: number,
    entries: readonly NewChainEntry[],
    eventSeq: number,
  ): Promise<'ok' | 'moved'>;
  /** ids of the offers or legal confirmations the account's chain holds already */
  chainedIds(accountId: string, kind: 'offer' | 'legal_confirmation' | 'consent'): Promise<Set<string>>;

  /** the newest signed head, or null */
  lastSignedHead(accountId: string): Promise<StoredSignedHead | null>;
  /**
   * Under the chain lock: when the chain has grown past the newest signed head, calls `sign`
   * with the current head and stores what it returns. Null when there was nothing new to sign.
   */
  signHead(
    accountId: string,
    sign: (head: { position: number; link: string }) => { head: string; signature: string; signedAt: string },
  ): Promise<StoredSignedHead | null>;
  addTimestamp(accountId: string, position: number, tsa: string, response: string, at: string): Promise<void>;
  /** signed heads with position >= from (all when from is 1), ascending, with their timestamps */
  signedHeads(accountId: string, from: number): Promise<StoredSignedHead[]>;

  /** the records about `email` (lower case), optionally of one message only, ascending */
  recordsAbout(accountId: string, email: string, filter: RecordFilter): Promise<StoredChainEntry[]>;
  /** record hashes of positions from..to, ascending */
  hashes(accountId: string, from: number, to: number): Promise<string[]>;
  /** the link at `position` (GENESIS for 0) */
  linkAt(accountId: string, position: number): Promise<string>;
}

export interface ChainHead {
  position: number;
  link: string;
  /** the last event sequence number chained */
  eventSeq: number;
}

export interface NewChainEntry {
  ref: string;
  kind: string;
  messageId: string | null;
  /** lower-case addresses the record is about (export selection; not part of the record) */
  subjects: string[];
  /** canonical JSON, exactly what was hashed */
  record: string;
  recordHash: string;
}

export interface StoredChainEntry {
  position: number;
  messageId: string | null;
  kind: string;
  record: string;
  recordHash: string;
}

export interface RecordFilter {
  messageId?: string;
}

export interface StoredSignedHead {
  position: number;
  link: string;
  /** canonical JSON of the signed head body */
  head: string;
  signature: string;
  signedAt: string;
  timestamp: { tsa: string; response: string } | null;
}

/** a chained offer's or confirmation's ref (`offer:ID`, `legal:ID`, evidence/records.ts) → ID */
export function idOfRef(ref: string): string {
  return ref.slice(ref.indexOf(':') + 1);
}
