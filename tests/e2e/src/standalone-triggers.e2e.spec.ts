import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { kafkaTriggerScenario } from './kafka-triggers.scenario.js';
import { flowAndScheduleTriggerScenario } from './triggers.scenario.js';
import { httpTriggerScenario } from './http-trigger.scenario.js';
import { webhookScenario } from './webhooks.scenario.js';
import { restParityScenario } from './rest-parity.scenario.js';

const TOKEN = 'e2e-triggers-admin-token-0123456789';

// Standalone with KAFKA_BROKERS set: one process, Kafka bus, so Kafka triggers work too.
describe('triggers in standalone mode (with Kafka), end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;
  const topicPrefix = uniqueTopicPrefix('trig');

  beforeAll(async () => {
    db = await createTestDatabase('e2e_triggers');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN}`, KAFKA_BROKERS: testKafkaBrokers().join(','), CHRONICLE_TOPIC_PREFIX: topicPrefix, CHRONICLE_LOG_LEVEL: 'warn', CHRONICLE_WEBHOOK_RATE_PER_SECOND: '5' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  flowAndScheduleTriggerScenario(() => client);
  httpTriggerScenario(() => client);
  webhookScenario(() => client);
  restParityScenario(() => client);
  kafkaTriggerScenario(() => ({ client, brokers: testKafkaBrokers(), topicPrefix }));
});
