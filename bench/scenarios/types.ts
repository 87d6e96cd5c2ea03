import type { SyncRoundFigures } from './sync-limits';

export interface BenchOptions {
  connections: number;
  threads: number;
  durationS: number;
  warmupS: number;
}

export interface Row {
  scenario: string;
  server: string;
  connections: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  requests: number;
  errors: number;
  /** extra facts, e.g. the ratio to the ceiling, or rows stored */
  note?: string;
  ratio?: number;
  /** a line printed under the table as it is (e.g. the sync against its same-run limits) */
  headline?: string;
  /** the first sync's rounds, each with its limits (bench/scenarios/sync-limits.ts) */
  rounds?: SyncRoundFigures[];
}

/** One benchmark scenario: starts what it needs, measures, stops everything. */
export interface Scenario {
  name: string;
  description: string;
  run(opts: BenchOptions): Promise<Row[]>;
}
