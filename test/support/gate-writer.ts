/**
 * A stand-in for the sync's writing thread (test/core/cache/write-gate.test.ts): its own
 * connection through openSyncCache with the UI's write gate, then transactions back to back, each
 * holding SQLite's write lock for HOLD_MS as a page of a first sync does, until told to stop.
 * Counts its transactions in the shared words.
 */
import { workerData } from 'node:worker_threads';
import { openSyncCache } from '../../src-main/core/cache/sync-cache';

const { file, gate, control, holdMs } = workerData as {
  file: string;
  gate: SharedArrayBuffer | null;
  control: SharedArrayBuffer;
  holdMs: number;
};
/** [0]: stop when 1; [1]: transactions committed */
const words = new Int32Array(control);
const cache = openSyncCache(file, gate ?? undefined);
while (Atomics.load(words, 0) === 0) {
  cache.tx(() => {
    cache.meta.set('writer', Atomics.load(words, 1));
    const until = performance.now() + holdMs;
    while (performance.now() < until);
  });
  Atomics.add(words, 1, 1);
  Atomics.notify(words, 1);
}
cache.close();
