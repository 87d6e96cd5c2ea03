import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type {
  DomainCheck,
  SetTrackingDomainResult,
  TrackingDomainRecord,
  TrackingDomainState,
  TrackingDomainsStore,
} from '../domains/types';

interface Row {
  host: string;
  account_id: string;
  created_at: string;
  state: TrackingDomainState;
  verified_at: string | null;
  checked_at: string | null;
  check_ok: number | null;
  check_code: string | null;
  check_detail: string | null;
  failures: number;
  next_check_at: string | null;
}

const record = (r: Row): TrackingDomainRecord => ({
  host: r.host,
  accountId: r.account_id,
  createdAt: r.created_at,
  state: r.state,
  verifiedAt: r.verified_at,
  lastCheck:
    r.checked_at === null
      ? null
      : { at: r.checked_at, ok: r.check_ok === 1, code: r.check_code, detail: r.check_detail },
  failures: r.failures,
  nextCheckAt: r.next_check_at,
});

/** Issue 20: the accounts' tracking host names (SQLite, table tracking_domains). */
export class SqliteTrackingDomains implements TrackingDomainsStore {
  constructor(private readonly db: Database.Database) {}

  async set(accountId: string, host: string): Promise<SetTrackingDomainResult> {
    return this.db
      .transaction((): SetTrackingDomainResult => {
        if (!this.db.prepare('SELECT 1 FROM accounts WHERE id = ?').get(accountId))
          return { ok: false, reason: 'no_account' };
        const owner = this.db
          .prepare<[string], Row>('SELECT * FROM tracking_domains WHERE host = ?')
          .get(host);
        if (owner && owner.account_id !== accountId) return { ok: false, reason: 'taken' };
        if (owner) return { ok: true, record: record(owner), previous: host };
        const prev = this.db
          .prepare<[string], Row>('SELECT * FROM tracking_domains WHERE account_id = ?')
          .get(accountId);
        this.db.prepare('DELETE FROM tracking_domains WHERE account_id = ?').run(accountId);
        const row = this.db
          .prepare<[string, string, string], Row>(
            `INSERT INTO tracking_domains (host, account_id, created_at, state, verified_at)
             VALUES (?, ?, ?, 'pending', NULL) RETURNING *`,
          )
          .get(host, accountId, new Date().toISOString()) as Row;
        return { ok: true, record: record(row), previous: prev?.host ?? null };
      })
      .immediate();
  }

  async remove(accountId: string): Promise<TrackingDomainRecord | null> {
    const row = this.db
      .prepare<[string], Row>('DELETE FROM tracking_domains WHERE account_id = ? RETURNING *')
      .get(accountId);
    return row ? record(row) : null;
  }

  async list(): Promise<TrackingDomainRecord[]> {
    return this.db.prepare<[], Row>('SELECT * FROM tracking_domains ORDER BY host').all().map(record);
  }

  async recordCheck(
    host: string,
    createdAt: string,
    check: DomainCheck,
    nextCheckAt: string,
  ): Promise<TrackingDomainRecord | null> {
    const row = this.db
      .prepare<unknown[], Row>(
        `UPDATE tracking_domains SET
           state = CASE WHEN ? = 1 THEN 'verified' WHEN state = 'verified' THEN 'verified' ELSE 'failed' END,
           verified_at = CASE WHEN ? = 1 THEN coalesce(verified_at, ?) ELSE verified_at END,
           checked_at = ?, check_ok = ?, check_code = ?, check_detail = ?,
           failures = CASE WHEN ? = 1 THEN 0 ELSE failures + 1 END,
           next_check_at = ?
         WHERE host = ? AND created_at = ? RETURNING *`,
      )
      .get(
        check.ok ? 1 : 0,
        check.ok ? 1 : 0,
        check.at,
        check.at,
        check.ok ? 1 : 0,
        check.code,
        check.detail,
        check.ok ? 1 : 0,
        nextCheckAt,
        host,
        createdAt,
      );
    return row ? record(row) : null;
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<TrackingDomainRecord[]> {
    return this.db
      .prepare<[string, string, number], Row>(
        `UPDATE tracking_domains SET next_check_at = ?
         WHERE host IN (SELECT host FROM tracking_domains
                        WHERE next_check_at IS NULL OR next_check_at <= ? ORDER BY next_check_at LIMIT ?)
         RETURNING *`,
      )
      .all(leaseUntil, now, limit)
      .map(record);
  }

  async probeSecret(): Promise<string> {
    this.db
      .prepare(
        "INSERT INTO collector_secrets (name, value, created_at) VALUES ('domain_probe', ?, ?) ON CONFLICT (name) DO NOTHING",
      )
      .run(randomBytes(32).toString('base64url'), new Date().toISOString());
    return this.db
      .prepare<[], string>("SELECT value FROM collector_secrets WHERE name = 'domain_probe'")
      .pluck()
      .get() as string;
  }
}
