import { writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fillSqlite, type Filled } from '../../bench/scenarios/fill';
import { startCollector, type RunningCollector } from '../../src-collector/server';
import { openCache } from '../../src-main/core/cache';
import { pagePool } from '../../src-main/core/sync/worker/fetcher';
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
      // every event as the collector has it (the pages' buffers are reused once committed)
      const page = await a.col.store.pullEvents(
        { id: a.filled.userId, accountId: a.filled.accountId, role: 'admin' },
        0,
        5000,
      );
      expect(page.events).toHaveLength(A_EVENTS);
      for (const e of page.events) expect(cache.events.get(e.id)?.event).toEqual(e);

      // a wrong token: the run fails as a value, the threads stay usable
      const refused = await threads.pull(run(b, 'not-the-token'));
      expect(refused.ok).toBe(false);
      if (!refused.ok) expect(refused.error.code).toBe('collector_unauthorized');
      expect(threads.broken).toBe(false);

      // what the writer does after a run (its checkpoint) is done; on one thread the fetching
      // role hears the question too and must not take it for a run
      await threads.idle();
      // another collector on the same threads
      const second = await threads.pull(run(b));
      expect(second.ok && second.value.events).toBe(B_EVENTS);
      expect(cache.events.count()).toBe(A_EVENTS + B_EVENTS);
    } finally {
      await threads.close();
      cache.close();
    }
  });

for (const older of [false, true])
  it(
    older
      ? 'a collector from before the rows shape (400 for it) gets the events shape, and the sync completes'
      : 'a first sync asks for every page in the rows shape',
    async () => {
      const a = collectors[0]!;
      let rows = 0;
      let refused = 0;
      let plain = 0;
      // in front of the real collector; `older`: its strict query refuses the unknown parameter
      const proxy = createServer((req, res) => {
        const shaped = (req.url ?? '').includes('shape=rows');
        if (shaped && older) {
          refused++;
          res.writeHead(400, { 'content-type': 'application/json' });
          return res.end(
            JSON.stringify({ error: { code: 'invalid_request', message: 'unknown parameter shape' } }),
          );
        }
        if (shaped) rows++;
        else plain++;
        const up = request(`${a.col.url}${req.url ?? '/'}`, { headers: req.headers }, (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        });
        up.end();
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const cacheFile = join(dir, `cache-proxy-${older}.sqlite`);
      const cache = openCache(cacheFile);
      const threads = createSyncThreads({ cacheFile, nice: 0 });
      try {
        const r = await threads.pull({
          ...run(a),
          collector: { baseUrl: url, token: a.filled.token, timeoutMs: 10_000 },
        });
        expect(r.ok && r.value.events).toBe(A_EVENTS);
        expect(cache.events.count()).toBe(A_EVENTS);
        const pages = Math.ceil(A_EVENTS / 500);
        if (older) {
          // asked once in the rows shape (and perhaps once more for the page ahead), then never again
          expect(refused).toBeGreaterThanOrEqual(1);
          expect(refused).toBeLessThanOrEqual(2);
          expect(plain).toBeGreaterThanOrEqual(pages);
        } else {
          expect(plain).toBe(0);
          expect(rows).toBeGreaterThanOrEqual(pages);
        }
      } finally {
        await threads.close();
        cache.close();
        proxy.close();
      }
    },
  );

it('started() rejects when a thread cannot start (the cache file cannot be opened)', async () => {
  // below a regular file: no directory can be made there
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const threads = createSyncThreads({ cacheFile: join(file, 'cache.sqlite'), nice: 0 });
  await expect(threads.started()).rejects.toThrow();
  expect(threads.broken).toBe(true);
  await threads.close();
});

it("reuses a committed page's buffer for a later page that fits, and never one still out", () => {
  const pool = pagePool();
  const a = pool.take(1000);
  expect(a.byteLength).toBe(1000);
  // room for a slightly larger page later
  expect(a.buffer.byteLength).toBeGreaterThan(1000);
  const b = pool.take(1000);
  expect(b.buffer).not.toBe(a.buffer);
  pool.give(a.buffer as ArrayBuffer);
  const c = pool.take(1050);
  expect(c.buffer).toBe(a.buffer);
  expect(c.byteLength).toBe(1050);
  // nothing free fits: a new one
  pool.give(b.buffer as ArrayBuffer);
  const d = pool.take(5000);
  expect(d.buffer).not.toBe(b.buffer);
  expect(pool.take(900).buffer).toBe(b.buffer);
});
