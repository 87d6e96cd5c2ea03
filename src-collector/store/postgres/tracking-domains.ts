import { randomBytes } from 'node:crypto';
import type { Sql } from 'postgres';
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
  created_at: Date;
  state: TrackingDomainState;
  verified_at: Date | null;
  checked_at: Date | null;
  check_ok: boolean | null;
  check_code: string | null;
  check_detail: string | null;
  failures: number;
  next_check_at: Date | null;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const record = (r: Row): TrackingDomainRecord => ({
  host: r.host,
  accountId: r.account_id,
  createdAt: r.created_at.toISOString(),
  state: r.state,
  verifiedAt: iso(r.verified_at),
  lastCheck:
    r.checked_at === null
      ? null
      : {
          at: r.checked_at.toISOString(),
          ok: r.check_ok === true,
          code: r.check_code,
          detail: r.check_detail,
        },
  failures: r.failures,
  nextCheckAt: iso(r.next_check_at),
});

/** Issue 20: the accounts' tracking host names (PostgreSQL, table tracking_domains). */
export class PgTrackingDomains implements TrackingDomainsStore {
  constructor(private readonly sql: Sql) {}

  async set(accountId: string, host: string): Promise<SetTrackingDomainResult> {
    return this.sql.begin(async (tx): Promise<SetTrackingDomainResult> => {
      const [account] = await tx`SELECT 1 FROM accounts WHERE id = ${accountId} FOR UPDATE`;
      if (!account) return { ok: false, reason: 'no_account' };
      const [owner] = await tx<Row[]>`SELECT * FROM tracking_domains WHERE host = ${host}`;
      if (owner && owner.account_id !== accountId) return { ok: false, reason: 'taken' };
      if (owner) return { ok: true, record: record(owner), previous: host };
      const [prev] = await tx<
        Row[]
      >`DELETE FROM tracking_domains WHERE account_id = ${accountId} RETURNING *`;
      // a concurrent set of the same host by another account loses on the primary key
      const [row] = await tx<Row[]>`
        INSERT INTO tracking_domains (host, account_id, created_at, state, verified_at)
        VALUES (${host}, ${accountId}, now(), 'pending', NULL)
        ON CONFLICT (host) DO NOTHING RETURNING *`;
      if (!row) return { ok: false, reason: 'taken' };
      return { ok: true, record: record(row), previous: prev?.host ?? null };
    });
  }

  async remove(accountId: string): Promise<TrackingDomainRecord | null> {
    const [row] = await this.sql<
      Row[]
    >`DELETE FROM tracking_domains WHERE account_id = ${accountId} RETURNING *`;
    return row ? record(row) : null;
  }

  async list(): Promise<TrackingDomainRecord[]> {
    const rows = await this.sql<Row[]>`SELECT * FROM tracking_domains ORDER BY host`;
    return rows.map(record);
  }

  async recordCheck(
    host: string,
    createdAt: string,
    check: DomainCheck,
    nextCheckAt: string,
  ): Promise<TrackingDomainRecord | null> {
    const [row] = await this.sql<Row[]>`
      UPDATE tracking_domains SET
        state = CASE WHEN ${check.ok}::boolean THEN 'verified' WHEN state = 'verified' THEN 'verified' ELSE 'failed' END,
        verified_at = CASE WHEN ${check.ok}::boolean THEN coalesce(verified_at, ${check.at}::timestamptz) ELSE verified_at END,
        checked_at = ${check.at}, check_ok = ${check.ok}, check_code = ${check.code}, check_detail = ${check.detail},
        failures = CASE WHEN ${check.ok}::boolean THEN 0 ELSE failures + 1 END,
        next_check_at = ${nextCheckAt}
      WHERE host = ${host} AND date_trunc('milliseconds', created_at) = ${createdAt}::timestamptz
      RETURNING *`;
    return row ? record(row) : null;
  }

  async claimDue(now: string, leaseUntil: string, limit: number): Promise<TrackingDomainRecord[]> {
    const rows = await this.sql<Row[]>`
      UPDATE tracking_domains SET next_check_at = ${leaseUntil}
      WHERE host IN (SELECT host FROM tracking_domains
                     WHERE next_check_at IS NULL OR next_check_at <= ${now}
                     ORDER BY next_check_at NULLS FIRST LIMIT ${limit}
                     FOR UPDATE SKIP LOCKED)
      RETURNING *`;
    return rows.map(record);
  }

  async probeSecret(): Promise<string> {
    await this.sql`
      INSERT INTO collector_secrets (name, value, created_at)
      VALUES ('domain_probe', ${randomBytes(32).toString('base64url')}, now())
      ON CONFLICT (name) DO NOTHING`;
    const [row] = await this.sql<
      { value: string }[]
    >`SELECT value FROM collector_secrets WHERE name = 'domain_probe'`;
    return row!.value;
  }
}
