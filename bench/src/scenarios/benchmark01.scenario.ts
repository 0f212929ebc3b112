import type { MultiBar } from 'cli-progress';
import { BENCHMARK01_FLOW, GatewayClient } from '@chronicle/testing';
import { ExecutionTracker } from '../execution-tracker.js';
import { runOpenLoop } from '../open-loop.js';
import type { Mode, ResultRow } from '../result-row.js';
import { summary } from '../stats.js';
import type { SystemUnderTest } from '../system-under-test.js';
import { measureResources, perExecution } from '../process-sampler.js';

export interface Benchmark01Options {
  readonly steps: readonly number[];
  readonly warmupSeconds: number;
  readonly holdSeconds: number;
  /** The load step at which subscription latency is reported. */
  readonly subscriptionStep: number;
}

/**
 * Kestra's published benchmark: benchmark01 started over HTTP at open-loop rates, latency from
 * the request to SUCCESS as the client sees it (graphql-ws) and as the execution's own
 * timestamps say (CREATED → SUCCESS). Started through the flow's webhook, as Kestra's benchmark is.
 */
const WEBHOOK_KEY = 'benchmark01-webhook-key';
export async function benchmark01(sut: SystemUnderTest, options: Benchmark01Options, bars: MultiBar): Promise<ResultRow[]> {
  const client = new GatewayClient(sut.url, sut.token);
  // Kestra's benchmark flow, started as Kestra's benchmark does: through its webhook.
  await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: `${BENCHMARK01_FLOW}triggers:\n  - id: webhook\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: ${WEBHOOK_KEY}\n` });
  const tracker = new ExecutionTracker(client, 'benchmarks');
  await tracker.start();
  const start = async () => {
    const res = await fetch(`${sut.url}/api/v1/executions/webhook/benchmarks/benchmark01/${WEBHOOK_KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"bench"}',
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return ((await res.json()) as { id: string }).id;
  };
  const rows: ResultRow[] = [];
  try {
    for (const perMinute of options.steps) {
      const total = Math.round(((options.warmupSeconds + options.holdSeconds) * perMinute) / 60);
      const bar = bars.create(total, 0, { label: `benchmark01 ${sut.mode} ${perMinute}/min` });
      tracker.measureUpdateLags(perMinute === options.subscriptionStep);
      const resources = measureResources(sut.pids);
      const step = await runOpenLoop({ perMinute, warmupSeconds: options.warmupSeconds, holdSeconds: options.holdSeconds, start, tracker, bar });
      const used = resources.stop();
      bar.stop();
      const own = summary(step.ownMs);
      const accepted = summary(step.acceptedMs);
      rows.push({
        scenario: 'benchmark01', mode: sut.mode, offeredPerMin: perMinute, achievedPerMin: step.achievedPerMin,
        ...summary(step.clientMs),
        ownP50Ms: own.p50Ms, ownP95Ms: own.p95Ms, ownP99Ms: own.p99Ms,
        acceptedP50Ms: accepted.p50Ms, acceptedP99Ms: accepted.p99Ms,
        sent: step.sent, succeeded: step.succeeded, failed: step.failed,
        // Every process of the system (Postgres and Kafka included), warm-up requests counted too.
        cpuMsPerExecution: perExecution(used.cpuMs, step.startedTotal), peakRssMiB: used.peakRssMiB, peakPssMiB: used.peakPssMiB,
      });
      if (perMinute === options.subscriptionStep) {
        rows.push({ scenario: 'subscription', mode: sut.mode, offeredPerMin: perMinute, achievedPerMin: step.achievedPerMin, ...summary(tracker.updateLagsMs), samples: tracker.updateLagsMs.length, measured: 'decision time (event `at`) → graphql-ws client receives' });
      }
      tracker.measureUpdateLags(false);
      if (step.failed > step.sent / 2) break; // far beyond saturation: the next steps would only queue
    }
  } finally {
    tracker.stop();
  }
  return rows;
}

export const modeLabel = (mode: Mode) => mode;
