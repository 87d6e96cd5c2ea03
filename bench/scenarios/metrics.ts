import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { CollectorMetrics } from '../../src-collector/ops/metrics';
import type { NewHit } from '../../src-collector/store/types';
import { wrk, type LoadResult } from '../lib/wrk';
import { startBlitz } from './blitz-setup';
import type { BenchOptions, Row, Scenario } from './types';
import { median } from '../lib/stats';

/** the labelled samples of one metric family in a Prometheus text answer, summed */
export function promSum(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-z_]+)(?:\{([^}]*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1] as string, x[2] as string]),
    );
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** CPU seconds (user + system, every thread) the process has used: /proc/PID/stat, in clock ticks */
function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name in brackets: state is field 3, utime 14, stime 15
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/**
 * The metrics' own work per hit, in this process: an answer counted as ops/index.ts counts it
 * (from the response's close listener) and a twentieth of a 20-hit batch's commit, minus the
 * same loop without metrics. Median of 7 rounds of 200,000. A shared machine cannot resolve a
 * few per cent in hits/s; this number against the collector's CPU per hit can.
 */
export function metricsNsPerHit(): number {
  const m = new CollectorMetrics({ queueDepth: () => 0, openStreams: () => 0 });
  const rows = Array.from(
    { length: 20 },
    (_, i) =>
      ({ signals: { kind: 'open' }, classification: { verdict: i % 3 ? 'human' : 'proxy' } }) as NewHit,
  );
  const res = (): ServerResponse => {
    const e = new EventEmitter() as EventEmitter & { statusCode: number; headersSent: boolean };
    e.statusCode = 200;
    e.headersSent = true;
    return e as unknown as ServerResponse;
  };
  const N = 200_000;
  const rounds: number[] = [];
  for (let round = 0; round < 7; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const r = res();
      r.once('close', () => m.countAnswer(r));
      r.emit('close');
      if (i % 20 === 19) m.committed(rows, 20, 1, true);
    }
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < N; i++) {
      const r = res();
      r.once('close', () => undefined);
      r.emit('close');
    }
    const t2 = process.hrtime.bigint();
    rounds.push(Math.max(0, Number(t1 - t0) - Number(t2 - t1)) / N);
  }
  m.close();
  return median(rounds);
}

/**
 * Issue 20: what the per-request Prometheus metrics cost on the hit path. The same durable SQLite
 * collector with BLITZ_METRICS=0 and =1, four runs each in the order off on on off off on on off
 * (a loaded machine drifts; the best hits/s of each arm and the median collector CPU per hit
 * are compared), the evidence chain off in both (BLITZ_EVIDENCE=0) so only the metrics
 * differ. Every metrics-on run is then scraped and checked against the bench's own counts: the
 * stored events, and wrk's completed answers (warm-up + run).
 */
export const metrics: Scenario = {
  name: 'metrics',
  description: 'pixel hits/s with Prometheus metrics off vs on; /metrics checked against the counts',
  async run(opts: BenchOptions): Promise<Row[]> {
    const rows: Row[] = [];
    const arms: { on: boolean; row: Row; cpuUsPerHit: number }[] = [];
    const checks: string[] = [];
    const saved = { ev: process.env.BLITZ_EVIDENCE, m: process.env.BLITZ_METRICS };
    process.env.BLITZ_EVIDENCE = '0';
    try {
      for (const on of [false, true, true, false, false, true, true, false]) {
        process.env.BLITZ_METRICS = on ? '1' : '0';
        const b = await startBlitz('sqlite');
        try {
          let warm: LoadResult | null = null;
          if (opts.warmupS > 0)
            warm = await wrk(b.server.url, b.pixelPaths, { ...opts, durationS: opts.warmupS });
          const cpu0 = cpuSeconds(b.server.child.pid);
          const r = await wrk(b.server.url, b.pixelPaths, opts);
          // CPU per answered hit: what the collector spends, whatever else the machine runs
          const cpuUsPerHit = ((cpuSeconds(b.server.child.pid) - cpu0) * 1e6) / Math.max(1, r.requests);
          let note = 'baseline';
          if (on) note = await checkScrape(b.server.url, () => b.storedEvents(), warm, r, opts.connections);
          else {
            const res = await fetch(`${b.server.url}/metrics`);
            note = `/metrics answers ${res.status}`;
          }
          if (on) checks.push(note);
          const row: Row = {
            scenario: 'metrics',
            server: `Blitz SQLite pixel, metrics ${on ? 'ON' : 'off'} (chain off)`,
            connections: opts.connections,
            ...r,
            note: `${cpuUsPerHit.toFixed(0)} µs CPU/hit; ${note}`,
          };
          rows.push(row);
          arms.push({ on, row, cpuUsPerHit });
        } finally {
          await b.stop();
        }
      }
    } finally {
      restore('BLITZ_EVIDENCE', saved.ev);
      restore('BLITZ_METRICS', saved.m);
    }
    const best = (on: boolean): Row =>
      arms
        .filter((a) => a.on === on)
        .map((a) => a.row)
        .sort((a, b) => b.rps - a.rps)[0]!;
    const off = best(false);
    const onBest = best(true);
    const ratio = off.rps > 0 ? onBest.rps / off.rps : NaN;
    const cpuOff = median(arms.filter((a) => !a.on).map((a) => a.cpuUsPerHit));
    const cpuOn = median(arms.filter((a) => a.on).map((a) => a.cpuUsPerHit));
    const cpuRatio = cpuOn / cpuOff;
    const opsNs = metricsNsPerHit();
    const share = opsNs / 1000 / cpuOn;
    rows.push({
      ...onBest,
      server: 'metrics ON vs off (better run of each)',
      ratio,
      note: `goal ≥ 0.97: off ${off.rps.toFixed(0)}/s p99 ${off.p99ms.toFixed(2)} ms, on ${onBest.rps.toFixed(0)}/s p99 ${onBest.p99ms.toFixed(2)} ms; CPU/hit on/off ${cpuRatio.toFixed(3)}`,
      headline:
        `metrics cost: on/off hits/s ${ratio.toFixed(3)} (goal ≥ 0.97), p99 off ${off.p99ms.toFixed(2)} ms / on ${onBest.p99ms.toFixed(2)} ms; ` +
        `collector CPU per hit (median of ${arms.length / 2} runs each) off ${cpuOff.toFixed(1)} µs / on ${cpuOn.toFixed(1)} µs = ${cpuRatio.toFixed(3)}; ` +
        `the metrics' own work ${opsNs.toFixed(0)} ns per hit = ${(share * 100).toFixed(2)} % of the collector's CPU per hit (goal < 3 %); ` +
        `scrape vs counts: ${checks.join('; ')}`,
    });
    return rows;
  },
};

function restore(name: string, v: string | undefined): void {
  if (v === undefined) delete process.env[name];
  else process.env[name] = v;
}

/**
 * blitz_hits_total must equal the stored events (each counted once its batch committed), and
 * the 2xx answers counted by blitz_http_responses_total must cover what wrk saw answered (wrk
 * does not count answers in flight when it stops; the register call is one more 2xx). Throws
 * when they disagree: a bench whose metrics lie must not print a table.
 */
async function checkScrape(
  url: string,
  stored: () => Promise<number>,
  warm: LoadResult | null,
  run: LoadResult,
  connections: number,
): Promise<string> {
  // the writer may still commit what wrk cut off: wait until the stored count stands still
  let events = 0;
  let text = '';
  for (let i = 0; i < 50; i++) {
    events = await stored();
    text = await (await fetch(`${url}/metrics`)).text();
    if (promSum(text, 'blitz_hits_total') === events) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const hits = promSum(text, 'blitz_hits_total');
  const answered2xx = promSum(text, 'blitz_http_responses_total', { class: '2xx' });
  const wrkOk = (warm ? warm.requests - warm.errors : 0) + run.requests - run.errors;
  const problems: string[] = [];
  if (hits !== events) problems.push(`blitz_hits_total ${hits} ≠ stored events ${events}`);
  // the GIFs wrk got are ≤ the 2xx counted; what wrk cut off at most one per connection per run
  if (answered2xx < wrkOk || answered2xx > wrkOk + 2 * connections + 1)
    problems.push(`2xx answers ${answered2xx} vs wrk's ${wrkOk}`);
  if (events < wrkOk) problems.push(`stored ${events} < wrk's answered pixels ${wrkOk}`);
  if (problems.length > 0) throw new Error(`metrics disagree with the bench: ${problems.join('; ')}`);
  return `scrape ok: hits_total ${hits} = stored ${events}, 2xx ${answered2xx} ≥ wrk ${wrkOk}`;
}
