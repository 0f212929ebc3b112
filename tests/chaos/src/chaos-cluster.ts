import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersMetadata } from '@chronicle/runtime';
import { createDatabase, freePort, startKafka, startPostgres, type KafkaServer, type PostgresServer } from '@chronicle/dev-infra';
import { startService, type ServiceProcess } from '@chronicle/testing';
import { ChaosLogs } from './chaos-logs.js';
import { readyzAnswer, type ChaosTarget } from './chaos-target.js';

export type ServiceKind = 'gateway' | 'scheduler' | 'executor' | 'projection';

export interface ClusterShape {
  readonly executors: number;
  readonly schedulers: number;
  readonly gateways: number;
  /** Postgres with fsync on (what the recovery goals are measured with) or off. */
  readonly fsync: boolean;
}

interface Member {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly env: Record<string, string>;
  /** Where its `/readyz` answers. */
  readonly readyUrl: string;
  process: ServiceProcess;
}

export const CHAOS_TOKEN = 'chaos-admin-token-0123456789abcdef';

/**
 * The distributed system on its own Postgres and Kafka (never the shared test servers: the suite
 * restarts them), every service an OS process started from the build like `npm run
 * start:distributed` starts them, each with a health port so its readiness can be watched.
 */
export class ChaosCluster implements ChaosTarget {
  readonly mode = 'distributed';
  private readonly dir = mkdtempSync(join(tmpdir(), 'chronicle-chaos-'));
  private readonly members = new Map<string, Member>();
  private postgres?: PostgresServer;
  private kafkaServer?: KafkaServer;
  private pgPort = 0;
  private stopped = false;
  private kafkaPort = 0;
  private controllerPort = 0;
  databaseUrl = '';
  brokers = '';
  readonly topicPrefix = `chaos${process.pid}`;
  readonly logs = new ChaosLogs('distributed');

  constructor(private readonly shape: ClusterShape, private readonly log: (line: string) => void) {}

  get kafka() {
    return { brokers: this.brokers, triggersTopic: `${this.topicPrefix}.triggers` };
  }

  serviceNames(): string[] {
    return [...this.members.keys()];
  }

  get gatewayUrls(): string[] {
    return [...this.members.values()].filter((m) => m.kind === 'gateway').map((m) => m.readyUrl.replace(/\/readyz$/, ''));
  }

  async start(): Promise<void> {
    [this.pgPort, this.kafkaPort, this.controllerPort] = [await freePort(), await freePort(), await freePort()];
    await Promise.all([this.startPostgres(), this.startKafka()]);
    await createDatabase(this.postgres!.adminUrl, 'chronicle');
    this.databaseUrl = this.postgres!.urlFor('chronicle');
    this.brokers = this.kafkaServer!.brokers;
    // The projection migrates the read model: it goes first, then everything else at once.
    await this.add('projection', 'projection');
    const rest: Array<[ServiceKind, string]> = [
      ...Array.from({ length: this.shape.executors }, (_, i): [ServiceKind, string] => ['executor', `executor-${i + 1}`]),
      ...Array.from({ length: this.shape.schedulers }, (_, i): [ServiceKind, string] => ['scheduler', `scheduler-${i + 1}`]),
      ...Array.from({ length: this.shape.gateways }, (_, i): [ServiceKind, string] => ['gateway', `gateway-${i + 1}`]),
    ];
    await Promise.all(rest.map(([kind, name]) => this.add(kind, name)));
  }

  private async add(kind: ServiceKind, name: string): Promise<void> {
    const port = await freePort();
    const env: Record<string, string> = {
      DATABASE_URL: this.databaseUrl,
      KAFKA_BROKERS: this.brokers,
      CHRONICLE_TOKENS: `ADMIN=${CHAOS_TOKEN}`,
      CHRONICLE_TOPIC_PREFIX: this.topicPrefix,
      CHRONICLE_INSTANCE_ID: name,
      // The default session (6 s). With 3 s, on a machine at load 35-40 live members missed their
      // heartbeats and were expelled again and again (the broker's log: "has failed, removing it"), and
      // completions stopped for 33-44 s after the SIGKILL instead of 21 s, and resumed 27-48 s after a
      // broker restart instead of 10 s. CHRONICLE_CHAOS_SESSION_TIMEOUT_MS sets another.
      CHRONICLE_KAFKA_SESSION_TIMEOUT_MS: process.env.CHRONICLE_CHAOS_SESSION_TIMEOUT_MS ?? '6000',
      // Every task through the worker pool and the tasks topic, not run inside the decision.
      CHRONICLE_LOCAL_TASKS: 'false',
      CHRONICLE_LEASE_TIMEOUT_MS: '10000',
      CHRONICLE_LOG_LEVEL: process.env.CHRONICLE_CHAOS_SERVICE_LOG_LEVEL ?? 'info',
      CHRONICLE_STARTUP_TIMEOUT_MS: '240000',
      ...(kind === 'gateway' ? { PORT: String(port) } : { HEALTH_PORT: String(port) }),
    };
    const member: Member = { name, kind, env, readyUrl: `http://127.0.0.1:${port}/readyz`, process: this.spawn(kind, name, env) };
    this.members.set(name, member);
    await member.process.waitFor(/chronicle \w+ (ready|listening)/, 240_000);
  }

  async restart(name: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ stopMs: number; ownStopMs?: number; readyMs: number }> {
    const member = this.members.get(name)!;
    const stopping = Date.now();
    this.logs.note(`${signal} to ${name}`, name);
    await member.process.stop(signal);
    const stopMs = Date.now() - stopping;
    const ownStopMs = reportedStopMs(member.process.output());
    const started = Date.now();
    member.process = this.spawn(member.kind, member.name, member.env);
    await this.untilReady(name, 240_000);
    return { stopMs, ownStopMs, readyMs: Date.now() - started };
  }

  async untilReady(name: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.isReady(name))) {
      if (Date.now() > deadline) throw new Error(`${name} not ready within ${timeoutMs} ms:\n${this.members.get(name)!.process.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async isReady(name: string): Promise<boolean> {
    try {
      const res = await fetch(this.members.get(name)!.readyUrl, { signal: AbortSignal.timeout(4000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** Readiness of every service now: name -> ready. */
  async readiness(): Promise<Record<string, boolean>> {
    const names = [...this.members.keys()];
    const states = await Promise.all(names.map((n) => this.isReady(n)));
    return Object.fromEntries(names.map((n, i) => [n, states[i]!]));
  }

  async whyNotReady(): Promise<Record<string, string>> {
    const answers = await Promise.all([...this.members.values()].map(async (m) => [m.name, await readyzAnswer(m.readyUrl)] as const));
    return Object.fromEntries(answers.filter(([, why]) => why !== undefined)) as Record<string, string>;
  }

  /** Services that exited on their own (none may: an outage must make them wait). */
  exited(): string[] {
    return [...this.members.values()]
      .filter((m) => m.process.child.exitCode !== null)
      .map((m) => `${m.name} (exit ${m.process.child.exitCode}); its last lines:\n${m.process.output().trim().split('\n').slice(-8).map((l) => `      ${l.slice(0, 600)}`).join('\n')}`);
  }

  private spawn(kind: ServiceKind, name: string, env: Record<string, string>): ServiceProcess {
    this.refuseOnceStopped();
    const service = startService(kind, name, env);
    this.logs.attach(name, service);
    return service;
  }

  async stopBroker(): Promise<void> {
    this.logs.note('stopping the Kafka broker');
    await this.kafkaServer!.stop();
  }

  /** Starts the broker again on the same port and data; resolves when it answers. */
  async startBrokerAgain(): Promise<void> {
    await this.startKafka();
    while (!(await answersMetadata(this.brokers))) await new Promise((r) => setTimeout(r, 100));
    this.logs.note('the Kafka broker answers again');
  }

  async stopPostgres(crash: boolean): Promise<void> {
    this.logs.note(crash ? 'crashing Postgres' : 'stopping Postgres');
    await stopPostgresServer(this.postgres!, crash);
  }

  async startPostgresAgain(): Promise<void> {
    await this.startPostgres();
    this.logs.note('Postgres answers again');
  }

  async stopServices(): Promise<Record<string, { ms: number; ownMs?: number; code: number | null }>> {
    const members = [...this.members.values()];
    const times = await Promise.all(members.map((m) => stopTimed(m.process)));
    return Object.fromEntries(members.map((m, i) => [m.name, times[i]!]));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.members.values()].map((m) => m.process.stop('SIGTERM')));
    await this.kafkaServer?.stop().catch(() => undefined);
    await this.postgres?.stop().catch(() => undefined);
    this.logs.keepFile(this.kafkaServer?.logPath, 'kafka-broker.log');
    await this.logs.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A run abandoned at its time limit goes on in the background: it must not start anything again once stopped. */
  private refuseOnceStopped(): void {
    if (this.stopped) throw new Error('the chaos target was stopped (the run was cut short)');
  }

  private async startPostgres(): Promise<void> {
    this.refuseOnceStopped();
    this.postgres = await startPostgres({ dataDir: join(this.dir, 'postgres'), port: this.pgPort, readyTimeoutMs: 120_000, fast: !this.shape.fsync });
  }

  private async startKafka(): Promise<void> {
    this.refuseOnceStopped();
    this.kafkaServer = await startKafka({ dataDir: join(this.dir, 'kafka'), port: this.kafkaPort, controllerPort: this.controllerPort, readyTimeoutMs: 120_000 });
    this.log(`kafka up on ${this.kafkaServer.brokers} (pid ${this.kafkaServer.pid})`);
  }
}

/** SIGTERM; ms until the process exited, and its exit code (the shutdown deadline exits with 1). */
export async function stopTimed(service: ServiceProcess): Promise<{ ms: number; ownMs?: number; code: number | null }> {
  const started = Date.now();
  if (service.child.exitCode !== null || service.child.signalCode !== null) return { ms: 0, code: service.child.exitCode };
  await service.stop('SIGTERM');
  return { ms: Date.now() - started, ownMs: reportedStopMs(service.output()), code: service.child.exitCode };
}

/**
 * The service's own account of its graceful stop: the `ms` of its last "stopped" line (from the
 * signal's handling to everything closed: leader locks released and consumer groups left first).
 * On a machine at load 30+ the process then takes a second or more to be seen exiting.
 */
export function reportedStopMs(output: string): number | undefined {
  const lines = [...output.matchAll(/"ms":(\d+),"msg":"stopped"/g)];
  return lines.length ? Number(lines[lines.length - 1]![1]) : undefined;
}

/** A fast shutdown, or a crash: the immediate shutdown (SIGQUIT) skips the checkpoint, so the next start runs crash recovery. */
export async function stopPostgresServer(server: PostgresServer, crash: boolean): Promise<void> {
  if (!crash) return server.stop();
  process.kill(server.pid, 'SIGQUIT');
  while (isAlive(server.pid)) await new Promise((r) => setTimeout(r, 50));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
