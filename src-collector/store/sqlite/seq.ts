import type Database from 'better-sqlite3';

/** The next number of an account's sequence; call inside the writing transaction. */
export function seqAllocator(db: Database.Database): (accountId: string) => number {
  const next = db.prepare<[string], { last_seq: number }>(
    'UPDATE accounts SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq',
  );
  return (accountId) => {
    const row = next.get(accountId);
    if (!row) throw new Error(`unknown account ${accountId}`);
    return row.last_seq;
  };
}
