import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, expect, it } from 'vitest';
import { openCache } from '../../../src-main/core/cache';

const dir = mkdtempSync(join(tmpdir(), 'blitz-tx-immediate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The UI's connection and the sync writer's share the cache file. A transaction that reads and
 * then writes while the other connection holds the write lock must wait for it (busy_timeout),
 * not fail: a deferred transaction got SQLITE_BUSY at once once it held a read snapshot.
 */
it('a read-then-write transaction waits for the other connection’s write lock instead of failing', async () => {
  const file = join(dir, 'cache.sqlite');
  const cache = openCache(file);
  cache.meta.set('k', 0);
  const held = new Int32Array(new SharedArrayBuffer(4));
  // the other connection, on a thread of its own: holds the write lock for 300 ms
  const other = new Worker(
    `const Database = require('better-sqlite3');
     const { workerData } = require('node:worker_threads');
     const held = new Int32Array(workerData.held);
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 5000');
     db.prepare('BEGIN IMMEDIATE').run();
     Atomics.store(held, 0, 1);
     Atomics.notify(held, 0);
     const until = Date.now() + 300;
     while (Date.now() < until);
     db.prepare('COMMIT').run();
     db.close();`,
    { eval: true, workerData: { file, held: held.buffer } },
  );
  const exited = new Promise((r) => other.once('exit', r));
  expect(Atomics.wait(held, 0, 0, 10_000)).not.toBe('timed-out');
  // while the other holds the lock: a read first (as an outbox step's `extra` reads), then a write
  const t0 = performance.now();
  const value = cache.tx(() => {
    const before = cache.meta.get<number>('k') ?? -1;
    cache.meta.set('k', before + 1);
    return before + 1;
  });
  // it waited for the other's commit (~300 ms), well within busy_timeout
  expect(performance.now() - t0).toBeLessThan(5000);
  await exited;
  expect(value).toBe(1);
  expect(cache.meta.get<number>('k')).toBe(1);
  cache.close();
});
