import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openCache } from '../../../src-main/core/cache';
import { WRITER_YIELD_MAX_MS } from '../../../src-main/core/cache/write-gate';

const dir = mkdtempSync(join(tmpdir(), 'blitz-write-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** what each of the writer's transactions holds the lock for, as a page of a first sync does */
const HOLD_MS = 30;

/**
 * A writer on a thread of its own (test/support/gate-writer.ts) committing transactions back to
 * back, as the sync's writer does while pages wait for it; `gate`: whether it shares the UI's
 * write gate.
 */
async function startWriter(file: string, gate: SharedArrayBuffer | null) {
  const control = new SharedArrayBuffer(8);
  const words = new Int32Array(control);
  const worker = new Worker(
    new URL('../../../src-main/core/properties/tsx-worker-boot.mjs', import.meta.url),
    {
      workerData: {
        entry: new URL('../../support/gate-writer.ts', import.meta.url).href,
        file,
        gate,
        control,
        holdMs: HOLD_MS,
      },
    },
  );
  const exited = new Promise<void>((resolve, reject) => {
    worker.once('exit', () => resolve());
    worker.once('error', reject);
  });
  // running once its first transactions committed (the thread loads its code first)
  for (let i = 0; i < 200 && Atomics.load(words, 1) < 2; i++) await new Promise((r) => setTimeout(r, 50));
  expect(Atomics.load(words, 1)).toBeGreaterThanOrEqual(2);
  return {
    committed: () => Atomics.load(words, 1),
    async stop(): Promise<void> {
      Atomics.store(words, 0, 1);
      await exited;
    },
  };
}

describe('the write gate between the UI’s connection and the sync writer', () => {
  it('lets a UI write in after the writer’s current transaction, not after all of them', async () => {
    const file = join(dir, 'fair.sqlite');
    const cache = openCache(file);
    const writer = await startWriter(file, cache.writeGate);
    const waits: number[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        cache.tx(() => cache.meta.set('ui', i));
        waits.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await writer.stop();
    }
    // one transaction of the writer (30 ms) and the UI's own; without the gate the UI's busy
    // handler kept waking into a taken lock (SQLite's sleeps of up to 100 ms miss the moment
    // between two transactions): seconds, or SQLITE_BUSY after busy_timeout (5 s)
    // (the bound leaves room for a loaded machine, where a thread may wait for a core too)
    expect(Math.max(...waits)).toBeLessThan(500);
    expect(cache.meta.get<number>('ui')).toBe(9);
    cache.close();
  });

  it('still lets the writer go on while the UI writes without pause', async () => {
    const file = join(dir, 'busy-ui.sqlite');
    const cache = openCache(file);
    const writer = await startWriter(file, cache.writeGate);
    const before = writer.committed();
    const t0 = performance.now();
    try {
      // the UI wants the lock all the time for a second; its statements outside a transaction
      // are gated one by one, as the repositories' writes are
      let i = 0;
      while (performance.now() - t0 < 1000) cache.meta.set('ui', i++);
      // the writer did not wait for the UI to go quiet: it steps back for WRITER_YIELD_MAX_MS at
      // most before each transaction, then asks SQLite like everybody else
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await writer.stop();
    }
    const elapsed = performance.now() - t0;
    expect(writer.committed() - before).toBeGreaterThanOrEqual(
      Math.floor(elapsed / (WRITER_YIELD_MAX_MS + HOLD_MS)) - 1,
    );
    expect(writer.committed() - before).toBeGreaterThanOrEqual(2);
    cache.close();
  });

  it('leaves reads alone: a read does not wait for the writer’s transaction', async () => {
    const file = join(dir, 'reads.sqlite');
    const cache = openCache(file);
    cache.meta.set('seen', 1);
    const writer = await startWriter(file, cache.writeGate);
    const waits: number[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const t0 = performance.now();
        expect(cache.meta.get<number>('seen')).toBe(1);
        waits.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 7));
      }
    } finally {
      await writer.stop();
    }
    // WAL: readers never wait for the writer; gated, a read would wait HOLD_MS / 2 on average
    const median = [...waits].sort((a, b) => a - b)[waits.length >> 1]!;
    expect(median).toBeLessThan(HOLD_MS / 4);
    cache.close();
  });
});
