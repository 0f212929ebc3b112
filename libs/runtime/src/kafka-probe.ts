import { Kafka, logLevel } from 'kafkajs';

/** True when a Kafka metadata request on `brokers` names at least one live broker. */
export async function answersMetadata(brokers: string): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'chronicle-kafka-probe',
    brokers: [brokers],
    connectionTimeout: 1000,
    requestTimeout: 2000,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
