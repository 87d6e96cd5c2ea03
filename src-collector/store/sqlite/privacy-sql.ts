import type Database from 'better-sqlite3';
import { Listeners } from '../listeners';
import type { PrivacySql } from '../privacy/types';
import type { EventsChange } from '../types';

/**
 * PrivacySql on the SQLite store's connection. A transaction is BEGIN IMMEDIATE … COMMIT around
 * an async function whose statements all run synchronously; retention and erasure are rare
 * admin work, and each part's transaction is short.
 */
export class SqlitePrivacySql implements PrivacySql {
  readonly dialect = 'sqlite' as const;
  readonly deleted = new Listeners<string>();

  constructor(
    private readonly db: Database.Database,
    private readonly changed: Listeners<EventsChange>,
    private readonly removeFile: (sha256: string) => Promise<void>,
  ) {}

  async all<T extends object>(query: string, params: readonly unknown[] = []): Promise<T[]> {
    return this.db.prepare(query).all(...params) as T[];
  }

  async run(query: string, params: readonly unknown[] = []): Promise<number> {
    return this.db.prepare(query).run(...params).changes;
  }

  async tx<T>(fn: (q: PrivacySql, touched: Set<string>) => Promise<T>): Promise<T> {
    const touched = new Set<string>();
    this.db.exec('BEGIN IMMEDIATE');
    let out: T;
    try {
      out = await fn(this, touched);
      this.db.exec('COMMIT');
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
    for (const accountId of touched) {
      this.changed.emit({ kind: 'account', accountId });
      this.deleted.emit(accountId);
    }
    return out;
  }

  removeBlob(sha256: string): Promise<void> {
    return this.removeFile(sha256);
  }
}
