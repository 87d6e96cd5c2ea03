import type Database from 'better-sqlite3';

/**
 * The cache's write lock shared fairly between the UI's connection and the sync's writing thread.
 *
 * SQLite grants its write lock to whoever asks while it is free; a connection that finds it taken
 * sleeps in its busy handler (1, 2, 5 … 100 ms) and tries again. During a first sync the writer
 * commits a page and begins the next one within a fraction of a millisecond, so a write of the
 * UI's thread (marking a feed seen, saving a draft, sending) kept waking into a taken lock until
 * the writer happened to wait for a page: during syncs of 1,000,000 events UI writes waited
 * 640–750 ms at p90 and up to 3.8 s, the thread that answers the UI standing still meanwhile
 * (`npx tsx bench/ui-write.ts`; with the gate ≤ 54 ms).
 *
 * The two threads share a small SharedArrayBuffer instead. The UI's side says it wants to write
 * (WANT) and, if the writer is inside a page's transaction (HELD), sleeps until that commit wakes
 * it. The writer, before each page's transaction, lets any UI write go first. So a UI write waits
 * for at most the page being written (~10–60 ms), and a UI that writes all the time delays each
 * page by at most WRITER_YIELD_MAX_MS.
 */
const WANT = 0;
const HELD = 1;

/** the longest the writer lets UI writes go first before one page (then SQLite's busy handler decides) */
export const WRITER_YIELD_MAX_MS = 250;
/** the longest the UI's side waits for the writer's page before it asks SQLite anyway (its busy_timeout) */
const UI_WAIT_MAX_MS = 5_000;

/** the shared words of one cache file's gate: created with the UI's connection, handed to the sync writer */
export function newWriteGate(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** the sync writer's side: `around` runs one page's transaction once no UI write waits */
export function writerSide(buffer: SharedArrayBuffer) {
  const words = new Int32Array(buffer);
  let depth = 0;
  /** out of its transaction: a UI write waiting for it goes now */
  const release = (): void => {
    Atomics.store(words, HELD, 0);
    Atomics.notify(words, HELD);
  };
  return {
    around<T>(fn: () => T): T {
      // a nested transaction (a savepoint) is inside the page's own
      if (depth > 0) return fn();
      const start = performance.now();
      for (;;) {
        // HELD first, then WANT (the UI's side does the reverse): of two that ask at once, at
        // least one sees the other, and the writer is the one that steps back
        Atomics.store(words, HELD, 1);
        const want = Atomics.load(words, WANT);
        const waited = performance.now() - start;
        if (want === 0 || waited >= WRITER_YIELD_MAX_MS) break;
        release();
        Atomics.wait(words, WANT, want, WRITER_YIELD_MAX_MS - waited);
      }
      depth++;
      try {
        return fn();
      } finally {
        depth--;
        release();
      }
    },
    /** the writer is gone (its thread ended or failed): a UI write must not wait for it */
    release,
  };
}

/** the UI's side: `around` runs a write; nested calls (statements inside a transaction) pass through */
export function uiSide(buffer: SharedArrayBuffer) {
  const words = new Int32Array(buffer);
  let depth = 0;
  return {
    around<T>(fn: () => T): T {
      if (depth > 0) return fn();
      depth++;
      Atomics.add(words, WANT, 1);
      try {
        const deadline = performance.now() + UI_WAIT_MAX_MS;
        for (let left = UI_WAIT_MAX_MS; Atomics.load(words, HELD) === 1 && left > 0;) {
          Atomics.wait(words, HELD, 1, left);
          left = deadline - performance.now();
        }
        return fn();
      } finally {
        depth--;
        Atomics.sub(words, WANT, 1);
        Atomics.notify(words, WANT);
      }
    },
  };
}

/**
 * Routes every write of the UI's connection through `gate`: statements that change the database
 * (better-sqlite3's `readonly` is false) and transactions, whichever kind. Reads never take
 * SQLite's write lock in WAL mode and pass untouched; so do `exec` and `pragma`, which only the
 * migrations and the connection's settings use, before any sync starts. Set right after the
 * connection opens, before any repository prepares its statements. A writing statement that is
 * iterated is not gated (none is).
 */
export function gateWrites(db: Database.Database, gate: ReturnType<typeof uiSide>): void {
  type Run = (...args: unknown[]) => unknown;
  const gated =
    (run: Run): Run =>
    (...args) =>
      gate.around(() => run(...args));
  const prepare = db.prepare.bind(db);
  db.prepare = ((source: string) => {
    const stmt = prepare(source);
    if (stmt.readonly) return stmt;
    for (const method of ['run', 'get', 'all'] as const)
      Object.defineProperty(stmt, method, { value: gated((stmt[method] as Run).bind(stmt)) });
    return stmt;
  }) as typeof db.prepare;
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: Run) => {
    const tx = transaction(fn);
    return Object.assign(gated(tx), {
      default: gated(tx.default),
      deferred: gated(tx.deferred),
      immediate: gated(tx.immediate),
      exclusive: gated(tx.exclusive),
    });
  }) as typeof db.transaction;
}
