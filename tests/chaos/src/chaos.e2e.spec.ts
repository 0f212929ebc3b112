import { describe, expect, it } from 'vitest';
import { formatReport, runChaos } from './chaos-run.js';

// The short chaos run inside `npm test`: the distributed system on its own Postgres and Kafka,
// under load, through a SIGKILLed executor (with a replica beside it), a broker restart and a
// Postgres restart. It asserts correctness only; `npm run chaos` is the full run whose figures
// are checked against the recovery goals (timing belongs there, not in a test).
describe('chaos (short)', () => {
  it('loses, duplicates and strands nothing through a SIGKILLed executor, a broker restart and a Postgres restart', async () => {
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
    const c = report.correctness;
    expect(c.acked).toBeGreaterThan(50);
    expect(c.lost).toEqual([]);
    expect(c.duplicated).toEqual([]);
    expect(c.stuck).toEqual([]);
    expect(c.notSuccess).toEqual([]);
    expect(c.streamsWithGaps).toEqual([]);
    expect(report.rebuild).toEqual({ equal: true });
    expect(report.exited).toEqual([]);
    // While Postgres was down, webhooks said "retry" (503 with Retry-After), never "no such webhook".
    expect(Object.keys(report.webhookAnswers).filter((status) => status !== '503' && status !== 'no answer')).toEqual([]);
  }, 300_000);
});
