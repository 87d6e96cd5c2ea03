/**
 * Issue 20: each account's own tracking host name. One per account, and a host belongs to one
 * account only (the collector maps a request's Host to its account by it).
 *
 * A domain goes live (`verified`: new links use it) only once the collector has reached itself
 * through it: DNS, a valid certificate for the name, and its own /healthz (domains/probe.ts).
 * Until then it is `pending` (not probed yet) or `failed` (the last probe failed). A live domain
 * whose later probe fails stays live — links already sent point there — and the failure is kept
 * in `lastCheck` for the admin.
 */
export type TrackingDomainState = 'pending' | 'verified' | 'failed';

/** the outcome of one probe */
export interface DomainCheck {
  at: string;
  ok: boolean;
  /** the failure (domains/probe.ts ProbeFailure), null when it passed */
  code: string | null;
  /** the precise error (for logs and the admin's CLI), null when it passed */
  detail: string | null;
}

export interface TrackingDomainRecord {
  accountId: string;
  host: string;
  createdAt: string;
  state: TrackingDomainState;
  /** when the first probe passed; null while never */
  verifiedAt: string | null;
  lastCheck: DomainCheck | null;
  /** failed probes in a row (the backoff's exponent) */
  failures: number;
  /** when the next periodic probe is due; null: now */
  nextCheckAt: string | null;
}

export type SetTrackingDomainResult =
  | { ok: true; record: TrackingDomainRecord; previous: string | null }
  | { ok: false; reason: 'taken' | 'no_account' };

export interface TrackingDomainsStore {
  /** sets (or replaces) the account's host, pending; refused when another account has it */
  set(accountId: string, host: string): Promise<SetTrackingDomainResult>;
  /** the removed record, null when the account had none */
  remove(accountId: string): Promise<TrackingDomainRecord | null>;
  /** every account's host, by host */
  list(): Promise<TrackingDomainRecord[]>;
  /**
   * a probe's outcome for the record set at `createdAt` (a host removed and set again meanwhile
   * is left alone): passed → verified; failed → failed unless it was verified (it stays live).
   * The record after it, null when it is gone.
   */
  recordCheck(
    host: string,
    createdAt: string,
    check: DomainCheck,
    nextCheckAt: string,
  ): Promise<TrackingDomainRecord | null>;
  /**
   * the domains whose next probe is due at `now`, each claimed until `leaseUntil` so that another
   * instance on the same store does not probe it at the same time
   */
  claimDue(now: string, leaseUntil: string, limit: number): Promise<TrackingDomainRecord[]>;
  /** the store's probe secret (created on first use; every instance on the store shares it) */
  probeSecret(): Promise<string>;
}
