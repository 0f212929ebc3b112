import type { ResultRow } from './result-row.js';

const EVENTS_PER_BENCHMARK01 = 9;

/**
 * Each figure next to the limit it cannot beat on this machine: benchmark01's event rate
 * against single-event appends, the rebuild against batched appends, distributed latency
 * against the Kafka round trip.
 */
export function withRatios(rows: readonly ResultRow[]): ResultRow[] {
  const limit = (name: string) => rows.find((r) => r.scenario === 'limits' && r.limit === name);
  const single = limit('append-single')?.eventsPerSecond as number | undefined;
  const batch = limit('append-batch-100')?.eventsPerSecond as number | undefined;
  const rtt = limit('kafka-round-trip')?.p50Ms ?? undefined;
  return rows.map((row) => {
    if (row.scenario === 'benchmark01' && single && row.achievedPerMin) {
      return { ...row, eventsPerSecond: Math.round((row.achievedPerMin * EVENTS_PER_BENCHMARK01) / 60), ratioToLimit: round((row.achievedPerMin * EVENTS_PER_BENCHMARK01) / 60 / single), limit: 'append-single events/s' };
    }
    if (row.scenario === 'rebuild' && batch) return { ...row, ratioToLimit: round((row.eventsPerSecond as number) / batch), limit: 'append-batch-100 events/s' };
    if (row.mode === 'distributed' && (row.scenario === 'subscription' || row.scenario === 'sequential40') && rtt && row.p50Ms) {
      return { ...row, ratioToLimit: round(row.p50Ms / rtt), limit: 'kafka round trip p50 (latency multiple)' };
    }
    return row;
  });
}

const round = (n: number) => Math.round(n * 100) / 100;
