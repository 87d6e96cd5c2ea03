import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';

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

/**
 * Waits until a process has used less than `share` of one core for one `windowMs` window (its
 * threads together, from /proc/<pid>/stat), or until `maxMs`. The sync is measured right after
 * the chain caught up, the limits later: whatever the collector still does after the catch-up
 * (writing out what the chainer wrote) must not fall into the sync alone. Measured on 2026-12-07
 * it was idle within the first second. Returns the wait in ms; at once where /proc is not there.
 */
export async function waitForQuiet(
  pid: number | undefined,
  o: { windowMs?: number; share?: number; maxMs?: number } = {},
): Promise<number> {
  const windowMs = o.windowMs ?? 1_000;
  const share = o.share ?? 0.05;
  const maxMs = o.maxMs ?? 60_000;
  const ticksPerSecond = 100; // USER_HZ on Linux
  const cpuMs = (): number | null => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // the fields after the command's closing parenthesis; utime and stime are the 12th and 13th
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
    } catch {
      return null;
    }
  };
  const t0 = performance.now();
  if (pid === undefined || cpuMs() === null) return 0;
  for (;;) {
    const before = cpuMs();
    await new Promise((r) => setTimeout(r, windowMs));
    const after = cpuMs();
    if (before === null || after === null) return performance.now() - t0;
    if (after - before <= windowMs * share || performance.now() - t0 > maxMs) return performance.now() - t0;
  }
}
