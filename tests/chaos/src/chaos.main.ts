/**
 * `npm run chaos`: the full chaos run, in both modes.
 * - Distributed: 2 executors, 2 schedulers, 2 gateways and the projection on their own Postgres
 *   (fsync on) and Kafka, under load; every service SIGKILLed in turn (and started again at once),
 *   an executor stopped gracefully (SIGTERM), then the broker restarted, Postgres restarted and
 *   Postgres crashed.
 * - Standalone: one process on its own Postgres, under webhook load; SIGKILLed, SIGTERMed, then
 *   Postgres restarted and crashed.
 * Prints the figures and checks them against the recovery goals (README, Recovery); exit code 1
 * when anything was lost, duplicated or stuck, or a goal was missed.
 *   npm run chaos [-- distributed|standalone]   (both by default)
 * CHRONICLE_CHAOS_PER_SECOND sets the load: triggers per second of each kind (default 5, so 10 a
 * second in distributed mode: Kafka events and webhooks; webhooks only in standalone mode).
 */
import { formatReport, RETRY_ANSWERS, runChaos, type ChaosPlan, type ChaosReport } from './chaos-run.js';

const GOALS = { stallWithReplicaMs: 5000, lonelyReadyMs: 10_000, resumeAfterOutageMs: 10_000, shutdownMs: 2000 };

const PER_SECOND = Number(process.env.CHRONICLE_CHAOS_PER_SECOND ?? 5);
if (!(PER_SECOND > 0)) {
  console.error(`CHRONICLE_CHAOS_PER_SECOND: expected a positive number of triggers per second, got "${process.env.CHRONICLE_CHAOS_PER_SECOND}"`);
  process.exit(2);
}

const PLANS: Record<string, ChaosPlan> = {
  distributed: {
    shape: { executors: 2, schedulers: 2, gateways: 2, fsync: true },
    faults: [
      { kind: 'kill', service: 'executor-1' },
      { kind: 'kill', service: 'scheduler-1' },
      { kind: 'kill', service: 'gateway-2' },
      { kind: 'kill', service: 'projection' },
      { kind: 'kill', service: 'executor-2' },
      { kind: 'term', service: 'executor-1' },
      { kind: 'broker-restart' },
      { kind: 'postgres-restart' },
      { kind: 'postgres-crash' },
    ],
    perSecond: PER_SECOND,
    steadyMs: 15_000,
    outageMs: 8000,
  },
  standalone: {
    shape: { standalone: true, fsync: true },
    faults: [{ kind: 'kill', service: 'standalone' }, { kind: 'term', service: 'standalone' }, { kind: 'postgres-restart' }, { kind: 'postgres-crash' }],
    perSecond: PER_SECOND,
    steadyMs: 15_000,
    outageMs: 8000,
  },
};

// CHRONICLE_CHAOS_FAULTS=postgres-restart,broker-restart runs only those kinds of fault (to look at one closely).
const onlyFaults = process.env.CHRONICLE_CHAOS_FAULTS?.split(',').map((f) => f.trim()).filter(Boolean);
if (onlyFaults) {
  for (const plan of Object.values(PLANS)) (plan as { faults: ChaosPlan['faults'] }).faults = plan.faults.filter((f) => onlyFaults.includes(f.kind));
}
const modes = process.argv.slice(2).filter((a) => a in PLANS);
const misses: string[] = [];
for (const mode of modes.length ? modes : Object.keys(PLANS)) {
  const report = await runChaos(PLANS[mode]!, (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${mode}: ${line}`));
  console.log(formatReport(report));
  const missed = missedGoals(report);
  if (missed.length) console.log(report.logs);
  misses.push(...missed.map((m) => `${mode}: ${m}`));
}
console.log(misses.length ? `recovery goals missed:\n  - ${misses.join('\n  - ')}` : 'every recovery goal met');
process.exit(misses.length ? 1 : 0);

function missedGoals(report: ChaosReport): string[] {
  const c = report.correctness;
  const misses: string[] = [];
  if (c.lost.length || c.duplicated.length || c.stuck.length || c.streamsWithGaps.length || c.notSuccess.length) misses.push('correctness (see above)');
  if (!report.rebuild.equal) misses.push('the rebuilt read model differs from the live one');
  if (report.exited.length) misses.push(`services exited: ${report.exited.join(', ')}`);
  const wrongAnswers = Object.keys(report.webhookAnswers).filter((status) => !RETRY_ANSWERS.has(status));
  if (wrongAnswers.length) misses.push(`webhooks answered ${wrongAnswers.join(', ')} during faults (expected 503 with Retry-After)`);
  for (const [name, s] of Object.entries(report.shutdown)) {
    if (s.ms > GOALS.shutdownMs || s.code !== 0) misses.push(`${name}: SIGTERM at the end took ${s.ms} ms to exit (${s.ownMs ?? '?'} ms by its own account), exit ${s.code} (goal ${GOALS.shutdownMs} ms, exit 0)`);
  }
  for (const f of report.faults) {
    const restarted = f.readyMs !== undefined;
    const withReplica = report.mode === 'distributed' && /executor|scheduler|gateway/.test(f.fault);
    if (restarted && withReplica && (f.longestStallMs ?? 0) > GOALS.stallWithReplicaMs) misses.push(`${f.fault}: completions stopped for ${f.longestStallMs} ms (goal ${GOALS.stallWithReplicaMs})`);
    if (restarted && (f.readyMs ?? 0) > GOALS.lonelyReadyMs) misses.push(`${f.fault}: ready after ${f.readyMs} ms (goal ${GOALS.lonelyReadyMs})`);
    if (f.allReadyMs !== undefined && f.allReadyMs < 0) misses.push(`${f.fault}: services not ready again within 120 s: ${Object.entries(f.stillNotReady ?? {}).map(([n, why]) => `${n} (${why})`).join(', ')}`);
    if (f.fault.startsWith('SIGTERM') && (f.stopMs ?? 0) > GOALS.shutdownMs) misses.push(`${f.fault}: the graceful stop took ${f.stopMs} ms to exit, ${f.ownStopMs ?? '?'} ms by the service's own account (goal ${GOALS.shutdownMs})`);
    if (f.resumedMs !== undefined && (f.resumedMs < 0 || f.resumedMs > GOALS.resumeAfterOutageMs)) misses.push(`${f.fault}: processing resumed after ${f.resumedMs} ms (goal ${GOALS.resumeAfterOutageMs})`);
  }
  return misses;
}
