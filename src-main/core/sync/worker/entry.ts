import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { runFetcher } from './fetcher';
import type { ThreadsData } from './protocol';
import { runWriter } from './writer';

/**
 * One entry for both sync threads (bundled as out/main/sync-worker.js; run from source through
 * boot.mjs). workerData names the role and carries the port to the other thread.
 */
const data = workerData as ThreadsData & { peer: MessagePort };
if (!parentPort) throw new Error('sync worker started outside a worker thread');
if (data.role === 'fetcher') runFetcher(data, parentPort, data.peer);
else runWriter(data, parentPort, data.peer);
