import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { answersMetadata } from '@chronicle/runtime';
import { freePort } from './free-port.js';
import { installKafka, KafkaInfraError, type KafkaInstallOptions } from './kafka-install.js';
import { isProcessAlive, stopProcess, waitUntil } from './process.js';

export { installKafka, requireJava, KAFKA_VERSION, KafkaInfraError } from './kafka-install.js';
export type { KafkaInstallOptions, KafkaInstallation } from './kafka-install.js';

/**
 * A real single-node Kafka (KRaft, broker and controller in one JVM) on 127.0.0.1, for
 * development and tests. Started detached with a PID file, so a script can start it, exit,
 * and a later script can stop it by PID. Never a production broker: replication factor 1.
 */
export interface KafkaServerOptions extends KafkaInstallOptions {
  readonly dataDir: string;
  readonly port: number;
  /** The KRaft controller listener (default: a free port). */
  readonly controllerPort?: number;
  /** Default partitions of topics created without a count (default 4). */
  readonly numPartitions?: number;
  /** Extra server.properties entries. */
  readonly settings?: Readonly<Record<string, string | number | boolean>>;
  readonly heap?: string;
  readonly readyTimeoutMs?: number;
}

export interface KafkaServer {
  readonly pid: number;
  readonly port: number;
  readonly dataDir: string;
  /** Bootstrap servers, e.g. `127.0.0.1:9092`. */
  readonly brokers: string;
  readonly logPath: string;
  stop(): Promise<void>;
}

/**
 * The JIT stops at C1 (`TieredStopAtLevel=1`). This broker lives for a run of tests, a benchmark or
 * a development session, and the C2 compiler threads were the largest part of its CPU for minutes:
 * measured in distributed mode (bench/tools/cpu-per-execution-distributed.sh), 11 s of the broker's
 * 28 s in its first four minutes, and still 0.04 cores once idle; with C1 only, 0.002 idle and no
 * more CPU per request. A long-lived broker would earn C2 back: `CHRONICLE_KAFKA_JVM_OPTS` appends
 * JVM options (`-XX:TieredStopAtLevel=4` restores it).
 */
const JIT_OPTIONS = ['-XX:TieredStopAtLevel=1'];

/** `CHRONICLE_KAFKA_JVM_OPTS`: JVM options for the broker, space-separated, after the project's own. */
function extraJvmOptions(): string[] {
  return process.env.CHRONICLE_KAFKA_JVM_OPTS?.split(/\s+/).filter(Boolean) ?? [];
}

const PID_FILE = 'kafka.pid';
const LOG_FILE = 'kafka.log';

export async function startKafka(options: KafkaServerOptions): Promise<KafkaServer> {
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const running = readKafkaPid(dataDir);
  if (running !== undefined) {
    throw new KafkaInfraError('KAFKA_ALREADY_RUNNING', `Kafka is already running from ${dataDir} (pid ${running}); stop it first or use another data dir`);
  }
  const install = await installKafka(options);
  const classpath = join(install.libsDir, '*');
  let controllerPort = options.controllerPort ?? (await freePort());
  while (controllerPort === options.port) controllerPort = await freePort();
  const propertiesPath = join(dataDir, 'server.properties');
  writeFileSync(propertiesPath, serverProperties(dataDir, options, controllerPort));
  // Formatting costs a JVM start: only do it for a fresh log directory.
  if (!existsSync(join(dataDir, 'kraft-logs', 'meta.properties'))) format(classpath, propertiesPath);

  const logPath = join(dataDir, LOG_FILE);
  const log = openSync(logPath, 'a');
  const jvm = [`-Xmx${options.heap ?? '512m'}`, '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError', '-Djava.awt.headless=true', ...JIT_OPTIONS, ...extraJvmOptions()];
  const args = [...jvm, `-Dlog4j.configuration=file:${install.log4jConfig}`, '-cp', classpath, 'kafka.Kafka', propertiesPath];
  const child = spawn('java', args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new KafkaInfraError('KAFKA_START_FAILED', 'could not spawn java');
  writeFileSync(join(dataDir, PID_FILE), String(pid));
  const brokers = `127.0.0.1:${options.port}`;
  try {
    await waitUntil(`Kafka on ${brokers}`, () => answersMetadata(brokers), {
      timeoutMs: options.readyTimeoutMs ?? 60_000,
      intervalMs: 100,
      abortIf: () => (isProcessAlive(pid) ? undefined : `the broker exited at start; see ${logPath}:\n${tail(logPath)}`),
    });
  } catch (error) {
    await stopProcess(pid, 'SIGTERM', 10_000);
    rmSync(join(dataDir, PID_FILE), { force: true });
    throw new KafkaInfraError('KAFKA_START_FAILED', `${(error as Error).message}\n${tail(logPath)}`);
  }
  return {
    pid,
    port: options.port,
    dataDir,
    brokers,
    logPath,
    stop: () => stopKafkaPid(dataDir, pid),
  };
}

/** Stops the broker whose PID file is in `dataDir`; returns false when none was running. */
export async function stopKafkaFromPidFile(dataDir: string, graceMs = 20_000): Promise<boolean> {
  const dir = resolve(dataDir);
  const pid = readKafkaPid(dir);
  if (pid === undefined) return false;
  await stopKafkaPid(dir, pid, graceMs);
  return true;
}

/** The PID of the live broker started from `dataDir`, or undefined (a stale PID file is removed). */
export function readKafkaPid(dataDir: string): number | undefined {
  const file = join(resolve(dataDir), PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) && isKafkaProcess(pid)) return pid;
  rmSync(file, { force: true });
  return undefined;
}

/** The broker port written in `<dataDir>/server.properties`, if any. */
export function readKafkaPort(dataDir: string): number | undefined {
  const file = join(resolve(dataDir), 'server.properties');
  if (!existsSync(file)) return undefined;
  const match = /^advertised\.listeners=PLAINTEXT:\/\/127\.0\.0\.1:(\d+)$/m.exec(readFileSync(file, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

async function stopKafkaPid(dataDir: string, pid: number, graceMs = 20_000): Promise<void> {
  await stopProcess(pid, 'SIGTERM', graceMs);
  rmSync(join(dataDir, PID_FILE), { force: true });
}

function serverProperties(dataDir: string, options: KafkaServerOptions, controllerPort: number): string {
  const settings: Record<string, string | number | boolean> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${options.port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${options.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': join(dataDir, 'kraft-logs'),
    'num.partitions': options.numPartitions ?? 4,
    // Topics are created on purpose (MessageBus.ensureTopics, with their `.dlq` twins and
    // partition counts); a misspelt topic name must fail, not create a stray topic.
    'auto.create.topics.enable': false,
    'offsets.topic.replication.factor': 1,
    // Fewer offsets partitions than the default 50: the first consumer group joins faster.
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 4,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    // A group starts consuming as soon as its first member joins.
    'group.initial.rebalance.delay.ms': 0,
    // Lets services use a short consumer session (CHRONICLE_KAFKA_SESSION_TIMEOUT_MS), so a killed
    // replica's partitions move to the others within seconds; a stock broker's floor is 6 s.
    'group.min.session.timeout.ms': 1000,
    'log.retention.hours': 168,
    ...options.settings,
  };
  return Object.entries(settings).map(([key, value]) => `${key}=${String(value)}`).join('\n') + '\n';
}

function format(classpath: string, propertiesPath: string): void {
  // A Kafka cluster id is 16 random bytes, base64url without padding. One that starts with "-"
  // (1 in 64) is read by kafka-storage as an option ("--cluster-id: expected one argument"): the
  // chaos run's broker failed to start so once.
  let clusterId: string;
  do clusterId = randomBytes(16).toString('base64url');
  while (clusterId.startsWith('-'));
  const result = spawnSync('java', ['-Xmx256m', '-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', propertiesPath, '--ignore-formatted'], {
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new KafkaInfraError('KAFKA_START_FAILED', `kafka-storage format failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** Guards against a PID reused by another process since the PID file was written. */
function isKafkaProcess(pid: number): boolean {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync(cmdline)) return true;
  try {
    return readFileSync(cmdline, 'utf8').includes('kafka.Kafka');
  } catch {
    return true;
  }
}

function tail(path: string): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '';
  }
}
