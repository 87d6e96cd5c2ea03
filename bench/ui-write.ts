/**
 * How long a small write of the UI's thread waits while a first sync writes (the write gate,
 * src-main/core/cache/write-gate.ts), against the same syncs without the gate in the same run.
 * The UI's connection writes one row every --every ms during each sync of --events events, as
 * marking a feed seen or saving a draft does; runs alternate with and without the gate.
 * `npx tsx bench/ui-write.ts [--events 1000000] [--runs 3] [--every 40] [--out test-results/profiles/sync1m]`
 * (the collector database is sync-profile's: filled on first use, then reused).
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openCache } from '../src-main/core/cache';
import { PULL_PAGE_SIZE } from '../src-main/core/sync/pull';
import { createSyncThreads, workerScript } from '../src-main/core/sync/worker/threads';
import { startServer, TSX } from './lib/proc';
import { median } from './lib/stats';
import { syncSeed } from './lib/sync-seed';
import { waitForChain } from './scenarios/chain-wait';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '3' },
    every: { type: 'string', default: '40' },
    out: { type: 'string', default: 'test-results/profiles/sync1m' },
  },
});
const runs = Number(values.runs);
const every = Number(values.every);
const { seed, db, filled } = await syncSeed(values.out, Number(values.events));
const fresh = !existsSync(db);
if (fresh) copyFileSync(seed, db);
const server = await startServer(
  [...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', db],
  { DATABASE_URL: '', LOG_LEVEL: 'info' },
  { ownSession: true },
);
const dir = mkdtempSync(join(tmpdir(), 'blitz-ui-write-'));

interface Run {
  syncMs: number;
  waits: number[];
}

/** one first sync into a new cache while the UI's connection writes every `every` ms */
async function syncWhileWriting(gated: boolean, i: number): Promise<Run> {
  const cacheFile = join(dir, `cache-${i}.db`);
  const cache = openCache(cacheFile);
  // as the core does during a first sync (core/sync/sync.ts): the writer checkpoints, not the UI
  cache.autoCheckpoint(false);
  const threads = createSyncThreads({ cacheFile, writeGate: gated ? cache.writeGate : undefined });
  try {
    await threads.started();
    const waits: number[] = [];
    let n = 0;
    const timer = setInterval(() => {
      const t0 = performance.now();
      cache.tx(() => cache.meta.set('bench.ui-write', n++));
      waits.push(performance.now() - t0);
    }, every);
    const t0 = performance.now();
    const r = await threads.pull({
      collector: { baseUrl: server.url, token: filled.token, timeoutMs: 120_000 },
      after: 0,
      history: true,
      pageSize: PULL_PAGE_SIZE,
      onPage: () => undefined,
    });
    clearInterval(timer);
    if (!r.ok) throw new Error(`sync failed: ${r.error.code}`);
    return { syncMs: performance.now() - t0, waits };
  } finally {
    await threads.close();
    cache.close();
    for (const f of ['', '-wal', '-shm']) rmSync(cacheFile + f, { force: true });
  }
}

const q = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) * p)] ?? NaN;
};
try {
  await workerScript();
  if (fresh) await waitForChain(db, filled.accountId);
  const results = { gate: [] as Run[], none: [] as Run[] };
  for (let i = 0; i < runs * 2; i++) {
    // alternating, the gate second in the first pair
    const gated = i % 2 === 1;
    const r = await syncWhileWriting(gated, i);
    (gated ? results.gate : results.none).push(r);
    process.stderr.write(
      `${gated ? 'gate   ' : 'no gate'}: sync ${(r.syncMs / 1000).toFixed(2)} s, ${r.waits.length} UI writes, p50 ${q(r.waits, 0.5).toFixed(0)} ms, max ${Math.max(...r.waits).toFixed(0)} ms\n`,
    );
  }
  const row = (name: string, rs: Run[]) => {
    const all = rs.flatMap((r) => r.waits);
    return {
      name,
      syncS: median(rs.map((r) => r.syncMs)) / 1000,
      writes: all.length,
      p50: q(all, 0.5),
      p90: q(all, 0.9),
      p99: q(all, 0.99),
      max: Math.max(...all),
      over100: all.filter((w) => w > 100).length,
    };
  };
  const base = row('without the gate (baseline)', results.none);
  const gate = row('with the write gate', results.gate);
  console.log(`\n${values.events} events, ${runs} syncs each, a UI write every ${every} ms\n`);
  console.log('| | sync, median s | UI writes made | p50 ms | p90 ms | p99 ms | max ms | over 100 ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of [base, gate])
    console.log(
      `| ${r.name} | ${r.syncS.toFixed(2)} | ${r.writes} | ${r.p50.toFixed(0)} | ${r.p90.toFixed(0)} | ${r.p99.toFixed(0)} | ${r.max.toFixed(0)} | ${r.over100} |`,
    );
  console.log(
    `\nratios gate ÷ baseline: sync ${(gate.syncS / base.syncS).toFixed(2)} ×, p90 wait ${(gate.p90 / base.p90).toFixed(2)} ×, max wait ${(gate.max / base.max).toFixed(2)} ×`,
  );
} finally {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
