/**
 * Issue 20: each account's own tracking host name. One per account, and a host belongs to one
 * account only (the collector maps a request's Host to its account by it).
 */
export interface TrackingDomainRecord {
  accountId: string;
  host: string;
  createdAt: string;
}

export type SetTrackingDomainResult =
  | { ok: true; record: TrackingDomainRecord; previous: string | null }
  | { ok: false; reason: 'taken' | 'no_account' };

export interface TrackingDomainsStore {
  /** sets (or replaces) the account's host; refused when another account has it */
  set(accountId: string, host: string): Promise<SetTrackingDomainResult>;
  /** the removed record, null when the account had none */
  remove(accountId: string): Promise<TrackingDomainRecord | null>;
  /** every account's host, by host */
  list(): Promise<TrackingDomainRecord[]>;
}
