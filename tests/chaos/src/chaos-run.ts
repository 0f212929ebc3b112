import { GatewayClient } from '@chronicle/testing';
import { CHAOS_TOKEN, ChaosCluster, type ClusterShape } from './chaos-cluster.js';
import { ChaosLoad, FLOWS, sleep } from './chaos-load.js';
import { checkCorrectness, firstCompletionAfter, longestStall, rebuiltEqualsLive, untilSettled, type Correctness } from './chaos-verify.js';

export type Fault =
  | { readonly kind: 'kill'; readonly service: string }
  | { readonly kind: 'broker-restart' }
  | { readonly kind: 'postgres-restart' };

export interface ChaosPlan {
  readonly shape: ClusterShape;
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
  /** SIGKILLed service: ms from its restart until its /readyz said ready. */
  readyMs?: number;
  /** Outage: ms from the server being back until the first execution completed. */
  resumedMs?: number;
  /** Services whose /readyz said "not ready" during the outage (of all). */
  notReadyDuringOutage?: string;
  /** The longest stretch with no execution completed, from the fault to the next one. */
  longestStallMs?: number;
  windowEnd: number;
}

export interface ChaosReport {
  readonly correctness: Correctness;
  readonly rebuild: { equal: boolean; difference?: string };
  readonly faults: readonly FaultFigures[];
  readonly exited: string[];
  readonly abandoned: number;
  readonly sent: number;
  /** Webhook answers other than 200 while faults were on (status -> count). */
  readonly webhookAnswers: Record<string, number>;
  readonly seconds: number;
}

/** Runs the plan: starts the cluster, keeps the load on, applies each fault, then checks everything through the API. */
export async function runChaos(plan: ChaosPlan, log: (line: string) => void): Promise<ChaosReport> {
  const started = Date.now();
  const cluster = new ChaosCluster(plan.shape, log);
  try {
    log('starting Postgres, Kafka and the services');
    await cluster.start();
    log(`cluster up in ${((Date.now() - started) / 1000).toFixed(1)} s: ${['projection', ...cluster.names('executor'), ...cluster.names('scheduler'), ...cluster.names('gateway')].join(', ')}`);
    const client = () => new GatewayClient(pickAlive(cluster), CHAOS_TOKEN);
    for (const source of FLOWS) await client().data(`mutation($s:String!){ deployFlow(source:$s){ revision } }`, { s: source });
    await sleep(1000); // the schedulers index the webhook trigger from the log
    const load = new ChaosLoad(cluster.brokers, `${cluster.topicPrefix}.triggers`, () => cluster.gatewayUrls, plan.perSecond);
    await load.start();
    await sleep(plan.steadyMs);
    const faults: FaultFigures[] = [];
    for (const fault of plan.faults) {
      const figures = await apply(cluster, fault, plan, log);
      faults.push(figures);
      await sleep(plan.steadyMs);
      figures.windowEnd = Date.now();
    }
    log('stopping the load; waiting for every execution to end');
    await load.stop();
    const rows = await untilSettled(client(), load.figures.acked, 120_000);
    for (const f of faults) f.longestStallMs = longestStall(rows, f.at, f.windowEnd);
    for (const f of faults) if (f.resumedMs === -1) f.resumedMs = firstCompletionAfter(rows, f.at);
    const correctness = await checkCorrectness(client(), load.figures.acked, rows);
    log('rebuilding the executions read model from the log and comparing it with the live one');
    const rebuild = await rebuiltEqualsLive(client());
    return { correctness, rebuild, faults, exited: cluster.exited(), abandoned: load.figures.abandoned, sent: load.figures.sent, webhookAnswers: Object.fromEntries(load.figures.degraded), seconds: Math.round((Date.now() - started) / 1000) };
  } finally {
    await cluster.stop();
  }
}

async function apply(cluster: ChaosCluster, fault: Fault, plan: ChaosPlan, log: (line: string) => void): Promise<FaultFigures> {
  const at = Date.now();
  switch (fault.kind) {
    case 'kill': {
      log(`SIGKILL ${fault.service} (started again at once)`);
      const readyMs = await cluster.killAndRestart(fault.service);
      log(`  ${fault.service} ready again after ${readyMs} ms`);
      return { fault: `SIGKILL ${fault.service}`, at, readyMs, windowEnd: 0 };
    }
    case 'broker-restart':
    case 'postgres-restart': {
      const what = fault.kind === 'broker-restart' ? 'Kafka broker' : 'Postgres';
      log(`stopping the ${what} for ${plan.outageMs} ms`);
      await (fault.kind === 'broker-restart' ? cluster.stopBroker() : cluster.stopPostgres());
      await sleep(Math.max(0, plan.outageMs - 4000));
      // /readyz must be false while nothing can progress (checks time out after 3 s).
      const readiness = await cluster.readiness();
      const notReady = Object.entries(readiness).filter(([, ready]) => !ready).map(([n]) => n);
      await sleep(Math.min(4000, plan.outageMs));
      await (fault.kind === 'broker-restart' ? cluster.startBrokerAgain() : cluster.startPostgresAgain());
      const back = Date.now();
      log(`  ${what} back after ${back - at} ms; not ready during the outage: ${notReady.length}/${Object.keys(readiness).length}`);
      return { fault: `${what} restart`, at: back, resumedMs: -1, notReadyDuringOutage: `${notReady.length}/${Object.keys(readiness).length}`, windowEnd: 0 };
    }
  }
}

function pickAlive(cluster: ChaosCluster): string {
  return cluster.gatewayUrls[0]!;
}

/** The figures as a plain table (printed by the short and the full run). */
export function formatReport(report: ChaosReport): string {
  const c = report.correctness;
  const lines = [
    `chaos: ${report.seconds} s, triggers sent ${report.sent}, acknowledged ${c.acked}, abandoned by the client ${report.abandoned}`,
    `  executions ${c.executions}; lost ${c.lost.length}; duplicated ${c.duplicated.length}; stuck ${c.stuck.length}; ended other than SUCCESS ${c.notSuccess.length}; streams with gaps ${c.streamsWithGaps.length}`,
    `  rebuilt read model equals the live one: ${report.rebuild.equal ? 'yes' : `NO (${report.rebuild.difference})`}`,
    `  services that exited on their own: ${report.exited.length ? report.exited.join(', ') : 'none'}`,
    `  webhook answers other than 200 (then retried): ${Object.entries(report.webhookAnswers).map(([s, n]) => `${s} x${n}`).join(', ') || 'none'}`,
    '  fault                          | ready after | processing resumed after | longest stall in completions | not ready during outage',
    ...report.faults.map((f) => `  ${f.fault.padEnd(30)} | ${fmt(f.readyMs).padStart(11)} | ${fmt(f.resumedMs).padStart(24)} | ${fmt(f.longestStallMs).padStart(28)} | ${f.notReadyDuringOutage ?? '-'}`),
  ];
  return lines.join('\n');
}

const fmt = (ms: number | undefined) => (ms === undefined || ms < 0 ? '-' : `${(ms / 1000).toFixed(1)} s`);
