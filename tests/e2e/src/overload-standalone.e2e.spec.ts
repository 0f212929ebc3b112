import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { kafkaOverloadScenario, OVERLOAD_ENV, overloadScenario } from './overload.scenario.js';

const TOKEN = 'e2e-overload-admin-token-0123456789';

describe('admission control in standalone mode (in-process bus), end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_overload');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, CHRONICLE_LOG_LEVEL: 'warn', ...OVERLOAD_ENV });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  overloadScenario(() => client);
});

describe('admission control of Kafka triggers in standalone mode (with Kafka), end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  const topicPrefix = uniqueTopicPrefix('ovl');

  beforeAll(async () => {
    db = await createTestDatabase('e2e_overload_kafka');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_TOPIC_PREFIX: topicPrefix, CHRONICLE_LOG_LEVEL: 'warn', ...OVERLOAD_ENV });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  kafkaOverloadScenario(() => ({ client, brokers: testKafkaBrokers(), topicPrefix }));
});
