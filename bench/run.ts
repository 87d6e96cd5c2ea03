import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { formatGoals, judgeGoals, scaleScenarios } from './scenarios/goals';
import { scenarios } from './scenarios/index';
import { uiList } from './scenarios/ui-list';
import type { Row } from './scenarios/types';

/**
 * npm run bench [-- --json FILE] [--duration 10] [--connections 64] [--threads 2] [--only pixel] [--quick]
 *   [--growth 10000000]
 * --quick: 3 s per measurement, 1 s warm-up, 100,000 instead of 1,000,000 events for sync/growth.
 * --growth N: the growth rows also at N stored events (filling 10,000,000 takes minutes and
 *   about 11 GB per store on disk); the sync stays at 1,000,000.
 * Not a test: prints a table (and optionally JSON) of throughput and latency per scenario.
 */
const { values } = parseArgs({
  options: {
    json: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '64' },
    threads: { type: 'string', default: '2' },
    only: { type: 'string' },
    quick: { type: 'boolean', default: false },
    growth: { type: 'string' },
  },
});

// DATABASE_URL would turn every `collector` the scenarios start into a PostgreSQL one: the
// PostgreSQL scenarios take it from BLITZ_BENCH_DATABASE_URL instead (bench/scenarios/pg-cluster.ts)
if (process.env.DATABASE_URL) process.env.BLITZ_BENCH_DATABASE_URL ??= process.env.DATABASE_URL;
delete process.env.DATABASE_URL;

const opts = {
  durationS: values.quick ? Math.min(3, Number(values.duration)) : Number(values.duration),
  warmupS: values.quick ? Math.min(1, Number(values.warmup)) : Number(values.warmup),
  connections: Number(values.connections),
  threads: Number(values.threads),
};

const rows: Row[] = [];
for (const s of [
  ...scenarios,
  ...scaleScenarios(values.quick ?? false, values.growth ? Number(values.growth) : undefined),
  // --quick: a tenth of the data
  values.quick ? uiList(10_000, 100_000, 5) : uiList(),
]) {
  if (values.only && values.only !== s.name) continue;
  process.stderr.write(
    `running ${s.name}: ${s.description} (${opts.connections} connections, ${opts.durationS}s)\n`,
  );
  rows.push(...(await s.run(opts)));
}

const fmt = (n: number, d = 1): string => (Number.isFinite(n) ? n.toFixed(d) : '-');
const table = rows.map((r) => ({
  scenario: r.scenario,
  server: r.server,
  conns: String(r.connections),
  'hits/s': fmt(r.rps, 0),
  'p50 ms': fmt(r.p50ms, 2),
  'p99 ms': fmt(r.p99ms, 2),
  errors: String(r.errors),
  ratio: r.ratio === undefined ? '' : fmt(r.ratio, 2),
  note: r.note ?? '',
}));
const cols = Object.keys(table[0] ?? {}) as (keyof (typeof table)[number])[];
const width = (c: (typeof cols)[number]): number => Math.max(c.length, ...table.map((t) => t[c].length));
const line = (cells: Record<string, string>): string =>
  cols.map((c) => (cells[c] ?? '').padEnd(width(c))).join(' | ');
console.log(line(Object.fromEntries(cols.map((c) => [c, c]))));
console.log(cols.map((c) => '-'.repeat(width(c))).join('-|-'));
for (const t of table) console.log(line(t));
const headlines = rows.flatMap((r) => (r.headline ? [r.headline] : []));
if (headlines.length > 0) console.log(`\n${headlines.join('\n')}`);
const goals = judgeGoals(rows);
if (goals.length > 0) console.log(`\nGoals (issues 7 and 22)\n${formatGoals(goals)}`);

if (values.json) {
  writeFileSync(
    values.json,
    `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, options: opts, rows, goals }, null, 2)}\n`,
  );
  console.log(`JSON written to ${values.json}`);
}
