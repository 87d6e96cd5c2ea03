/**
 * The writing side of bench/sync-overlap.ts, in a thread of its own: each page it is given goes
 * into the cache in one transaction through the first sync's statement (the rows shape), with the
 * first sync's WAL setting; a page's bytes go back once it is in, as the sync's writer hands them
 * back. The end: the time it was busy, then the checkpoint the sync's writer makes after a run.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openCache } from '../../src-main/core/cache';

const port = parentPort!;
const cache = openCache((workerData as { file: string }).file);
cache.bulkWal(true);
let busyMs = 0;
port.on('message', (m: { page: Uint8Array } | { end: true }) => {
  if ('end' in m) {
    port.postMessage({ t: 'end', busyMs });
    cache.checkpoint();
    cache.close();
    return;
  }
  const t0 = performance.now();
  cache.tx(() => cache.events.insertRowsFromPageJson(m.page));
  busyMs += performance.now() - t0;
  port.postMessage({ t: 'ack', buffer: m.page.buffer }, [m.page.buffer as ArrayBuffer]);
});
port.postMessage({ t: 'ready' });
