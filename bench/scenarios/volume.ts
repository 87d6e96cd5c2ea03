import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCache } from '../../src-main/core/cache';
import { createCollectorClient } from '../../src-main/core/collector/client';
import { pullPages } from '../../src-main/core/sync/pull';
import { startServer, TSX, type Server } from '../lib/proc';
import { wrk } from '../lib/wrk';
import { fillPostgres, fillSqlite, type Filled } from './fill';
import { acquirePg, benchSchema, releasePg } from './pg-cluster';
import type { BenchOptions, Row, Scenario } from './types';

/** the page of the growth row "pull newest 500" (kept at 500 so runs stay comparable) */
const LATENCY_PAGE = 500;
const SMALL = 10_000;

export interface VolumeOptions extends BenchOptions {
  /** the large event count: 1,000,000 by default, less with --quick */
  largeEvents: number;
}

async function serve(store: 'sqlite' | 'postgres', where: string): Promise<Server> {
  return store === 'sqlite'
    ? startServer([...TSX, 'src-collector/cli.ts', 'serve', '--port', '0', '--db', where], {
        DATABASE_URL: '',
        LOG_LEVEL: 'info',
      })
    : startServer([...TSX, 'src-collector/cli.ts', 'serve', '--port', '0'], {
        DATABASE_URL: where,
        LOG_LEVEL: 'info',
      });
}

/**
 * The desktop's real pull loop, minus its SSE stream and timers: pullPages (src-main/core/sync/pull.ts),
 * which the sync calls — the collector client's pullEvents, the next page requested while the
 * current one is applied, one transaction per page with the cursor — into a SQLite cache file.
 * pullMs is the time spent waiting for the collector (what the overlap did not hide).
 */
export async function pullIntoCache(
  url: string,
  token: string,
  cacheFile: string,
): Promise<{ events: number; ms: number; pullMs: number; applyMs: number }> {
  const cache = openCache(cacheFile);
  const client = createCollectorClient({ baseUrl: url, token, timeoutMs: 60_000 });
  const t0 = performance.now();
  try {
    const r = await pullPages({ cache, client });
    if (!r.ok) throw new Error(`pull failed: ${r.error.code} ${r.error.detail ?? ''}`);
    return {
      events: r.value.events,
      ms: performance.now() - t0,
      pullMs: r.value.waitMs,
      applyMs: r.value.applyMs,
    };
  } finally {
    cache.close();
  }
}

/** latency of pulling the newest page (a desktop catching up) on a database of `events` events */
async function pullLatency(
  url: string,
  token: string,
  events: number,
  samples = 40,
): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    const r = await fetch(
      `${url}/api/v1/events?after=${Math.max(0, events - LATENCY_PAGE)}&limit=${LATENCY_PAGE}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    await r.arrayBuffer();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return {
    p50: times[Math.floor(samples * 0.5)]!,
    p99: times[Math.min(samples - 1, Math.floor(samples * 0.99))]!,
  };
}

const row = (scenario: string, server: string, over: Partial<Row>): Row => ({
  scenario,
  server,
  connections: 1,
  rps: NaN,
  p50ms: NaN,
  p99ms: NaN,
  requests: 0,
  errors: 0,
  ...over,
});

/**
 * Sync: 1,000,000 events pulled from empty into the desktop cache, then 1,000 new ones into the
 * full cache. Growth: pixel throughput and newest-page pull latency at 10,000 events and at the
 * large count, on SQLite and PostgreSQL. BLITZ_BENCH_SYNC_ONLY=1 measures only the two sync rows
 * (`BLITZ_BENCH_SYNC_ONLY=1 npm run bench -- --only volume`).
 */
export function volume(largeEvents: number, growthEvents = largeEvents): Scenario {
  const sizes = [...new Set([SMALL, largeEvents, growthEvents])].sort((a, b) => a - b);
  return {
    name: 'volume',
    description: `sync ${largeEvents.toLocaleString('en')} events into the desktop cache; growth ${sizes.map((n) => n.toLocaleString('en')).join(' vs ')}`,
    async run(opts: BenchOptions): Promise<Row[]> {
      const rows: Row[] = [];
      const dir = mkdtempSync(join(tmpdir(), 'blitz-volume-'));
      const syncOnly = process.env.BLITZ_BENCH_SYNC_ONLY === '1';
      const pg = syncOnly ? '' : await acquirePg();
      try {
        for (const store of syncOnly ? (['sqlite'] as const) : (['sqlite', 'postgres'] as const)) {
          for (const n of syncOnly ? [largeEvents] : sizes) {
            let where: string;
            let drop = async (): Promise<void> => {};
            let filled: Filled;
            const f0 = performance.now();
            if (store === 'sqlite') {
              where = join(dir, `c-${n}.db`);
              filled = await fillSqlite(where, n);
            } else {
              const schema = await benchSchema(pg);
              where = schema.url;
              drop = () => schema.drop();
              filled = await fillPostgres(where, n);
            }
            process.stderr.write(
              `  ${store}: ${n} events written in ${((performance.now() - f0) / 1000).toFixed(1)} s\n`,
            );
            const server = await serve(store, where);
            try {
              const label = `Blitz/${store === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${n.toLocaleString('en')} events`;
              if (!syncOnly) {
                const lat = await pullLatency(server.url, filled.token, n);
                rows.push(
                  row('growth: pull newest 500', label, { p50ms: lat.p50, p99ms: lat.p99, requests: 40 }),
                );
              }
              // sync from empty once, on SQLite at the large count (the desktop's first start on a big account)
              if (store === 'sqlite' && n === largeEvents) {
                const cacheFile = join(dir, 'cache.db');
                const full = await pullIntoCache(server.url, filled.token, cacheFile);
                rows.push(
                  row(`sync: ${n.toLocaleString('en')} from empty`, 'desktop cache ← Blitz/SQLite', {
                    rps: (full.events / full.ms) * 1000,
                    requests: full.events,
                    note: `${(full.ms / 1000).toFixed(1)} s for ${full.events} events: waiting for pages ${(full.pullMs / 1000).toFixed(1)} s, cache apply ${(full.applyMs / 1000).toFixed(1)} s; rps = events/s`,
                  }),
                );
                // 1,000 new hits through the real pixel path, then the pull into the full cache
                const paths = filled.tokens.map((t) => `/o/${t}.gif`);
                await Promise.all(
                  Array.from({ length: 50 }, async (_, w) => {
                    for (let i = w; i < 1000; i += 50)
                      await fetch(`${server.url}${paths[i % paths.length]}`).then((r) => r.arrayBuffer());
                  }),
                );
                const inc = await pullIntoCache(server.url, filled.token, cacheFile);
                rows.push(
                  row('sync: 1,000 new into full cache', 'desktop cache ← Blitz/SQLite', {
                    rps: (inc.events / inc.ms) * 1000,
                    requests: inc.events,
                    p50ms: inc.ms,
                    note: `${inc.ms.toFixed(0)} ms for ${inc.events} events (p50 column = total ms)`,
                  }),
                );
              }
              if (syncOnly) continue;
              if (opts.warmupS > 0)
                await wrk(
                  server.url,
                  filled.tokens.map((t) => `/o/${t}.gif`),
                  { ...opts, durationS: opts.warmupS },
                );
              const r = await wrk(
                server.url,
                filled.tokens.map((t) => `/o/${t}.gif`),
                opts,
              );
              rows.push({ scenario: 'growth: pixel', server: label, connections: opts.connections, ...r });
            } finally {
              await server.stop();
              await drop();
              if (store === 'sqlite') rmSync(where, { force: true });
            }
          }
        }
      } finally {
        if (!syncOnly) releasePg();
        rmSync(dir, { recursive: true, force: true });
      }
      return rows;
    },
  };
}
