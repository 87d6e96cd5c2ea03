import { setPriority } from 'node:os';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runFetcher } from './fetcher';
import { localPortPair, peerOf } from './local-port';
import type { ThreadsData } from './protocol';
import { runWriter } from './writer';

/**
 * One entry for both sync threads (bundled as out/main/sync-worker.js; run from source through
 * boot.mjs). workerData names the role and carries the port to the other thread.
 */
const data = workerData as ThreadsData & { peer: MessagePort | null };
if (!parentPort) throw new Error('sync worker started outside a worker thread');
// On Linux a thread has its own nice value (setpriority on 0 means this thread only): the sync
// yields the CPU to the thread that answers the UI when both want it, and takes all that is idle.
// Elsewhere the call would lower the whole app's priority, so it is left alone there.
if (process.platform === 'linux' && data.nice > 0) {
  try {
    setPriority(0, data.nice);
  } catch {
    // not allowed here: the sync runs at the app's priority
  }
}
if (data.role === 'both' || !data.peer) {
  // both roles on this thread: the UI thread's messages reach both (each ignores the other's)
  const [toWriter, toFetcher] = localPortPair();
  runWriter(data.cacheFile, data.writeGate, parentPort, toFetcher);
  runFetcher(parentPort, toWriter);
} else if (data.role === 'fetcher') runFetcher(parentPort, peerOf(data.peer));
else runWriter(data.cacheFile, data.writeGate, parentPort, peerOf(data.peer));
