// Starts the sync worker from its TypeScript source (tests, `npm run web`, benchmarks): a worker
// thread does not inherit the parent's TS loader, so it registers tsx itself. The Electron build
// runs the bundled out/main/sync-worker.js instead and never loads this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
