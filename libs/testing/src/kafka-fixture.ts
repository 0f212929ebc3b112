import { randomBytes } from 'node:crypto';

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
