import type { LegalHold } from '../../../src-shared/privacy';
import type { Listeners } from '../listeners';
import type { SubjectPart } from '../subject/types';
import type { Viewer } from '../types';

/**
 * Issue 17 part 2: retention, legal holds, sync tombstones and the erasure log (`Store.privacy`),
 * plus the subject parts every aggregate contributes (`subjectParts`, walked by
 * src-collector/privacy/subject.ts). Written once over `PrivacySql`, which each dialect provides
 * on its own connection (sqlite/privacy-sql.ts, postgres/privacy-sql.ts); the few places where
 * the dialects differ ask `dialect`.
 */
export interface PrivacyStore {
  retentionDays(accountId: string): Promise<number>;
  setRetentionDays(accountId: string, days: number): Promise<number>;

  holds(accountId: string): Promise<LegalHold[]>;
  hold(accountId: string, emailLower: string): Promise<LegalHold | null>;
  setHold(accountId: string, emailLower: string, reason: string, setBy: string, at: Date): Promise<LegalHold>;
  /** true when there was a hold */
  liftHold(accountId: string, emailLower: string): Promise<boolean>;

  /**
   * Retention of behavioural events: deletes those of `types` that occurred before `before`,
   * except events about a held address (or, for an event naming nobody, of a message with a held
   * recipient). Leaves a tombstone per event. Returns the count per type.
   */
  deleteBehaviourBefore(
    accountId: string,
    types: readonly string[],
    before: Date,
  ): Promise<Record<string, number>>;
  /** landing-page likes (the current state per unit) not touched since `before`, except held */
  deleteLikesBefore(accountId: string, before: Date): Promise<number>;
  /** each address the account holds something about, with the time of its last record */
  subjectsWithLastRecord(accountId: string): Promise<{ email: string; last: Date }[]>;

  /** ids of deleted events visible to `viewer` with tombstone id > after, ascending */
  /** `erased`: those of `deleted` an erasure removed (a desktop forgets their addresses too) */
  deletedEvents(
    viewer: Viewer,
    after: number,
    limit: number,
  ): Promise<{ deleted: string[]; erased: string[]; next: number }>;
  /**
   * after a commit here that deleted events of an account (retention, erasure): the event stream
   * tells the desktops, which then read the tombstones. Only this process hears it; another
   * process's deletions reach the desktops with their next pull.
   */
  onDeleted(listener: (accountId: string) => void): () => void;
  /** the erasure log: no address, the reason masked by the caller */
  logErasure(entry: ErasureLogEntry): Promise<void>;
  erasures(accountId: string): Promise<ErasureLogEntry[]>;

  /** the aggregates' parts, in the order an erasure walks them (events before what they hang on) */
  readonly subjectParts: readonly SubjectPart[];
}

export interface ErasureLogEntry {
  id: string;
  accountId: string;
  erasedAt: string;
  cause: 'request' | 'retention';
  reason: string;
  counts: Record<string, number>;
}

/**
 * A dialect's connection as the privacy code needs it: `?` placeholders (PostgreSQL's adapter
 * numbers them), rows as plain objects with times as ISO strings.
 */
export interface PrivacySql {
  readonly dialect: 'sqlite' | 'postgres';
  all<T extends object>(query: string, params?: readonly unknown[]): Promise<T[]>;
  /** rows changed */
  run(query: string, params?: readonly unknown[]): Promise<number>;
  /**
   * `fn` in one transaction (SQLite: BEGIN IMMEDIATE on the store's connection; PostgreSQL: one
   * pooled connection). `touched` accounts are told to the hit writers after the commit: events
   * there were deleted, a cached context may be stale.
   */
  tx<T>(fn: (q: PrivacySql, touched: Set<string>) => Promise<T>): Promise<T>;
  /** the offers' blob store: remove a blob no offer file refers to any more */
  removeBlob(sha256: string): Promise<void>;
  /** told the touched accounts after a transaction committed */
  readonly deleted: Listeners<string>;
}
