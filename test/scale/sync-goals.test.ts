import { describe, expect, it } from 'vitest';
import { judgeGoals } from '../../bench/scenarios/goals';
import { bracketRounds, syncHeadline, type SyncRoundFigures } from '../../bench/scenarios/sync-limits';
import type { Row } from '../../bench/scenarios/types';

/**
 * Issue 22's verdicts as the bench prints them: each round's sync against the mean of the limits
 * measured right before and right after it, the goal on the median of the rounds' ratios
 * (bench/scenarios/volume.ts).
 */
const row = (scenario: string, p50ms: number, over: Partial<Row> = {}): Row => ({
  scenario,
  server: 'test',
  connections: 1,
  rps: 1_000_000 / (p50ms / 1000),
  p50ms,
  p99ms: NaN,
  requests: 1_000_000,
  errors: 0,
  ...over,
});
const limits = (a: number, b: number, c: number): Row[] => [
  row('sync limit (a): store read + page JSON', a),
  row('sync limit (b): cache insert', b),
  row('sync limit (c): loopback HTTP', c),
];
const goal = (rows: Row[], start: string) => judgeGoals(rows).find((g) => g.goal.startsWith(start));

describe('first sync goals over rounds', () => {
  // ratios to serial 0.85, 0.70, 0.75 (median 0.75); to max(a, b, c) 1.42, 1.17, 1.13 (median 1.17)
  const rounds: SyncRoundFigures[] = [
    { syncMs: 4_250, readMs: 2_000, insertMs: 3_000, httpMs: 1_000 },
    { syncMs: 3_500, readMs: 2_000, insertMs: 3_000, httpMs: 1_000 },
    { syncMs: 4_500, readMs: 2_000, insertMs: 4_000, httpMs: 1_000 },
  ];
  // the rows hold medians, which alone would give other ratios (4,250 / (2,000 + 3,000) = 0.85)
  const rows = [row('sync: 1,000,000 from empty', 4_250, { rounds }), ...limits(2_000, 3_000, 1_000)];

  it('judges each goal on the median of the per-round ratios', () => {
    const serial = goal(rows, 'first sync ≤ 0.8');
    expect(serial?.met).toBe(true);
    expect(serial?.measured).toBe('0.75 × (median of 3 rounds: 0.85, 0.70, 0.75)');
    const max = goal(rows, 'first sync ≤ 1.5');
    expect(max?.met).toBe(true);
    expect(max?.measured).toBe('1.17 × (median of 3 rounds: 1.42, 1.17, 1.13)');
  });

  it('misses when most rounds miss, whatever the best round did', () => {
    // 0.88, 0.40, 0.86
    const slow = [4_400, 2_000, 4_300].map((syncMs) => ({
      syncMs,
      readMs: 2_000,
      insertMs: 3_000,
      httpMs: 1_000,
    }));
    const rows = [row('sync: 1,000,000 from empty', 4_300, { rounds: slow }), ...limits(2_000, 3_000, 1_000)];
    const serial = goal(rows, 'first sync ≤ 0.8');
    expect(serial?.met).toBe(false);
    expect(serial?.measured).toBe('0.86 × (median of 3 rounds: 0.88, 0.40, 0.86)');
  });

  it('reads a JSON from before the rounds: the one sync against its limits', () => {
    const old = [row('sync: 1,000,000 from empty', 4_500), ...limits(2_000, 3_000, 1_000)];
    const serial = goal(old, 'first sync ≤ 0.8');
    expect(serial?.met).toBe(false);
    expect(serial?.measured).toBe('0.90 × (4.5 s)');
    expect(goal(old, 'first sync ≤ 1.5')?.met).toBe(true);
  });

  it('prints the headline in the issue’s shape, with each round’s ratio to serial', () => {
    expect(syncHeadline(1_000_000, rounds)).toBe(
      'sync 1,000,000 from empty: 4.3 s = 1.17 × limit, 0.75 × serial (medians of 3 rounds; × serial per round: 0.85, 0.70, 0.75)',
    );
    expect(syncHeadline(1_000_000, rounds.slice(0, 1))).toBe(
      'sync 1,000,000 from empty: 4.3 s = 1.42 × limit, 0.85 × serial',
    );
  });
});

describe('each sync between two measurements of its limits', () => {
  const l = (readMs: number, insertMs: number, httpMs: number) => ({ readMs, insertMs, httpMs });

  it('judges sync i against the mean of the limits before it (i) and after it (i + 1)', () => {
    // the machine slows down during round 2: its limits after it are 1.5 × those before it
    const limits = [l(2_000, 3_000, 1_000), l(2_000, 3_000, 1_000), l(3_000, 4_500, 1_500)];
    const rounds = bracketRounds([3_500, 5_000], limits);
    expect(rounds.map((r) => [r.readMs, r.insertMs, r.httpMs])).toEqual([
      [2_000, 3_000, 1_000],
      [2_500, 3_750, 1_250],
    ]);
    expect(rounds[1]!.before).toEqual(limits[1]);
    expect(rounds[1]!.after).toEqual(limits[2]);
    // 5.0 s against 6.25 s of serial limits: 0.80; against the slow limits after it alone 0.67,
    // against the quick ones before it alone 1.0
    expect(syncHeadline(1_000_000, rounds)).toBe(
      'sync 1,000,000 from empty: 4.3 s = 1.25 × limit, 0.75 × serial (medians of 2 rounds; × serial per round: 0.70, 0.80)',
    );
  });

  it('keeps only the three limits of each measurement in the rounds (the JSON stays small)', () => {
    const measured = { ...l(2_000, 3_000, 1_000), insertBulkMs: 2_200, sizes: [1_358_197, 1_343_956] };
    const [round] = bracketRounds([3_500], [measured, l(2_000, 3_000, 1_000)]);
    expect(round!.before).toStrictEqual(l(2_000, 3_000, 1_000));
  });

  it('refuses limits that do not bracket every sync', () => {
    expect(() => bracketRounds([3_500, 5_000], [l(2_000, 3_000, 1_000), l(2_000, 3_000, 1_000)])).toThrow(
      '2 syncs need 3 limit measurements, not 2',
    );
  });
});
