import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answersMetadata } from '@chronicle/runtime';
import { createDatabase, freePort, startKafka, startPostgres, type KafkaServer, type PostgresServer } from '@chronicle/dev-infra';
import { startService, type ServiceProcess } from '@chronicle/testing';

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
export class ChaosCluster {
  private readonly dir = mkdtempSync(join(tmpdir(), 'chronicle-chaos-'));
  private readonly members = new Map<string, Member>();
  private postgres?: PostgresServer;
  private kafka?: KafkaServer;
  private pgPort = 0;
  private kafkaPort = 0;
  private controllerPort = 0;
  databaseUrl = '';
  brokers = '';
  readonly topicPrefix = `chaos${process.pid}`;

  constructor(private readonly shape: ClusterShape, private readonly log: (line: string) => void) {}

  get gatewayUrls(): string[] {
    return [...this.members.values()].filter((m) => m.kind === 'gateway').map((m) => m.readyUrl.replace(/\/readyz$/, ''));
  }

  names(kind: ServiceKind): string[] {
    return [...this.members.values()].filter((m) => m.kind === kind).map((m) => m.name);
  }

  async start(): Promise<void> {
    [this.pgPort, this.kafkaPort, this.controllerPort] = [await freePort(), await freePort(), await freePort()];
    await Promise.all([this.startPostgres(), this.startKafka()]);
    await createDatabase(this.postgres!.adminUrl, 'chronicle');
    this.databaseUrl = this.postgres!.urlFor('chronicle');
    this.brokers = this.kafka!.brokers;
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
      // The project's broker accepts short sessions (group.min.session.timeout.ms=1000).
      CHRONICLE_KAFKA_SESSION_TIMEOUT_MS: '3000',
      // Every task through the worker pool and the tasks topic, not run inside the decision.
      CHRONICLE_LOCAL_TASKS: 'false',
      CHRONICLE_LEASE_TIMEOUT_MS: '10000',
      CHRONICLE_LOG_LEVEL: 'warn',
      CHRONICLE_STARTUP_TIMEOUT_MS: '120000',
      ...(kind === 'gateway' ? { PORT: String(port) } : { HEALTH_PORT: String(port) }),
    };
    const member: Member = { name, kind, env, readyUrl: `http://127.0.0.1:${port}/readyz`, process: startService(kind, name, env) };
    this.members.set(name, member);
    await member.process.waitFor(/chronicle \w+ (ready|listening)/, 120_000);
  }

  /** SIGKILLs a service, starts it again at once (as a supervisor would), and returns ms until its /readyz said ready. */
  async killAndRestart(name: string): Promise<number> {
    const member = this.members.get(name)!;
    await member.process.stop('SIGKILL');
    const started = Date.now();
    member.process = startService(member.kind, member.name, member.env);
    await this.untilReady(name, 120_000);
    return Date.now() - started;
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

  /** Services that exited on their own (none may: an outage must make them wait). */
  exited(): string[] {
    return [...this.members.values()]
      .filter((m) => m.process.child.exitCode !== null)
      .map((m) => `${m.name} (exit ${m.process.child.exitCode}); its last lines:\n${m.process.output().trim().split('\n').slice(-8).map((l) => `      ${l.slice(0, 600)}`).join('\n')}`);
  }

  async stopBroker(): Promise<void> {
    await this.kafka!.stop();
  }

  /** Starts the broker again on the same port and data; resolves when it answers. */
  async startBrokerAgain(): Promise<void> {
    await this.startKafka();
    while (!(await answersMetadata(this.brokers))) await new Promise((r) => setTimeout(r, 100));
  }

  async stopPostgres(): Promise<void> {
    await this.postgres!.stop();
  }

  async startPostgresAgain(): Promise<void> {
    await this.startPostgres();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.members.values()].map((m) => m.process.stop('SIGTERM')));
    await this.kafka?.stop().catch(() => undefined);
    await this.postgres?.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async startPostgres(): Promise<void> {
    this.postgres = await startPostgres({ dataDir: join(this.dir, 'postgres'), port: this.pgPort, fast: !this.shape.fsync });
  }

  private async startKafka(): Promise<void> {
    this.kafka = await startKafka({ dataDir: join(this.dir, 'kafka'), port: this.kafkaPort, controllerPort: this.controllerPort, readyTimeoutMs: 120_000 });
    this.log(`kafka up on ${this.kafka.brokers} (pid ${this.kafka.pid})`);
  }
}
