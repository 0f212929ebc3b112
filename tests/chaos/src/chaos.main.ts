/**
 * `npm run chaos`: the full chaos run. The distributed system (2 executors, 2 schedulers,
 * 2 gateways, the projection) on its own Postgres (fsync on) and Kafka, under load; every service
 * SIGKILLed in turn (and started again at once), then the broker and Postgres restarted. Prints
 * the figures and checks them against the recovery goals (README, Recovery); exit code 1 when
 * anything was lost, duplicated or stuck, or a goal was missed.
 */
import { formatReport, runChaos } from './chaos-run.js';

const GOALS = { stallWithReplicaMs: 5000, lonelyReadyMs: 10_000, resumeAfterOutageMs: 10_000 };

const report = await runChaos(
  {
    shape: { executors: 2, schedulers: 2, gateways: 2, fsync: true },
    faults: [
      { kind: 'kill', service: 'executor-1' },
      { kind: 'kill', service: 'scheduler-1' },
      { kind: 'kill', service: 'gateway-2' },
      { kind: 'kill', service: 'projection' },
      { kind: 'kill', service: 'executor-2' },
      { kind: 'broker-restart' },
      { kind: 'postgres-restart' },
    ],
    perSecond: 5,
    steadyMs: 15_000,
    outageMs: 8000,
  },
  (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`),
);
console.log(formatReport(report));

const c = report.correctness;
const misses: string[] = [];
if (c.lost.length || c.duplicated.length || c.stuck.length || c.streamsWithGaps.length || c.notSuccess.length) misses.push('correctness (see above)');
if (!report.rebuild.equal) misses.push('the rebuilt read model differs from the live one');
if (report.exited.length) misses.push(`services exited: ${report.exited.join(', ')}`);
const wrongAnswers = Object.keys(report.webhookAnswers).filter((status) => status !== '503' && status !== 'no answer');
if (wrongAnswers.length) misses.push(`webhooks answered ${wrongAnswers.join(', ')} during faults (expected 503 with Retry-After)`);
for (const f of report.faults) {
  const withReplica = /executor|scheduler|gateway/.test(f.fault);
  if (f.fault.startsWith('SIGKILL') && withReplica && (f.longestStallMs ?? 0) > GOALS.stallWithReplicaMs) misses.push(`${f.fault}: completions stopped for ${f.longestStallMs} ms (goal ${GOALS.stallWithReplicaMs})`);
  if (f.fault.startsWith('SIGKILL') && (f.readyMs ?? 0) > GOALS.lonelyReadyMs) misses.push(`${f.fault}: ready after ${f.readyMs} ms (goal ${GOALS.lonelyReadyMs})`);
  if (f.resumedMs !== undefined && (f.resumedMs < 0 || f.resumedMs > GOALS.resumeAfterOutageMs)) misses.push(`${f.fault}: processing resumed after ${f.resumedMs} ms (goal ${GOALS.resumeAfterOutageMs})`);
}
console.log(misses.length ? `recovery goals missed:\n  - ${misses.join('\n  - ')}` : 'every recovery goal met');
process.exit(misses.length ? 1 : 0);
