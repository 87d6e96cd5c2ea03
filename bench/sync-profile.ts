/**
 * CPU profiles of both sides of a first sync (issue 22 profiling aid): the collector process and
 * the desktop's sync thread(s), each with V8's --cpu-prof, then the functions with the most self
 * time per profile.
 * `npx tsx bench/sync-profile.ts [--events 100000] [--out test-results/profiles/sync] [--threads 1,2,…]
 *   [--chain-wait] [--plain] [--reuse]`
 * The filled collector database is kept in --out and copied fresh for every run, so the evidence
 * chain starts behind as in the bench. --chain-wait: the sync starts only once the collector's
 * evidence chain has caught up (how the bench runs it). --plain: no profiler (timing only).
 * --reuse: the last run's collector database instead of a fresh copy (its chain caught up).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openCache } from '../src-main/core/cache';
import { PULL_PAGE_SIZE } from '../src-main/core/sync/pull';
import { createSyncThreads, workerScript } from '../src-main/core/sync/worker/threads';
import { minorFaults, processCpuMs, startServer, threadCpuMs, TSX } from './lib/proc';
import { syncSeed } from './lib/sync-seed';
import { waitForChain } from './scenarios/chain-wait';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    out: { type: 'string', default: 'test-results/profiles/sync' },
    threads: { type: 'string', default: '1' },
    top: { type: 'string', default: '25' },
    'chain-wait': { type: 'boolean', default: false },
    plain: { type: 'boolean', default: false },
    reuse: { type: 'boolean', default: false },
  },
});
const n = Number(values.events);
const out = resolve(values.out);
const { seed, db, filled } = await syncSeed(out, n);
// --reuse: the previous run's collector database again (its evidence chain caught up already)
if (!values.reuse || !existsSync(db)) {
  for (const f of ['', '-wal', '-shm']) rmSync(`${db}${f}`, { force: true });
  copyFileSync(seed, db);
}

const profDir = join(out, `run-${Date.now()}`);
mkdirSync(profDir, { recursive: true });
const prof = values.plain ? [] : ['--cpu-prof', `--cpu-prof-dir=${join(profDir, 'collector')}`];
if (!values.plain) process.env['BLITZ_SYNC_CPU_PROF'] = join(profDir, 'desktop');
const server = await startServer(
  [...prof, ...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db],
  { DATABASE_URL: '', LOG_LEVEL: 'info' },
  { ownSession: true },
);
let ms = 0;
try {
  await workerScript();
  if (values['chain-wait']) {
    const w = await waitForChain(db, filled.accountId);
    process.stderr.write(`chain caught up after ${(w / 1000).toFixed(1)} s\n`);
  }
  // --threads 1,2,1,2: one sync per entry into a new cache, alternating, against the same collector
  for (const [i, count] of values.threads.split(',').entries()) {
    const cacheFile = join(profDir, `cache-${i}.db`);
    const cache = openCache(cacheFile);
    // started before the clock, as the app starts them with the core (volume.ts, syncThreads)
    const th = createSyncThreads({ cacheFile, nice: 0, threads: count === '2' ? 2 : 1 });
    await th.started();
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const faults0 = process.resourceUsage().minorPageFault;
    const collectorCpu0 = processCpuMs(server.child.pid);
    const collectorWait0 = mainThreadWaitMs(server.child.pid);
    const collectorFaults0 = minorFaults(server.child.pid);
    const collectorThreads0 = threadCpuMs(server.child.pid);
    const desktopThreads0 = threadCpuMs(process.pid);
    let firstPage = 0;
    const applies: number[] = [];
    const r = await th.pull({
      collector: { baseUrl: server.url, token: filled.token, timeoutMs: 120_000 },
      after: 0,
      history: true,
      pageSize: PULL_PAGE_SIZE,
      onPage: (report) => {
        firstPage ||= performance.now() - t0;
        applies.push(report.applyMs);
      },
    });
    ms = performance.now() - t0;
    // this process's CPU time during the sync: the sync threads' work, whatever the load (the
    // main thread only waits), against wall times that grow with the other sessions' load
    const cpu = process.cpuUsage(cpu0);
    const faults = process.resourceUsage().minorPageFault - faults0;
    const collectorCpu = processCpuMs(server.child.pid) - collectorCpu0;
    const collectorWait = mainThreadWaitMs(server.child.pid) - collectorWait0;
    const collectorFaults = minorFaults(server.child.pid) - collectorFaults0;
    if (!r.ok) throw new Error(`sync failed: ${r.error.code}`);
    process.stderr.write(
      `threads ${count}: sync ${r.value.events} events ${ms.toFixed(0)} ms (first page committed after ${firstPage.toFixed(0)} ms), writer busy ${r.value.applyMs.toFixed(0)} ms, desktop CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms (sys ${(cpu.system / 1000).toFixed(0)}, ${faults} minor page faults), collector CPU ${collectorCpu.toFixed(0)} ms (its main thread waited ${collectorWait.toFixed(0)} ms for a core; ${collectorFaults} minor page faults); load ${loadavg()[0]!.toFixed(1)}\n`,
    );
    // which threads used the CPU during the sync: the collector's main thread serves pages, the
    // desktop's sync threads fetch and write (this process's main thread only waits)
    const busy = (pid: number | undefined, before: ReturnType<typeof threadCpuMs>): string =>
      [...threadCpuMs(pid)]
        .map(([tid, t]) => ({
          tid,
          name: t.name,
          ms: t.ms - (before.get(tid)?.ms ?? 0),
          sysMs: t.sysMs - (before.get(tid)?.sysMs ?? 0),
          faults: t.faults - (before.get(tid)?.faults ?? 0),
          waitMs: t.waitMs - (before.get(tid)?.waitMs ?? 0),
          preempted: t.preempted - (before.get(tid)?.preempted ?? 0),
        }))
        .filter((t) => t.ms >= 20)
        .sort((x, y) => y.ms - x.ms)
        .map(
          (t) =>
            `${t.tid === pid ? 'main' : `${t.name} ${t.tid}`} ${t.ms.toFixed(0)} ms (sys ${t.sysMs.toFixed(0)}, ${t.faults} minor page faults, waited ${t.waitMs.toFixed(0)} ms for a core, preempted ${t.preempted}×)`,
        )
        .join(', ');
    process.stderr.write(`  collector threads: ${busy(server.child.pid, collectorThreads0)}\n`);
    process.stderr.write(`  desktop threads: ${busy(process.pid, desktopThreads0)}\n`);
    applies.sort((x, y) => x - y);
    const q = (p: number): string => (applies[Math.floor((applies.length - 1) * p)] ?? 0).toFixed(0);
    process.stderr.write(
      `  page apply ms: p10 ${q(0.1)}, p50 ${q(0.5)}, p90 ${q(0.9)}, max ${q(1)}; over 100 ms: ${applies.filter((x) => x > 100).length} of ${applies.length}\n`,
    );
    await th.close();
    cache.close();
  }
} finally {
  await server.stop();
}
if (!values.plain) {
  for (const side of ['collector', 'desktop']) {
    const dir = join(profDir, side);
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.cpuprofile')))
      printTop(`${side}/${f}`, join(dir, f), Number(values.top));
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
function printTop(label: string, file: string, top: number): void {
  const p = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!)!;
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    total += dt;
    const f = node.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.replace(/^.*\/(src-|node_modules\/)/, '$1')}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + dt);
  }
  const idle = self.get('(idle) :0') ?? 0;
  console.log(`\n${label}: ${total.toFixed(0)} ms sampled, ${(total - idle).toFixed(0)} ms busy`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${v.toFixed(0).padStart(8)} ms  ${k}`);
}

/** how long a process's main thread has waited for a core while runnable, in ms (/proc schedstat) */
function mainThreadWaitMs(pid: number | undefined): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}
