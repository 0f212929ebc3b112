import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startKafka, type KafkaServer } from '@chronicle/dev-infra';

/** Brokers of the real Kafka that `npm test` or `.ci/run` started (CHRONICLE_TEST_KAFKA_BROKERS). */
export function testKafkaBrokers(): string[] {
  const brokers = process.env.CHRONICLE_TEST_KAFKA_BROKERS;
  if (!brokers) throw new Error('CHRONICLE_TEST_KAFKA_BROKERS is not set: run the tests with `npm test`, which starts a real Kafka broker');
  return brokers.split(',');
}

/** A topic prefix no other test uses, so suites can share one broker. */
export function uniqueTopicPrefix(name = 't'): string {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/**
 * A broker of the test's own, for a test that must stop and restart it (never the shared one:
 * other suites use it). `restart()` stops it and, after `outageMs`, starts it on the same port
 * and data; `stop()` stops it and removes its data.
 */
export async function startOwnKafka(): Promise<{ brokers: string; restart(outageMs: number): Promise<void>; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chronicle-own-kafka-'));
  const [port, controllerPort] = [await freePort(), await freePort()];
  const start = () => startKafka({ dataDir, port, controllerPort, readyTimeoutMs: 180_000 });
  let server: KafkaServer | undefined = await start();
  return {
    brokers: server.brokers,
    async restart(outageMs) {
      await server?.stop();
      server = undefined;
      await new Promise((resolve) => setTimeout(resolve, outageMs));
      server = await start();
    },
    async stop() {
      await server?.stop().catch(() => undefined);
      server = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
