import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fillSqlite, type Filled } from '../../bench/scenarios/fill';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { openCache } from '../../src-main/core/cache';
import { createSyncThreads, type RunOptions } from '../../src-main/core/sync/worker/threads';
import { tempDir } from './helpers';

/**
 * The sync's threads start with the core, before the agent has entered a collector, and each run
 * names the collector it pulls from: a first sync then starts with its first page, and the
 * threads outlive a change of collector (a new address or token).
 */
const A_EVENTS = 1_200;
const B_EVENTS = 700;
let dir: string;
const collectors: { col: RunningCollector; filled: Filled }[] = [];

beforeAll(async () => {
  dir = tempDir('blitz-sync-threads-');
  for (const [name, n] of [
    ['a', A_EVENTS],
    ['b', B_EVENTS],
  ] as const) {
    const db = join(dir, `collector-${name}.db`);
    const filled = await fillSqlite(db, n);
    collectors.push({ col: await startCollector({ db, rateLimit: false, logLevel: 'silent' }), filled });
  }
}, 120_000);

afterAll(async () => {
  for (const c of collectors) await c.col.close();
});

const run = (c: { col: RunningCollector; filled: Filled }, token = c.filled.token): RunOptions => ({
  collector: { baseUrl: c.col.url, token, timeoutMs: 10_000 },
  after: 0,
  history: true,
  pageSize: 500,
  onPage: () => undefined,
});

for (const count of [1, 2] as const)
  it(`${count} thread(s): ready without a collector, then pull from whichever collector each run names`, async () => {
    const cacheFile = join(dir, `cache-${count}.sqlite`);
    const cache = openCache(cacheFile);
    const threads = createSyncThreads({ cacheFile, nice: 0, threads: count });
    try {
      // nothing but the cache is known yet
      await threads.started();
      const [a, b] = collectors as [(typeof collectors)[0], (typeof collectors)[0]];

      const first = await threads.pull(run(a));
      expect(first.ok && first.value.events).toBe(A_EVENTS);

      // a wrong token: the run fails as a value, the threads stay usable
      const refused = await threads.pull(run(b, 'not-the-token'));
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('collector_unauthorized');
      expect(threads.broken).toBe(false);

      // another collector on the same threads
      const second = await threads.pull(run(b));
      expect(second.ok && second.value.events).toBe(B_EVENTS);
      expect(cache.events.count()).toBe(A_EVENTS + B_EVENTS);
    } finally {
      await threads.close();
      cache.close();
    }
  });

it('started() rejects when a thread cannot start (the cache file cannot be opened)', async () => {
  // below a regular file: no directory can be made there
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const threads = createSyncThreads({ cacheFile: join(file, 'cache.sqlite'), nice: 0 });
  await expect(threads.started()).rejects.toThrow();
  expect(threads.broken).toBe(true);
  await threads.close();
});
