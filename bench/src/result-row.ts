export type Scenario = 'benchmark01' | 'sequential40' | 'fanout1000' | 'rebuild' | 'subscription' | 'limits' | 'soak' | 'overload';
export type Mode = 'standalone' | 'distributed';

/** One row of bench/results/latest.json: a scenario, a mode and a load step. */
export interface ResultRow {
  readonly scenario: Scenario;
  readonly mode: Mode;
  readonly offeredPerMin: number | null;
  readonly achievedPerMin: number | null;
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly [extra: string]: unknown;
}
