import type { Sql, TransactionSql } from 'postgres';
import { Listeners } from '../listeners';
import type { PrivacySql } from '../privacy/types';
import type { PgContext } from './context';

type Runner = Sql | TransactionSql;

/** `?` → `$1, $2, …` (the privacy queries use no `?` inside literals) */
function numbered(query: string): string {
  let n = 0;
  return query.replace(/\?/g, () => `$${++n}`);
}

/** times as ISO strings, as SQLite stores them */
function plain<T extends object>(rows: readonly Record<string, unknown>[]): T[] {
  return rows.map((r) => {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) o[k] = v instanceof Date ? v.toISOString() : v;
    return o as T;
  });
}

/** PrivacySql on the PostgreSQL pool; a transaction tells other instances' hit writers at commit. */
export class PgPrivacySql implements PrivacySql {
  readonly dialect = 'postgres' as const;
  readonly deleted: Listeners<string>;

  constructor(
    private readonly ctx: PgContext,
    private readonly runner: Runner = ctx.sql,
    deleted?: Listeners<string>,
  ) {
    this.deleted = deleted ?? new Listeners<string>();
  }

  async all<T extends object>(query: string, params: readonly unknown[] = []): Promise<T[]> {
    const rows = await this.runner.unsafe(numbered(query), params as never[]);
    return plain<T>(rows as unknown as Record<string, unknown>[]);
  }

  async run(query: string, params: readonly unknown[] = []): Promise<number> {
    const r = await this.runner.unsafe(numbered(query), params as never[]);
    return r.count;
  }

  async tx<T>(fn: (q: PrivacySql, touched: Set<string>) => Promise<T>): Promise<T> {
    const touched = new Set<string>();
    const out = await this.ctx.sql.begin(async (tx) => {
      const r = await fn(new PgPrivacySql(this.ctx, tx, this.deleted), touched);
      if (touched.size > 0) await this.ctx.notifyCommit(tx, [...touched]);
      return r;
    });
    for (const accountId of touched) {
      this.ctx.changed.emit({ kind: 'account', accountId });
      this.deleted.emit(accountId);
    }
    return out as T;
  }

  async removeBlob(sha256: string): Promise<void> {
    await this.runner.unsafe(
      'DELETE FROM offer_blobs WHERE sha256 = $1 AND NOT EXISTS (SELECT 1 FROM offer_files WHERE sha256 = $1)',
      [sha256],
    );
  }
}
