import { GatewayClient } from '@chronicle/testing';
import { CHAOS_TOKEN, ChaosCluster, type ClusterShape } from './chaos-cluster.js';
import { ChaosLoad, FLOWS, sleep } from './chaos-load.js';
import { StandaloneTarget } from './chaos-standalone.js';
import type { ChaosTarget } from './chaos-target.js';
import { checkCorrectness, firstCompletionAfter, longestStall, rebuiltEqualsLive, untilSettled, type Correctness } from './chaos-verify.js';

export type Fault =
  | { readonly kind: 'kill'; readonly service: string }
  /** A graceful stop (SIGTERM) under load, then a start: how long the shutdown took. */
  | { readonly kind: 'term'; readonly service: string }
  | { readonly kind: 'broker-restart' }
  | { readonly kind: 'postgres-restart' }
  /** Postgres's immediate shutdown (no checkpoint), then a start with crash recovery. */
  | { readonly kind: 'postgres-crash' };

export interface ChaosPlan {
  /** The distributed cluster's shape, or standalone mode (one process, the in-process bus, webhooks only). */
  readonly shape: ClusterShape | { readonly standalone: true; readonly fsync: boolean };
  readonly faults: readonly Fault[];
  /** Triggers per second of each kind (Kafka events and webhooks). */
  readonly perSecond: number;
  /** Load before the first fault and between faults, ms. */
  readonly steadyMs: number;
  /** How long an outage (broker or Postgres down) lasts, ms. */
  readonly outageMs: number;
}

export interface FaultFigures {
  readonly fault: string;
  readonly at: number;
  /** Stopped service: ms from the signal until the process exited. */
  stopMs?: number;
  /** Stopped gracefully: the service's own stop time, from its "stopped" line. */
  ownStopMs?: number;
  /** Stopped service: ms from its restart until its /readyz said ready. */
  readyMs?: number;
  /** Outage: ms from the server being back until the first execution completed. */
  resumedMs?: number;
  /** Services whose /readyz said "not ready" during the outage (of all). */
  notReadyDuringOutage?: string;
  /** Outage: ms from the server being back until every service's /readyz said ready again. */
  allReadyMs?: number;
  /** Past the limit: the services still not ready, each with its /readyz answer. */
  stillNotReady?: Record<string, string>;
  /** The longest stretch with no execution completed, from the fault to the next one. */
  longestStallMs?: number;
  windowEnd: number;
}

export interface ChaosReport {
  readonly mode: 'distributed' | 'standalone';
  readonly correctness: Correctness;
  readonly rebuild: { equal: boolean; difference?: string };
  readonly faults: readonly FaultFigures[];
  readonly exited: string[];
  readonly abandoned: number;
  readonly sent: number;
  /** Webhook answers other than 200 while faults were on (status -> count). */
  readonly webhookAnswers: Record<string, number>;
  /** At the end, every service SIGTERMed at once: ms until each exited, and its exit code. */
  readonly shutdown: Record<string, { ms: number; ownMs?: number; code: number | null }>;
  readonly seconds: number;
  /** Where every service's log is, and the last lines of each (printed when a check fails). */
  logs: string;
}

/** Webhook answers that tell a client to retry (with Retry-After), or none at all (the process restarting or too busy). */
export const RETRY_ANSWERS: ReadonlySet<string> = new Set(['503', '429', 'no answer']);

/** Targets started and not stopped yet: a run cut short (a test's time limit) leaves them to `stopRunningTargets`. */
const running = new Set<ChaosTarget>();

/**
 * Stops whatever a run that did not finish left running (its services, Postgres and Kafka): a test
 * that hits its time limit is abandoned, not cancelled, and its processes must not outlive it.
 */
export async function stopRunningTargets(): Promise<void> {
  const targets = [...running];
  running.clear();
  await Promise.all(targets.map((t) => t.stop().catch(() => undefined)));
}

/** Runs the plan: starts the system, keeps the load on, applies each fault, then checks everything through the API. */
export async function runChaos(plan: ChaosPlan, print: (line: string) => void): Promise<ChaosReport> {
  const started = Date.now();
  // Every line of the run also goes to its chaos.log, beside the services' logs, to read them side by side.
  const log = (line: string) => {
    print(line);
    target.logs.note(line);
  };
  const target: ChaosTarget = 'standalone' in plan.shape ? new StandaloneTarget(plan.shape.fsync, log) : new ChaosCluster(plan.shape, log);
  running.add(target);
  print(`service logs: ${target.logs.dir}`);
  let report: ChaosReport | undefined;
  try {
    log(`starting ${target.mode} mode: Postgres${target.mode === 'distributed' ? ', Kafka' : ''} and the services`);
    await target.start();
    log(`up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${target.serviceNames().join(', ')}`);
    const client = () => new GatewayClient(target.gatewayUrls[0]!, CHAOS_TOKEN);
    for (const source of FLOWS) await client().data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
    await sleep(1000); // the schedulers index the webhook trigger from the log
    const load = new ChaosLoad(target.kafka, () => target.gatewayUrls, plan.perSecond);
    await load.start();
    await sleep(plan.steadyMs);
    const faults: FaultFigures[] = [];
    for (const fault of plan.faults) {
      const figures = await apply(target, fault, plan, log);
      faults.push(figures);
      await sleep(plan.steadyMs);
      figures.windowEnd = Date.now();
    }
    log('stopping the load; waiting for every execution to end');
    await load.stop();
    // Generous: on a machine at load 35-40 the backlog of a short run took minutes to work off.
    const rows = await untilSettled(client(), load.figures.acked, 480_000);
    for (const f of faults) f.longestStallMs = longestStall(rows, f.at, f.windowEnd);
    for (const f of faults) if (f.resumedMs === -1) f.resumedMs = firstCompletionAfter(rows, f.at);
    const correctness = await checkCorrectness(client(), load.figures.acked, rows);
    log('rebuilding the executions read model from the log and comparing it with the live one');
    const rebuild = await rebuiltEqualsLive(client());
    const exited = target.exited();
    const shutdown = await target.stopServices();
    report = { mode: target.mode, correctness, rebuild, faults, exited, abandoned: load.figures.abandoned, sent: load.figures.sent, webhookAnswers: Object.fromEntries(load.figures.degraded), shutdown, seconds: Math.round((Date.now() - started) / 1000), logs: '' };
  } catch (error) {
    running.delete(target);
    await target.stop().catch(() => undefined);
    // A run that could not finish (a service never ready) says where its logs are, and how they end.
    if (error instanceof Error) error.message += `\n${await target.logs.summary()}`;
    throw error;
  }
  running.delete(target);
  await target.stop();
  report.logs = await target.logs.summary();
  return report;
}

async function apply(target: ChaosTarget, fault: Fault, plan: ChaosPlan, log: (line: string) => void): Promise<FaultFigures> {
  const at = Date.now();
  switch (fault.kind) {
    case 'kill':
    case 'term': {
      const signal = fault.kind === 'kill' ? 'SIGKILL' : 'SIGTERM';
      log(`${signal} ${fault.service} (started again at once)`);
      const { stopMs, ownStopMs, readyMs } = await target.restart(fault.service, signal);
      log(`  ${fault.service} exited after ${stopMs} ms${signal === 'SIGTERM' ? ` (its own stop: ${ownStopMs ?? '?'} ms)` : ''}, ready again after ${readyMs} ms`);
      return { fault: `${signal} ${fault.service}`, at, stopMs, ...(signal === 'SIGTERM' ? { ownStopMs } : {}), readyMs, windowEnd: 0 };
    }
    case 'broker-restart':
    case 'postgres-restart':
    case 'postgres-crash': {
      const what = fault.kind === 'broker-restart' ? 'Kafka broker' : 'Postgres';
      const how = fault.kind === 'postgres-crash' ? 'crash' : 'restart';
      log(`${how === 'crash' ? 'crashing' : 'stopping'} the ${what} for ${plan.outageMs} ms`);
      await (fault.kind === 'broker-restart' ? target.stopBroker() : target.stopPostgres(fault.kind === 'postgres-crash'));
      await sleep(Math.max(0, plan.outageMs - 4000));
      // /readyz must be false while nothing can progress (checks time out after 3 s).
      const readiness = await target.readiness();
      const notReady = Object.entries(readiness).filter(([, ready]) => !ready).map(([n]) => n);
      await sleep(Math.min(4000, plan.outageMs));
      await (fault.kind === 'broker-restart' ? target.startBrokerAgain() : target.startPostgresAgain());
      const back = Date.now();
      log(`  ${what} back after ${back - at} ms; not ready during the outage: ${notReady.length}/${Object.keys(readiness).length}`);
      const allReadyMs = await untilAllReady(target, back, 120_000);
      const stillNotReady = allReadyMs < 0 ? await target.whyNotReady() : undefined;
      log(`  every service ready again ${allReadyMs < 0 ? `not within 120 s: ${Object.entries(stillNotReady!).map(([n, why]) => `${n} ${why}`).join('; ')}` : `after ${allReadyMs} ms`}`);
      return { fault: `${what} ${how}`, at: back, resumedMs: -1, notReadyDuringOutage: `${notReady.length}/${Object.keys(readiness).length}`, allReadyMs, ...(stillNotReady ? { stillNotReady } : {}), windowEnd: 0 };
    }
  }
}

/** ms from `since` until every service's /readyz says ready, or -1 past `limitMs` (polled every 100 ms). */
async function untilAllReady(target: ChaosTarget, since: number, limitMs: number): Promise<number> {
  while (Date.now() - since < limitMs) {
    if (Object.values(await target.readiness()).every(Boolean)) return Date.now() - since;
    await sleep(100);
  }
  return -1;
}

/** The figures as a plain table (printed by the short and the full run). */
export function formatReport(report: ChaosReport): string {
  const c = report.correctness;
  const lines = [
    `chaos (${report.mode}): ${report.seconds} s, triggers sent ${report.sent}, acknowledged ${c.acked}, abandoned by the client ${report.abandoned}`,
    `  executions ${c.executions}; lost ${c.lost.length}; duplicated ${c.duplicated.length}; stuck ${c.stuck.length}; ended other than SUCCESS ${c.notSuccess.length}; streams with gaps ${c.streamsWithGaps.length}`,
    `  rebuilt read model equals the live one: ${report.rebuild.equal ? 'yes' : `NO (${report.rebuild.difference})`}`,
    `  services that exited on their own: ${report.exited.length ? report.exited.join(', ') : 'none'}`,
    `  webhook answers other than 200 (then retried): ${Object.entries(report.webhookAnswers).map(([s, n]) => `${s} x${n}`).join(', ') || 'none'}`,
    `  shutdown on SIGTERM at the end (ms to exit / the service's own stop): ${Object.entries(report.shutdown).map(([n, s]) => `${n} ${s.ms}/${s.ownMs ?? '?'}${s.code === 0 ? '' : ` (exit ${s.code})`}`).join(', ')}`,
    '  fault                          | exited after | ready after | processing resumed after | longest stall in completions | not ready during outage | all ready again after',
    ...report.faults.map((f) => `  ${f.fault.padEnd(30)} | ${`${fmt(f.stopMs)}${f.ownStopMs !== undefined ? ` (own ${fmt(f.ownStopMs)})` : ''}`.padStart(12)} | ${fmt(f.readyMs).padStart(11)} | ${fmt(f.resumedMs).padStart(24)} | ${fmt(f.longestStallMs).padStart(28)} | ${(f.notReadyDuringOutage ?? '-').padStart(23)} | ${fmt(f.allReadyMs)}`),
  ];
  return lines.join('\n');
}

const fmt = (ms: number | undefined) => (ms === undefined || ms < 0 ? '-' : `${(ms / 1000).toFixed(1)} s`);
