import { monitorEventLoopDelay } from 'node:perf_hooks';
import { percentile } from './stats.js';

/** Event-loop delay, in ms, of one window: its p99 and its worst. */
export interface LoopDelaySample {
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** What a run of samples says: the median window's p99 and the worst window's. */
export interface LoopDelaySummary {
  readonly windows: number;
  readonly p99MedianMs: number | null;
  readonly p99WorstMs: number | null;
  readonly maxMs: number | null;
}

export function summariseLoopDelay(samples: readonly LoopDelaySample[]): LoopDelaySummary {
  return {
    windows: samples.length,
    p99MedianMs: percentile(samples.map((s) => s.p99Ms), 50),
    p99WorstMs: percentile(samples.map((s) => s.p99Ms), 100),
    maxMs: percentile(samples.map((s) => s.maxMs), 100),
  };
}

/**
 * The gateway's event-loop delay under load, read each second from its `/metrics` (prom-client's
 * `nodejs_eventloop_lag_*`, a histogram it resets at every scrape: each sample is the last window).
 * A refusal, however cheap, waits its turn in that loop: this is the floor of its latency.
 */
export function sampleGatewayLoopDelay(url: string, everyMs = 1_000): { stop(): Promise<LoopDelaySample[]> } {
  const samples: LoopDelaySample[] = [];
  let running = true;
  const scrape = async () => {
    try {
      const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
      const read = (name: string) => Number(new RegExp(`^chronicle_nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]) * 1000;
      const p99 = read('p99');
      const max = read('max');
      if (Number.isFinite(p99) && Number.isFinite(max)) samples.push({ p99Ms: Math.round(p99 * 10) / 10, maxMs: Math.round(max * 10) / 10 });
    } catch {
      // A scrape that timed out under the load: the next one covers its window.
    }
  };
  const loop = (async () => {
    await scrape(); // resets the histogram: the first window starts now
    samples.length = 0;
    while (running) {
      await new Promise((r) => setTimeout(r, everyMs));
      await scrape();
    }
  })();
  return { stop: async () => ((running = false), await loop, samples) };
}

/**
 * This load generator's own event-loop delay (a late generator sends late, and the latency,
 * counted from the scheduled send, charges it to the system): sampled per second too.
 */
export function sampleOwnLoopDelay(everyMs = 1_000): { stop(): LoopDelaySample[] } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const samples: LoopDelaySample[] = [];
  const timer = setInterval(() => {
    samples.push({ p99Ms: Math.round(histogram.percentile(99) / 1e5) / 10, maxMs: Math.round(histogram.max / 1e5) / 10 });
    histogram.reset();
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      histogram.disable();
      return samples;
    },
  };
}
