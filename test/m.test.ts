import { Worker } from 'node:worker_threads';
import { it, expect } from 'vitest';
it('w', async () => {
  const w = new Worker(new URL('./w.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
  const v = await new Promise((r, j) => { w.on('message', r); w.on('error', j); });
  expect(v).toBe(42);
  await w.terminate();
});
