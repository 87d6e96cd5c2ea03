// Starts a TypeScript worker when Blitz runs from source (tsx, vitest): registers tsx's loader in
// the worker first. The built app starts the bundled worker directly and never loads this file.
import { workerData } from 'node:worker_threads';

const { register } = await import('tsx/esm/api');
register();
await import(workerData.entry);
