import { median } from '../lib/stats';
import { compare } from './compare';
import { roundRatios, type SyncRoundFigures } from './sync-limits';
import type { Row, Scenario } from './types';
import { volume } from './volume';

/** the scenarios of issue 7; `quick` shortens the volume part (100,000 instead of 1,000,000 events) */
export function scaleScenarios(quick: boolean, growthEvents?: number): Scenario[] {
  const sync = quick ? 100_000 : 1_000_000;
  return [compare, volume(sync, growthEvents ?? sync)];
}

export interface GoalResult {
  goal: string;
  measured: string;
  met: boolean | null;
}

const find = (rows: readonly Row[], scenario: string, prefix: string): Row | undefined =>
  rows.find((r) => r.scenario === scenario && r.server.startsWith(prefix));

/** the targets of issue 7, judged on what this run measured (null: not measured in this run) */
export function judgeGoals(rows: readonly Row[]): GoalResult[] {
  const out: GoalResult[] = [];
  const ratio = (goal: string, scenario: string, ours: string, base: string, min: number): void => {
    const a = find(rows, scenario, ours);
    const b = find(rows, scenario, base);
    if (!a || !b || !(b.rps > 0)) return void out.push({ goal, measured: 'not measured', met: null });
    const x = a.rps / b.rps;
    out.push({
      goal,
      measured: `${x.toFixed(2)} × (${a.rps.toFixed(0)} vs ${b.rps.toFixed(0)} req/s)`,
      met: x >= min,
    });
  };
  for (const kind of ['pixel', 'click']) {
    ratio(`${kind}: Blitz/SQLite ≥ 0.6 × node:http`, kind, '(d)', '(b)', 0.6);
    ratio(`${kind}: Blitz/SQLite ≥ 0.35 × nginx`, kind, '(d)', '(a)', 0.35);
    ratio(`${kind}: Blitz/SQLite ≥ 5 × naive SQLite`, kind, '(d)', '(c) naive SQLite', 5);
    ratio(`${kind}: Blitz/PostgreSQL ≥ 4 × naive PostgreSQL`, kind, '(e)', '(c) naive PostgreSQL', 4);
    for (const ours of ['(d)', '(e)']) {
      const r = find(rows, kind, ours);
      out.push(
        r
          ? {
              goal: `${kind}: ${r.server.split(',')[0]} p99 ≤ 10 ms at ${r.connections} connections`,
              measured: `${r.p99ms.toFixed(2)} ms`,
              met: r.p99ms <= 10,
            }
          : { goal: `${kind}: ${ours} p99 ≤ 10 ms`, measured: 'not measured', met: null },
      );
    }
  }
  const sync = rows.find((r) => r.scenario.startsWith('sync:') && r.scenario.includes('from empty'));
  if (sync) {
    const seconds = sync.requests / sync.rps;
    const full = sync.requests >= 1_000_000;
    out.push({
      goal: '1,000,000 events pulled into an empty cache < 10 s',
      measured: `${sync.requests} events in ${seconds.toFixed(1)} s${full ? '' : ` (→ ${(1_000_000 / sync.rps).toFixed(1)} s extrapolated)`}`,
      met: 1_000_000 / sync.rps < 10,
    });
  }
  out.push(...judgeSyncGoals(rows));
  return out;
}

/** issue 22: the first sync against its same-run limits, and a small pull into a full cache */
function judgeSyncGoals(rows: readonly Row[]): GoalResult[] {
  const sync = rows.find((r) => /^sync: [\d,]+ from empty$/.test(r.scenario));
  const limit = (tag: string): number | undefined =>
    rows.find((r) => r.scenario.startsWith(`sync limit (${tag})`))?.p50ms;
  const [a, b, c] = [limit('a'), limit('b'), limit('c')];
  // the rounds' figures (each round's limits right after its sync); a JSON from before the rounds
  // has the one sync and its limits in the rows
  const rounds: SyncRoundFigures[] | null = sync
    ? (sync.rounds ??
      (a !== undefined && b !== undefined && c !== undefined
        ? [{ syncMs: sync.p50ms, readMs: a, insertMs: b, httpMs: c }]
        : null))
    : null;
  const out: GoalResult[] = [];
  if (rounds && rounds.length > 0) {
    const ratios = rounds.map(roundRatios);
    const toLimit = median(ratios.map((r) => r.toLimit));
    const toSerial = median(ratios.map((r) => r.toSerial));
    const of = (pick: (r: { toLimit: number; toSerial: number }) => number): string =>
      rounds.length > 1
        ? ` (median of ${rounds.length} rounds: ${ratios.map((r) => pick(r).toFixed(2)).join(', ')})`
        : ` (${(rounds[0]!.syncMs / 1000).toFixed(1)} s)`;
    out.push(
      {
        goal: 'first sync ≤ 1.5 × max(a, b, c) (same run)',
        measured: `${toLimit.toFixed(2)} ×${of((r) => r.toLimit)}`,
        met: toLimit <= 1.5,
      },
      {
        goal: 'first sync ≤ 0.8 × ((a) + (b)) (same run)',
        measured: `${toSerial.toFixed(2)} ×${of((r) => r.toSerial)}`,
        met: toSerial <= 0.8,
      },
    );
  }
  const inc = rows.find((r) => r.scenario === 'sync: 1,000 new into full cache');
  if (inc)
    out.push({
      goal: '1,000 new events into a full cache ≤ 50 ms',
      measured: `${inc.p50ms.toFixed(0)} ms`,
      met: inc.p50ms <= 50,
    });
  return out;
}

export function formatGoals(goals: readonly GoalResult[]): string {
  const w = Math.max(...goals.map((g) => g.goal.length));
  return goals
    .map((g) => `${g.met === null ? '  ?  ' : g.met ? ' met ' : 'MISSED'} ${g.goal.padEnd(w)}  ${g.measured}`)
    .join('\n');
}
