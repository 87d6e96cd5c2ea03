/**
 * What two busy threads cost each other on this machine. A first sync runs three threads at once
 * (the collector's, the desktop's fetching and writing ones); its limits (a), (b) and (c) are
 * each measured alone. Each of two threads walks its own array of the given size at random, a
 * chain of dependent reads, first alone (the baseline, measured in the same run) and then both
 * at once on the two cores. A ratio near 1 means the threads do not share what that working set
 * lives in; well above 1, they do (a cache level, or the host's memory path). The walk must stay
 * in bounds and in small integers: a first version read at negative indexes and made doubles, so
 * it allocated, and two walkers then slowed each other 1.6–2.3× through the garbage collector's
 * helper threads, which a walker alone runs on the idle core.
 * `npx tsx bench/cache-pair.ts [sizes in KiB, comma-separated, powers of two] [rounds]`
 */
import { Worker } from 'node:worker_threads';
import { median } from './lib/stats';

// powers of two: the walk masks its index
const SIZES_KIB = (process.argv[2] ?? '16,256,1024,4096,16384,65536').split(',').map(Number);
const ROUNDS = Number(process.argv[3] ?? 3);
const STEPS = 30_000_000;

// plain JavaScript in the worker: it needs no TypeScript loader
const WALKER = `
const { parentPort, workerData } = require('node:worker_threads');
const a = new Int32Array(workerData.words);
const mask = workerData.words - 1;
for (let i = 0; i < a.length; i++) a[i] = Math.imul(i, 2654435761) & mask;
parentPort.on('message', () => {
  const t0 = performance.now();
  let sum = 0, at = 0;
  for (let k = 0; k < workerData.steps; k++) { at = (a[at] ^ k) & mask; sum += at; }
  parentPort.postMessage({ ms: performance.now() - t0, sum });
});`;

function walker(words: number): Worker {
  return new Worker(WALKER, { eval: true, workerData: { words, steps: STEPS } });
}
function walk(w: Worker): Promise<number> {
  return new Promise((resolve) => {
    w.once('message', (m: { ms: number }) => resolve(m.ms));
    w.postMessage(null);
  });
}

const rows: string[] = [];
for (const kib of SIZES_KIB) {
  const words = (kib * 1024) / 4;
  const one = walker(words);
  const two = walker(words);
  const alone: number[] = [];
  const together: number[] = [];
  await walk(one); // the first walk compiles the loop and faults the array in
  await walk(two);
  for (let r = 0; r < ROUNDS; r++) {
    alone.push(await walk(one), await walk(two));
    together.push(...(await Promise.all([walk(one), walk(two)])));
  }
  await Promise.all([one.terminate(), two.terminate()]);
  const a = median(alone);
  const t = median(together);
  rows.push(
    `| ${kib.toLocaleString('en')} KiB | ${a.toFixed(0)} ms | ${t.toFixed(0)} ms | ${(t / a).toFixed(2)} × |`,
  );
  process.stderr.write(`${kib} KiB done\n`);
}
console.log(`${STEPS.toLocaleString('en')} dependent random reads per thread, medians of ${ROUNDS * 2}\n`);
console.log('| working set per thread | alone | both threads at once | ratio |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(r);
