import { GatewayClient } from '@chronicle/testing';
import { ExecutionTracker } from '../execution-tracker.js';
import type { ResultRow, Scenario } from '../result-row.js';
import { summary } from '../stats.js';
import type { SystemUnderTest } from '../system-under-test.js';

/** A flow of 40 sequential Log tasks. */
export function sequential40Flow(): string {
  const tasks = Array.from({ length: 40 }, (_, i) => `  - id: log${i + 1}\n    type: io.kestra.plugin.core.log.Log\n    message: step ${i + 1} of {{ execution.id }}`);
  return `id: sequential40\nnamespace: bench\ntasks:\n${tasks.join('\n')}\n`;
}

/** One ForEach over 1000 values, no concurrency limit. */
export function fanout1000Flow(): string {
  const values = Array.from({ length: 1000 }, (_, i) => `v${i}`);
  return `id: fanout1000\nnamespace: bench\ntasks:\n  - id: each\n    type: io.kestra.plugin.core.flow.ForEach\n    concurrencyLimit: 0\n    values: ${JSON.stringify(values)}\n    tasks:\n      - id: log\n        type: io.kestra.plugin.core.log.Log\n        message: "{{ taskrun.value }}"\n`;
}

/** Runs one execution at a time `runs` times (after one warm-up) and reports its wall time. */
export async function singleExecution(sut: SystemUnderTest, scenario: Scenario, flowId: string, source: string, runs: number, tasks: number): Promise<ResultRow[]> {
  const client = new GatewayClient(sut.url, sut.token);
  try {
    await client.data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
  } catch (error) {
    return [{ scenario, mode: sut.mode, offeredPerMin: null, achievedPerMin: null, p50Ms: null, p95Ms: null, p99Ms: null, error: `not runnable yet: ${(error as Error).message.slice(0, 200)}` }];
  }
  const tracker = new ExecutionTracker(client, 'bench');
  await tracker.start();
  const own: number[] = [];
  const seen: number[] = [];
  let state = 'SUCCESS';
  try {
    for (let i = 0; i <= runs; i++) {
      const t0 = performance.now();
      const { createExecution } = await client.data(`mutation($f:String!){ createExecution(namespace:"bench", flowId:$f){ id } }`, { f: flowId });
      const done = await tracker.wait(createExecution.id);
      state = done.state;
      if (i === 0) continue;
      seen.push(done.seenAt - t0);
      own.push(done.ownMs);
    }
  } finally {
    tracker.stop();
  }
  const s = summary(own);
  return [{
    scenario, mode: sut.mode, offeredPerMin: null, achievedPerMin: null, ...summary(seen),
    ownP50Ms: s.p50Ms, wallMs: s.p50Ms, perTaskMs: s.p50Ms === null ? null : Math.round((s.p50Ms / tasks) * 100) / 100, runs, finalState: state,
  }];
}
