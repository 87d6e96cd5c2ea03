import type { Sql } from 'postgres';
import type { SetTrackingDomainResult, TrackingDomainRecord, TrackingDomainsStore } from '../domains/types';

interface Row {
  host: string;
  account_id: string;
  created_at: Date;
}

const record = (r: Row): TrackingDomainRecord => ({
  host: r.host,
  accountId: r.account_id,
  createdAt: r.created_at.toISOString(),
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
        INSERT INTO tracking_domains (host, account_id, created_at) VALUES (${host}, ${accountId}, now())
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
}
