import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDatabase, freePort, startPostgres, type PostgresServer } from '@chronicle/dev-infra';
import { startService, type ServiceProcess } from '@chronicle/testing';
import { CHAOS_TOKEN, reportedStopMs, stopPostgresServer, stopTimed } from './chaos-cluster.js';
import { ChaosLogs } from './chaos-logs.js';
import { readyzAnswer, type ChaosTarget } from './chaos-target.js';

const NAME = 'standalone';

/**
 * Standalone mode under chaos: one Chronicle process (the four services, the in-process bus)
 * started from the build like `npm start`, on a Postgres of the suite's own (DATABASE_URL), so
 * the suite can crash that Postgres. No Kafka: the load is webhooks only.
 */
export class StandaloneTarget implements ChaosTarget {
  readonly mode = 'standalone';
  readonly kafka = undefined;
  readonly logs = new ChaosLogs('standalone');
  private readonly dir = mkdtempSync(join(tmpdir(), 'chronicle-chaos-standalone-'));
  private postgres?: PostgresServer;
  private pgPort = 0;
  private stopped = false;
  private port = 0;
  private env: Record<string, string> = {};
  private process?: ServiceProcess;

  constructor(private readonly fsync: boolean, private readonly log: (line: string) => void) {}

  get gatewayUrls(): string[] {
    return [`http://127.0.0.1:${this.port}`];
  }

  serviceNames(): string[] {
    return [NAME];
  }

  async start(): Promise<void> {
    [this.pgPort, this.port] = [await freePort(), await freePort()];
    await this.startPostgres();
    await createDatabase(this.postgres!.adminUrl, 'chronicle');
    this.env = {
      DATABASE_URL: this.postgres!.urlFor('chronicle'),
      PORT: String(this.port),
      CHRONICLE_DATA_DIR: join(this.dir, 'data'),
      CHRONICLE_TOKENS: `ADMIN=${CHAOS_TOKEN}`,
      CHRONICLE_LOCAL_TASKS: 'false',
      CHRONICLE_LEASE_TIMEOUT_MS: '10000',
      CHRONICLE_LOG_LEVEL: process.env.CHRONICLE_CHAOS_SERVICE_LOG_LEVEL ?? 'info',
      CHRONICLE_STARTUP_TIMEOUT_MS: '240000',
    };
    this.spawn();
    await this.process!.waitFor(/Chronicle \(standalone\) listening/, 240_000);
  }

  async restart(_name: string, signal: 'SIGKILL' | 'SIGTERM'): Promise<{ stopMs: number; ownStopMs?: number; readyMs: number }> {
    const stopping = Date.now();
    this.logs.note(`${signal} to ${NAME}`, NAME);
    await this.process!.stop(signal);
    const stopMs = Date.now() - stopping;
    const ownStopMs = reportedStopMs(this.process!.output());
    const started = Date.now();
    const service = this.spawn();
    const deadline = started + 240_000;
    while (!(await this.isReady())) {
      if (Date.now() > deadline || service.child.exitCode !== null) throw new Error(`standalone not ready after a ${signal}:\n${service.output().slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { stopMs, ownStopMs, readyMs: Date.now() - started };
  }

  async stopBroker(): Promise<void> {
    throw new Error('standalone mode has no broker');
  }

  async startBrokerAgain(): Promise<void> {
    throw new Error('standalone mode has no broker');
  }

  async stopPostgres(crash: boolean): Promise<void> {
    this.logs.note(crash ? 'crashing Postgres' : 'stopping Postgres');
    await stopPostgresServer(this.postgres!, crash);
  }

  async startPostgresAgain(): Promise<void> {
    await this.startPostgres();
    this.logs.note('Postgres answers again');
  }

  async readiness(): Promise<Record<string, boolean>> {
    return { [NAME]: await this.isReady() };
  }

  async whyNotReady(): Promise<Record<string, string>> {
    const why = await readyzAnswer(`${this.gatewayUrls[0]}/readyz`);
    return why === undefined ? {} : { [NAME]: why };
  }

  exited(): string[] {
    const child = this.process?.child;
    if (!child || child.exitCode === null) return [];
    return [`${NAME} (exit ${child.exitCode}); its last lines:\n${this.process!.output().trim().split('\n').slice(-8).map((l) => `      ${l.slice(0, 600)}`).join('\n')}`];
  }

  async stopServices(): Promise<Record<string, { ms: number; ownMs?: number; code: number | null }>> {
    return { [NAME]: await stopTimed(this.process!) };
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.process?.stop('SIGTERM');
    await this.postgres?.stop().catch(() => undefined);
    await this.logs.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private spawn(): ServiceProcess {
    this.refuseOnceStopped();
    this.process = startService('standalone', NAME, this.env);
    this.logs.attach(NAME, this.process);
    return this.process;
  }

  private async isReady(): Promise<boolean> {
    try {
      const res = await fetch(`${this.gatewayUrls[0]}/readyz`, { signal: AbortSignal.timeout(4000) });
      return res.status === 200;
    } catch {
      return false;
    }
  }

  /** A run abandoned at its time limit goes on in the background: it must not start anything again once stopped. */
  private refuseOnceStopped(): void {
    if (this.stopped) throw new Error('the chaos target was stopped (the run was cut short)');
  }

  private async startPostgres(): Promise<void> {
    this.refuseOnceStopped();
    this.postgres = await startPostgres({ dataDir: join(this.dir, 'postgres'), port: this.pgPort, readyTimeoutMs: 120_000, fast: !this.fsync });
    this.log(`postgres up on port ${this.pgPort} (pid ${this.postgres.pid})`);
  }
}
