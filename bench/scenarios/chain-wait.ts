import Database from 'better-sqlite3';

/**
 * Waits until the collector's evidence chainer has chained the account's events (its head's
 * event_seq reached the newest event's seq), reading the collector's SQLite file on a connection
 * of its own. A bench fills the store before the collector starts, so the chainer starts a whole
 * history behind; a production collector chains each burst as it arrives. Returns the wait in ms.
 * Gives up (returns) when the head stood still for `stillMs` or after `maxMs`.
 */
export async function waitForChain(
  file: string,
  accountId: string,
  o: { stillMs?: number; maxMs?: number } = {},
): Promise<number> {
  const stillMs = o.stillMs ?? 5_000;
  const maxMs = o.maxMs ?? 900_000;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const t0 = performance.now();
  try {
    const newest =
      db
        .prepare<[string], { s: number | null }>('SELECT MAX(seq) AS s FROM events WHERE account_id = ?')
        .get(accountId)?.s ?? 0;
    const head = (): number => {
      try {
        return (
          db
            .prepare<[string], { s: number }>(
              'SELECT event_seq AS s FROM evidence_chain_heads WHERE account_id = ?',
            )
            .get(accountId)?.s ?? 0
        );
      } catch {
        return 0; // the chain's tables are not there (evidence off or an older schema)
      }
    };
    let last = -1;
    let since = performance.now();
    for (;;) {
      const h = head();
      if (h >= newest) return performance.now() - t0;
      if (h !== last) {
        last = h;
        since = performance.now();
      } else if (performance.now() - since > stillMs || performance.now() - t0 > maxMs) {
        return performance.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    db.close();
  }
}
