import { afterEach, describe, expect, it } from 'vitest';
import { formatReport, RETRY_ANSWERS, runChaos, stopRunningTargets, type ChaosReport } from './chaos-run.js';

// The short chaos run inside `npm test`, in both modes. It asserts correctness only; `npm run
// chaos` is the full run whose figures are checked against the recovery goals (timing belongs
// there, not in a test).
function expectNothingLostDuplicatedOrStuck(report: ChaosReport, minimumAcked: number) {
  try {
    expectCorrect(report, minimumAcked);
  } catch (error) {
    // The services' own account of what went wrong: where their logs are, and how each ends.
    console.error(report.logs);
    throw error;
  }
}

function expectCorrect(report: ChaosReport, minimumAcked: number) {
  const c = report.correctness;
  expect(c.acked).toBeGreaterThan(minimumAcked);
  expect(c.lost).toEqual([]);
  expect(c.duplicated).toEqual([]);
  expect(c.stuck).toEqual([]);
  expect(c.notSuccess).toEqual([]);
  expect(c.streamsWithGaps).toEqual([]);
  expect(report.rebuild).toEqual({ equal: true });
  expect(report.exited).toEqual([]);
  // While Postgres was down, webhooks said "retry" (503, or admission's 429, with Retry-After), never "no such webhook".
  expect(Object.keys(report.webhookAnswers).filter((status) => !RETRY_ANSWERS.has(status))).toEqual([]);
}

/**
 * The distributed case once left 10 executions RUNNING after the SIGKILL of executor-1 (their first
 * task run CREATED, no attempt): the surviving executor took over the outbox relay, primed the
 * replayed ExecutionCreated events into its cache, and decided the worker's reports on those
 * executions against that stale CREATED state, which accepts none (fixed in the command handler:
 * a command that decides nothing against a cached state is decided again from the stream; see its
 * unit spec). Each case may take many minutes on a loaded machine: a run at load 35-40 did not end
 * in 10. A run cut short stops its processes (afterEach).
 */
const RUN_LIMIT_MS = 1_500_000;

afterEach(async () => {
  await stopRunningTargets();
});

describe('chaos (short)', () => {
  // The distributed system on its own Postgres and Kafka, under load, through a SIGKILLed executor
  // (with a replica beside it), a broker restart and a Postgres restart.
  it('distributed: loses, duplicates and strands nothing through a SIGKILLed executor, a broker restart and a Postgres restart', async () => {
    const report = await runChaos(
      {
        shape: { executors: 2, schedulers: 1, gateways: 1, fsync: false },
        faults: [{ kind: 'kill', service: 'executor-1' }, { kind: 'broker-restart' }, { kind: 'postgres-restart' }],
        perSecond: 3,
        steadyMs: 6000,
        outageMs: 5000,
      },
      (line) => console.log(line),
    );
    console.log(formatReport(report));
    expectNothingLostDuplicatedOrStuck(report, 50);
  }, RUN_LIMIT_MS);

  // One standalone process on its own Postgres, under webhook load, through a Postgres crash
  // (immediate shutdown). That Postgres commits durably: with synchronous_commit off, a crash
  // forgets the last acknowledged commits and hands their log positions out again, behind the
  // subscriptions' positions. A SIGKILL of the standalone process is in the full run
  // (`npm run chaos`), which takes longer to settle.
  it('standalone: loses, duplicates and strands nothing through a Postgres crash', async () => {
    const report = await runChaos(
      {
        shape: { standalone: true, fsync: true },
        faults: [{ kind: 'postgres-crash' }],
        perSecond: 3,
        steadyMs: 5000,
        outageMs: 4000,
      },
      (line) => console.log(line),
    );
    console.log(formatReport(report));
    expectNothingLostDuplicatedOrStuck(report, 20);
  }, RUN_LIMIT_MS);
});
