import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodedError, type ErrorCode } from '@chronicle/errors';

/**
 * Installs the Apache Kafka broker jars from Maven Central (no tarball, no Docker): Maven
 * resolves `kafka_2.13` and its runtime dependencies, as pinned in `scripts/kafka/pom.xml`,
 * into the git-ignored `.infra/kafka/<version>/libs`. A marker file written after a complete
 * copy makes later runs skip Maven.
 */
export const KAFKA_VERSION = '3.9.2';

/** The development Kafka could not be installed or started; the code says which step. */
export class KafkaInfraError extends CodedError {
  constructor(code: KafkaInfraCode, message: string) {
    super(code, message);
  }
}

type KafkaInfraCode = Extract<ErrorCode, `KAFKA_${string}`>;

export interface KafkaInstallOptions {
  readonly version?: string;
  /** Where versions are cached (default `<repo>/.infra/kafka`). */
  readonly cacheDir?: string;
}

export interface KafkaInstallation {
  readonly version: string;
  readonly home: string;
  /** The directory holding every jar of the broker's classpath. */
  readonly libsDir: string;
  readonly log4jConfig: string;
}

const MARKER = '.complete';
// src/infra/ and dist/infra/ are both four levels below the repository root.
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export async function installKafka(options: KafkaInstallOptions = {}): Promise<KafkaInstallation> {
  requireJava();
  const version = options.version ?? KAFKA_VERSION;
  const home = resolve(options.cacheDir ?? join(REPO_ROOT, '.infra', 'kafka'), version);
  const libsDir = join(home, 'libs');
  if (!existsSync(join(libsDir, MARKER))) await copyJars(version, home, libsDir);
  const log4jConfig = join(home, 'log4j.properties');
  writeFileSync(log4jConfig, LOG4J_PROPERTIES);
  return { version, home, libsDir, log4jConfig };
}

async function copyJars(version: string, home: string, libsDir: string): Promise<void> {
  requireTool('mvn', '-v', 'KAFKA_MAVEN_MISSING', 'Maven (`mvn`) is required to install the Kafka broker jars; install it (e.g. `apt-get install maven`)');
  const pom = join(REPO_ROOT, 'scripts', 'kafka', 'pom.xml');
  // Copy into a private directory and rename it into place, so a concurrent or interrupted
  // install never leaves a half-filled libs directory behind a marker.
  const staging = `${libsDir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(home, { recursive: true });
  const args = ['-q', '-B', '-f', pom, `-Dkafka.version=${version}`, `-DoutputDirectory=${staging}`, 'dependency:copy-dependencies'];
  const { code, output } = await run('mvn', args);
  if (code !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new KafkaInfraError('KAFKA_INSTALL_FAILED', `mvn ${args.join(' ')} failed (exit ${code}):\n${output.slice(-4000)}`);
  }
  writeFileSync(join(staging, MARKER), `kafka ${version}\n`);
  if (existsSync(join(libsDir, MARKER))) {
    rmSync(staging, { recursive: true, force: true });
    return;
  }
  rmSync(libsDir, { recursive: true, force: true });
  renameSync(staging, libsDir);
}

export function requireJava(): void {
  requireTool('java', '-version', 'KAFKA_JAVA_MISSING', 'Java 17+ (`java`) is required to run the Kafka broker; install a JDK (e.g. `apt-get install openjdk-17-jre-headless`)');
}

function requireTool(command: string, versionFlag: string, code: 'KAFKA_JAVA_MISSING' | 'KAFKA_MAVEN_MISSING', message: string): void {
  const probe = spawnSync(command, [versionFlag], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new KafkaInfraError(code, message);
}

function run(command: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

// The broker writes to stdout, which the server helper redirects to `<dataDir>/kafka.log`.
const LOG4J_PROPERTIES = `# Written by libs/dev-infra/src/kafka-install.ts
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
log4j.logger.kafka.request.logger=WARN
log4j.logger.kafka.network.RequestChannel$=WARN
log4j.logger.kafka.log.LogCleaner=INFO
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.authorizer.logger=WARN
log4j.logger.org.apache.kafka.storage.internals.log=WARN
log4j.logger.kafka.log=WARN
`;
