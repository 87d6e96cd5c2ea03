import type { ServerResponse } from 'node:http';
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { NewHit } from '../store/types';

/**
 * The collector's Prometheus metrics (docs/collector.md, "Watching it"). One registry per running
 * collector, not prom-client's global one: tests and the desktop's local test mode run several
 * collectors in one process, each with its own numbers.
 *
 * The hot paths reach it through the one-line hooks below (`observeCommit`, `countRefusal`),
 * keyed by the object that calls them; with no metrics attached they cost one WeakMap lookup.
 */
export class CollectorMetrics {
  readonly registry = new Registry();
  readonly hits: Counter<'kind' | 'verdict'>;
  readonly hitsFailed: Counter;
  readonly batchSize: Histogram;
  readonly commitSeconds: Histogram;
  readonly pullSeconds: Histogram;
  readonly refusals: Counter<'scope'>;
  readonly answers: Counter<'class'>;
  private readonly loop: IntervalHistogram;
  /**
   * pre-bound label children: `inc({labels})` hashes its label object on every call, once per
   * hit and per answer; a child is that lookup done once (bench/scenarios/metrics.ts)
   */
  private readonly hitChildren = new Map<string, { inc(n?: number): void }>();
  private readonly answerChildren: { inc(n?: number): void }[] = [];
  private readonly publicRefusals: { inc(n?: number): void };
  private readonly apiRefusals: { inc(n?: number): void };

  constructor(sources: { queueDepth: () => number; openStreams: () => number }) {
    const registers = [this.registry];
    this.hits = new Counter({
      name: 'blitz_hits_total',
      help: 'hits stored (committed), by kind (open, click, landing) and verdict',
      labelNames: ['kind', 'verdict'],
      registers,
    });
    this.hitsFailed = new Counter({
      name: 'blitz_hits_failed_total',
      help: 'hits that could not be classified or stored (their requests got no acknowledgement)',
      registers,
    });
    this.batchSize = new Histogram({
      name: 'blitz_write_batch_size',
      help: 'hits per batch handed to the store (group commit)',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.commitSeconds = new Histogram({
      name: 'blitz_commit_seconds',
      help: 'time from handing a batch to the store until its commit',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.pullSeconds = new Histogram({
      name: 'blitz_pull_seconds',
      help: 'GET /api/v1/events answer time',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.refusals = new Counter({
      name: 'blitz_rate_limit_refusals_total',
      help: 'requests over an abuse limit: public (hit answered, not recorded) or api (429)',
      labelNames: ['scope'],
      registers,
    });
    this.answers = new Counter({
      name: 'blitz_http_responses_total',
      help: 'answers by status class (2xx, 3xx, 4xx, 5xx), the fast pixel/click path included',
      labelNames: ['class'],
      registers,
    });
    for (let c = 1; c <= 5; c++) this.answerChildren[c] = this.answers.labels({ class: `${c}xx` });
    this.publicRefusals = this.refusals.labels({ scope: 'public' });
    this.apiRefusals = this.refusals.labels({ scope: 'api' });
    new Gauge({
      name: 'blitz_writer_queue_depth',
      help: 'hits waiting for the writer (not yet in a batch)',
      registers,
      collect() {
        this.set(sources.queueDepth());
      },
    });
    new Gauge({
      name: 'blitz_open_streams',
      help: 'open Server-Sent-Event streams',
      registers,
      collect() {
        this.set(sources.openStreams());
      },
    });
    this.loop = monitorEventLoopDelay({ resolution: 20 });
    this.loop.enable();
    const loop = this.loop;
    new Gauge({
      name: 'blitz_event_loop_lag_seconds',
      help: 'event-loop delay since the last scrape (p50, p99, max)',
      labelNames: ['quantile'],
      registers,
      collect() {
        // nanoseconds; an empty histogram reports NaN/huge values, so 0 until it has samples
        const n = loop.count > 0;
        this.set({ quantile: '0.5' }, n ? loop.percentile(50) / 1e9 : 0);
        this.set({ quantile: '0.99' }, n ? loop.percentile(99) / 1e9 : 0);
        this.set({ quantile: 'max' }, n ? loop.max / 1e9 : 0);
        loop.reset();
      },
    });
    new Gauge({
      name: 'blitz_process_memory_bytes',
      help: 'process memory: rss, heap_used, heap_total, external',
      labelNames: ['type'],
      registers,
      collect() {
        const m = process.memoryUsage();
        this.set({ type: 'rss' }, m.rss);
        this.set({ type: 'heap_used' }, m.heapUsed);
        this.set({ type: 'heap_total' }, m.heapTotal);
        this.set({ type: 'external' }, m.external);
      },
    });
    new Gauge({
      name: 'blitz_process_uptime_seconds',
      help: 'seconds since the process started',
      registers,
      collect() {
        this.set(process.uptime());
      },
    });
  }

  /** a batch of `size` hits finished committing (ok) or failed (`rows`: those handed to the store) */
  committed(rows: readonly NewHit[], size: number, ms: number, ok: boolean): void {
    if (!ok) {
      this.hitsFailed.inc(size);
      return;
    }
    this.batchSize.observe(rows.length);
    this.commitSeconds.observe(ms / 1000);
    // one inc per (kind, verdict) of the batch, not one per row
    const counts = new Map<string, number>();
    for (const r of rows) {
      const key = `${r.signals.kind}\u0000${r.classification.verdict}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    for (const [key, n] of counts) {
      let child = this.hitChildren.get(key);
      if (!child) {
        const [kind, verdict] = key.split('\u0000') as [string, string];
        child = this.hits.labels({ kind, verdict });
        this.hitChildren.set(key, child);
      }
      child.inc(n);
    }
  }

  /**
   * counts an answer (from fastify or the fast path); called from the one `close` listener every
   * response has already (ops/index.ts), once its headers went out
   */
  countAnswer(res: ServerResponse): void {
    if (!res.headersSent) return;
    const s = res.statusCode;
    this.answerChildren[Math.floor(s / 100)]?.inc();
    if (s === 429) this.apiRefusals.inc();
  }

  /** a public hit answered but not recorded (over an abuse limit) */
  countPublicRefusal(): void {
    this.publicRefusals.inc();
  }

  close(): void {
    this.loop.disable();
  }
}

const attached = new WeakMap<object, CollectorMetrics>();

/** makes `owner`'s hook calls (the hit writer, the rate limits) count into `m` */
export function attachMetrics(owner: object, m: CollectorMetrics): void {
  attached.set(owner, m);
}

/**
 * hook for the hit writer: a batch of `size` hits is done; `rows` were handed to the store at
 * `startedAt` (performance.now()) and committed when `ok`
 */
export function observeCommit(
  owner: object,
  rows: readonly NewHit[],
  size: number,
  startedAt: number,
  ok: boolean,
): void {
  attached.get(owner)?.committed(rows, size, performance.now() - startedAt, ok);
}

/** hook for the public limits: a hit was answered but not recorded */
export function countRefusal(owner: object): void {
  attached.get(owner)?.countPublicRefusal();
}
