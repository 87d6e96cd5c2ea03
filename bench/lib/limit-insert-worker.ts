/**
 * The (b) side of limitPair (bench/scenarios/sync-limits.ts), on a thread of its own: says it is
 * ready, waits for `go`, then inserts the synced cache's rows as limitInsert does and sends the time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { limitInsert } from '../scenarios/sync-limits';

const port = parentPort!;
port.once('message', () => {
  port.postMessage({ ms: limitInsert((workerData as { syncedCache: string }).syncedCache, 'usual') });
});
port.postMessage({ ready: true });
