import type Database from 'better-sqlite3';
import type { SetTrackingDomainResult, TrackingDomainRecord, TrackingDomainsStore } from '../domains/types';

interface Row {
  host: string;
  account_id: string;
  created_at: string;
}

const record = (r: Row): TrackingDomainRecord => ({
  host: r.host,
  accountId: r.account_id,
  createdAt: r.created_at,
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
        const rec = { host, accountId, createdAt: new Date().toISOString() };
        this.db
          .prepare('INSERT INTO tracking_domains (host, account_id, created_at) VALUES (?, ?, ?)')
          .run(rec.host, rec.accountId, rec.createdAt);
        return { ok: true, record: rec, previous: prev?.host ?? null };
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
}
