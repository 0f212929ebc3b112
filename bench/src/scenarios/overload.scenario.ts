import type { MultiBar } from 'cli-progress';
import { BENCHMARK01_FLOW, GatewayClient } from '@chronicle/testing';
import { measureResources, perExecution } from '../process-sampler.js';
import type { ResultRow } from '../result-row.js';
import { summary } from '../stats.js';
import type { SystemUnderTest } from '../system-under-test.js';
import { countKinds, webhookOpenLoop } from '../webhook-load.js';
import { sampleGatewayLoopDelay, sampleOwnLoopDelay, summariseLoopDelay } from '../loop-delay.js';
import { abandonedStarts, admissionDrainMs } from '../admission-drain.js';
import { sampleAcceptQueue } from '../accept-queue.js';

const WEBHOOK_KEY = 'benchmark01-sync-key';

/** benchmark01 with a webhook that answers once the execution ended (one call per execution, as the side-by-side harness does). */
export async function deploySyncBenchmark01(sut: SystemUnderTest): Promise<string> {
  const client = new GatewayClient(sut.url, sut.token);
  await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, {
    s: `${BENCHMARK01_FLOW}triggers:\n  - id: sync\n    type: io.kestra.plugin.core.trigger.Webhook\n    key: ${WEBHOOK_KEY}\n`,
  });
  return `${sut.url}/api/v1/executions/webhook/benchmarks/benchmark01/${WEBHOOK_KEY}?wait=true`;
}

/**
 * Graceful overload: benchmark01 offered at `perMinute` (twice the knee), one `?wait=true` call
 * each. Reported: the rate that still completes, how the excess was answered (429/503 with
 * Retry-After, and how fast), the p99 of the accepted calls, CPU per completed execution and
 * peak RSS, the gateway's event-loop delay (and the load generator's own); then whether the system serves again by itself once the load stops:
 * its admission slots all free again (none leaked; see admissionDrainMs) and calls succeed.
 */
const countBy = (values: readonly string[]) => values.reduce<Record<string, number>>((counts, v) => ({ ...counts, [v]: (counts[v] ?? 0) + 1 }), {});

export async function overload(sut: SystemUnderTest, options: { perMinute: number; warmupSeconds: number; holdSeconds: number }, bars: MultiBar): Promise<ResultRow[]> {
  const url = await deploySyncBenchmark01(sut);
  const total = Math.round(((options.warmupSeconds + options.holdSeconds) * options.perMinute) / 60);
  const bar = bars.create(total, 0, { label: `overload ${sut.mode} ${options.perMinute}/min` });
  const resources = measureResources(sut.pids);
  const gatewayLoop = sampleGatewayLoopDelay(sut.url);
  const ownLoop = sampleOwnLoopDelay();
  const acceptQueue = sampleAcceptQueue(Number(new URL(sut.url).port));
  const { outcomes, firstMeasuredAt } = await webhookOpenLoop({ url, perMinute: options.perMinute, warmupSeconds: options.warmupSeconds, holdSeconds: options.holdSeconds, bar, timeoutMs: 30_000 });
  const used = resources.stop();
  const gatewayLoopDelay = summariseLoopDelay(await gatewayLoop.stop());
  const loadGeneratorLoopDelay = summariseLoopDelay(ownLoop.stop());
  const gatewayAcceptQueue = acceptQueue.stop();
  bar.stop();
  const measured = outcomes.filter((o) => o.measured);
  const ok = measured.filter((o) => o.kind === 'ok');
  const refused = measured.filter((o) => o.kind === 'refused');
  const minutes = ok.length > 0 ? (Math.max(...ok.map((o) => o.endedAt)) - firstMeasuredAt) / 60_000 : NaN;
  // Recovery: every slot comes back (none leaked), then sequential calls succeed again.
  const drain = await admissionDrainMs(sut.url);
  const abandoned = await abandonedStarts(sut.url);
  const after = await webhookOpenLoop({ url, perMinute: 60, warmupSeconds: 0, holdSeconds: 5, timeoutMs: 30_000 });
  const refusedLatency = summary(refused.map((o) => o.ms));
  const refusedFromSend = summary(refused.map((o) => o.ms - o.sentLateMs));
  const sentLate = summary(measured.map((o) => o.sentLateMs));
  return [{
    scenario: 'overload', mode: sut.mode, offeredPerMin: options.perMinute, achievedPerMin: ok.length > 0 ? Math.round(ok.length / minutes) : 0,
    ...summary(ok.map((o) => o.ms)),
    outcomes: countKinds(measured),
    refusedP50Ms: refusedLatency.p50Ms,
    refusedP95Ms: refusedLatency.p95Ms,
    refusedP99Ms: refusedLatency.p99Ms,
    // The same refusals from the moment the generator sent them, and how late it sent them: a
    // refusal "slow" by the schedule may be the generator's own lateness (it shares the cores).
    refusalReasons: countBy(refused.map((o) => o.refusal ?? 'unknown')),
    refusedFromSendP50Ms: refusedFromSend.p50Ms,
    refusedFromSendP99Ms: refusedFromSend.p99Ms,
    sentLateP50Ms: sentLate.p50Ms,
    sentLateP99Ms: sentLate.p99Ms,
    gatewayLoopDelay,
    loadGeneratorLoopDelay,
    gatewayAcceptQueue,
    cpuMsPerExecution: perExecution(used.cpuMs, outcomes.filter((o) => o.kind === 'ok').length),
    peakRssMiB: used.peakRssMiB,
    peakPssMiB: used.peakPssMiB,
    peakNodeRssMiB: used.peakNodeRssMiB,
    admissionDrainedAfterMs: drain.drainedAfterMs ?? null,
    admissionInFlightAfterLoad: drain.lastInFlight ?? null,
    // Calls whose client had given up (the load's 30 s timeout) by the time the gateway read them: not started.
    abandonedStarts: abandoned ?? null,
    recovered: drain.drainedAfterMs !== undefined && after.outcomes.every((o) => o.kind === 'ok'),
    recoveryOutcomes: countKinds(after.outcomes),
    measured: 'scheduled send → ?wait=true answer (accepted calls); refusals counted apart',
  }];
}
