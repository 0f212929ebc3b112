import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@chronicle/dev-infra';
import type { Mode } from './result-row.js';

export const BENCH_TOKEN = 'bench-admin-token-0123456789abcdef';

export interface SystemUnderTest {
  readonly mode: Mode;
  readonly url: string;
  readonly token: string;
  readonly pids: readonly number[];
  /** Distributed mode: the Kafka brokers it started. */
  readonly brokers?: string;
  readonly topicPrefix: string;
  stop(): Promise<void>;
}

/**
 * Starts Chronicle the way a user does, as separate processes from this load generator:
 * standalone = `apps/standalone/dist/main.js` (embedded Postgres, in-process bus);
 * distributed = `scripts/distributed.ts` (its own Postgres and Kafka, or the running broker `kafkaBrokers` under a topic prefix
 * of its own; the four services, one process each, as the issue describes).
 * Both with fsync off: the benchmark measures the engine, not this machine's disk.
 */
export async function startSystem(mode: Mode, root: string, options: { kafkaBrokers?: string } = {}): Promise<SystemUnderTest> {
  const dataDir = mkdtempSync(join(tmpdir(), `chronicle-bench-${mode}-`));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, CHRONICLE_TOKENS: `ADMIN=${BENCH_TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn', CHRONICLE_PG_FAST: 'true', CHRONICLE_WEBHOOK_RATE_PER_SECOND: '100000' };
  delete env.KAFKA_BROKERS;
  delete env.DATABASE_URL;
  // A running broker (`--kafka-brokers`): topics of their own on it, so other users of it are not disturbed.
  const topicPrefix = options.kafkaBrokers && mode === 'distributed' ? `bench-${Date.now().toString(36)}-${process.pid}` : 'chronicle';
  if (options.kafkaBrokers && mode === 'distributed') Object.assign(env, { KAFKA_BROKERS: options.kafkaBrokers, CHRONICLE_TOPIC_PREFIX: topicPrefix });
  const child: ChildProcess =
    mode === 'standalone'
      ? spawn(process.execPath, [join(root, 'apps/standalone/dist/main.js')], { cwd: root, env: { ...env, PORT: String(port), CHRONICLE_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(process.execPath, ['--import', 'tsx', '--conditions=@chronicle/source', join(root, 'scripts/distributed.ts'), '--port', String(port), '--data-dir', dataDir, '--fast', '--executors', '1'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  child.stderr!.on('data', (c: Buffer) => (out = (out + c.toString()).slice(-20_000)));
  const ready = mode === 'standalone' ? /listening on/ : /Chronicle \(distributed\) on/;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${mode} did not start in 180 s:\n${out}`)), 180_000);
    const check = () => (ready.test(out) ? (clearTimeout(timer), resolve()) : undefined);
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`${mode} exited (${code}) at start:\n${out}`)));
  });
  const pids = mode === 'standalone' ? [child.pid!] : [child.pid!, ...(/pids: ([\d ]+)/.exec(out)?.[1]?.trim().split(' ').map(Number) ?? [])];
  return {
    mode,
    url: `http://127.0.0.1:${port}`,
    token: BENCH_TOKEN,
    pids,
    brokers: options.kafkaBrokers ?? /kafka: (\S+)/.exec(out)?.[1],
    topicPrefix,
    async stop() {
      // The services' last output (warnings and errors), for a run that went wrong: BENCH_SUT_LOG=<file>.
      if (process.env.BENCH_SUT_LOG) writeFileSync(process.env.BENCH_SUT_LOG, out);
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
