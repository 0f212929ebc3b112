import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { freePort, startKafka, startPostgres } from '@chronicle/dev-infra';
import { startStandalone } from '@chronicle/standalone';
import { chronicleRepoRoot, createTestDatabase, startService, testKafkaBrokers, uniqueTopicPrefix, type ServiceProcess } from '@chronicle/testing';
import { ChronicleApi } from './chronicle-api.js';
import type { CorpusMode } from './documented-differences.js';
import { exportKestraTestSecrets, KESTRA_TEST_ENVIRONMENT } from './kestra-test-environment.js';

export interface RunningTarget {
  readonly mode: CorpusMode;
  readonly api: ChronicleApi;
  close(): Promise<void>;
}

const TOKEN = 'kestra-corpus-admin-token-0123456789';

/** Modes to run: CHRONICLE_URL → that running Chronicle only; else CORPUS_MODES (default both). */
export function selectedModes(env: NodeJS.ProcessEnv = process.env): CorpusMode[] {
  if (env.CHRONICLE_URL) return ['remote'];
  const modes = (env.CORPUS_MODES ?? 'standalone,distributed').split(',').map((m) => m.trim()).filter(Boolean);
  for (const m of modes) if (m !== 'standalone' && m !== 'distributed') throw new Error(`CORPUS_MODES: unknown mode "${m}" (standalone, distributed)`);
  return modes as CorpusMode[];
}

/**
 * The real Postgres (and Kafka, for distributed mode) the suite needs: the ones named by
 * CHRONICLE_TEST_PG_URL / CHRONICLE_TEST_KAFKA_BROKERS (`npm test` provides them), else
 * started here from the project's helpers and stopped by `stop()`.
 */
export async function ensureInfrastructure(modes: readonly CorpusMode[]): Promise<{ stop(): Promise<void> }> {
  const stops: Array<() => Promise<void>> = [];
  const own = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
  if (modes.some((m) => m !== 'remote') && !process.env.CHRONICLE_TEST_PG_URL) {
    const dir = own('kestra-corpus-pg-');
    const pg = await startPostgres({ dataDir: dir, port: await freePort(), fast: true });
    stops.push(async () => { await pg.stop(); rmSync(dir, { recursive: true, force: true }); });
    process.env.CHRONICLE_TEST_PG_URL = pg.adminUrl;
  }
  if (modes.includes('distributed') && !process.env.CHRONICLE_TEST_KAFKA_BROKERS) {
    const dir = own('kestra-corpus-kafka-');
    const kafka = await startKafka({ dataDir: dir, port: await freePort() });
    stops.push(async () => { await kafka.stop(); rmSync(dir, { recursive: true, force: true }); });
    process.env.CHRONICLE_TEST_KAFKA_BROKERS = kafka.brokers;
  }
  return { stop: async () => { for (const stop of stops.reverse()) await stop(); } };
}

export async function startTarget(mode: CorpusMode): Promise<RunningTarget> {
  switch (mode) {
    case 'remote':
      return { mode, api: ChronicleApi.connect(process.env.CHRONICLE_URL!.replace(/\/$/, ''), process.env.CHRONICLE_TOKEN ?? ''), close: async () => undefined };
    case 'standalone':
      return startStandaloneTarget();
    case 'distributed':
      return startDistributedTarget();
  }
}

/** The four services in this process, the in-process bus, the real Postgres; Kestra's test environment (kestra-test-environment.ts). */
async function startStandaloneTarget(): Promise<RunningTarget> {
  const db = await createTestDatabase('kestra_standalone');
  exportKestraTestSecrets();
  const config = loadConfig({ ...KESTRA_TEST_ENVIRONMENT, PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn' });
  const chronicle = await startStandalone(config, createLogger('kestra-corpus', 'warn')).catch(async (error: unknown) => {
    await db.drop().catch(() => undefined);
    throw error;
  });
  return {
    mode: 'standalone',
    api: ChronicleApi.connect(chronicle.url, TOKEN),
    async close() {
      await chronicle.close();
      await db.drop();
    },
  };
}

/** Projection, executors (CORPUS_EXECUTORS, default 2), scheduler and gateway as OS processes over the real Kafka, in Kestra's test environment. */
async function startDistributedTarget(): Promise<RunningTarget> {
  for (const app of ['gateway', 'scheduler', 'executor', 'projection']) {
    if (!existsSync(join(chronicleRepoRoot, 'apps', app, 'dist', 'main.js'))) throw new Error(`apps/${app} is not built: run \`npm run build\` first`);
  }
  const db = await createTestDatabase('kestra_distributed');
  const port = await freePort();
  const env = {
    ...KESTRA_TEST_ENVIRONMENT,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testKafkaBrokers().join(','),
    CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('kestra'),
    CHRONICLE_TOKENS: `ADMIN=${TOKEN}`,
    CHRONICLE_LOG_LEVEL: process.env.CORPUS_SERVICE_LOG_LEVEL ?? 'info',
  };
  const services: ServiceProcess[] = [];
  const close = async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db.drop();
  };
  try {
    const projection = startService('projection', 'projection', env);
    services.push(projection);
    await projection.waitFor(/projection ready/);
    const executors = Number(process.env.CORPUS_EXECUTORS ?? 2);
    for (let i = 1; i <= executors; i++) services.push(startService('executor', `executor-${i}`, { ...env, CHRONICLE_INSTANCE_ID: `executor-${i}` }));
    services.push(startService('scheduler', 'scheduler', env));
    services.push(startService('gateway', 'gateway', { ...env, PORT: String(port) }));
    await Promise.all(services.map((s) => s.waitFor(/(executor|scheduler|projection) ready|gateway listening/)));
  } catch (error) {
    await close();
    throw error;
  }
  return { mode: 'distributed', api: ChronicleApi.connect(`http://127.0.0.1:${port}`, TOKEN), close };
}
