import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import { openCache } from '../../../src-main/core/cache';

const dir = mkdtempSync(join(tmpdir(), 'blitz-outbox-wake-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** another connection on a thread of its own holds the write lock until `release` is set */
function holdWriteLock(file: string): { release: () => Promise<void> } {
  const flags = new Int32Array(new SharedArrayBuffer(8));
  const other = new Worker(
    `const Database = require('better-sqlite3');
     const { workerData } = require('node:worker_threads');
     const flags = new Int32Array(workerData.flags);
     const db = new Database(workerData.file);
     db.prepare('BEGIN IMMEDIATE').run();
     Atomics.store(flags, 0, 1);
     Atomics.notify(flags, 0);
     Atomics.wait(flags, 1, 0, 20000);
     db.prepare('COMMIT').run();
     db.close();`,
    { eval: true, workerData: { file, flags: flags.buffer } },
  );
  const exited = new Promise<void>((r) => other.once('exit', () => r()));
  if (Atomics.wait(flags, 0, 0, 10_000) === 'timed-out')
    throw new Error('the other connection never took the lock');
  return {
    release: async () => {
      Atomics.store(flags, 1, 1);
      Atomics.notify(flags, 1);
      await exited;
    },
  };
}

/**
 * The core calls wakeWaiting after each sync page, on the UI's thread, while the sync's writing
 * thread holds the write lock for its next page. An UPDATE takes that lock even when it matches
 * nothing: the UI's thread then waited for the writer (seconds, on a loaded machine), and every
 * click waited with it.
 */
it('wakeWaiting with nothing waiting does not wait for the other connection’s write lock', async () => {
  const file = join(dir, 'idle.sqlite');
  const cache = openCache(file);
  cache.db.pragma('foreign_keys = OFF');
  cache.outbox.create('a-sent', new Date().toISOString());
  cache.outbox.update('a-sent', { state: 'sent' }, new Date().toISOString());
  const lock = holdWriteLock(file);
  try {
    const t0 = performance.now();
    expect(cache.outbox.wakeWaiting()).toBe(0);
    // busy_timeout is 5 s: an UPDATE would have waited for the lock until the release below
    expect(performance.now() - t0).toBeLessThan(500);
  } finally {
    await lock.release();
  }
  cache.close();
});

it('wakeWaiting makes an activity waiting for the collector due now, once', () => {
  const file = join(dir, 'waiting.sqlite');
  const cache = openCache(file);
  cache.db.pragma('foreign_keys = OFF');
  const at = new Date().toISOString();
  cache.outbox.create('a-wait', at);
  cache.outbox.update('a-wait', { state: 'waiting_collector', nextAttemptAt: Date.now() + 60_000 }, at);
  expect(cache.outbox.due(Date.now())).not.toContain('a-wait');
  expect(cache.outbox.wakeWaiting()).toBe(1);
  expect(cache.outbox.due(Date.now())).toContain('a-wait');
  expect(cache.outbox.wakeWaiting()).toBe(0);
  cache.close();
});
