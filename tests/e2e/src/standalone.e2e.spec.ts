import { afterAll, beforeAll, describe } from 'vitest';
import { startStandalone, type RunningStandalone } from '@chronicle/standalone';
import { API_TOKENS_SPEC, apiScenario, createTestDatabase, foundationScenario, GatewayClient, type TestDatabase } from '@chronicle/testing';
import { createLogger, loadConfig } from '@chronicle/runtime';
import { contractDeadLettersScenario } from './contracts.scenario.js';
import { restBulkAndKvScenario } from './rest-bulk-kv.scenario.js';

const TOKEN = 'e2e-standalone-admin-token-0123456789';

// Standalone mode: the four services in this one process, the in-process bus, real Postgres.
describe('standalone mode, end to end', () => {
  let db: TestDatabase;
  let chronicle: RunningStandalone;
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_standalone');
    const config = loadConfig({ PORT: '0', DATABASE_URL: db.url, CHRONICLE_TOKENS: `ADMIN=${TOKEN},${API_TOKENS_SPEC}`, CHRONICLE_LOG_LEVEL: 'warn' });
    chronicle = await startStandalone(config, createLogger('e2e', 'warn'));
    client = new GatewayClient(chronicle.url, TOKEN);
  });
  afterAll(async () => {
    await chronicle?.close();
    await db?.drop();
  });

  foundationScenario(() => client);
  restBulkAndKvScenario(() => client);

  apiScenario(() => ({ url: chronicle.url, otherUrl: chronicle.url }));

  // The in-process bus: the same contracts and dead-letter topics as Kafka.
  contractDeadLettersScenario(() => client, () => (topic, messages) => chronicle.platform.bus.publish(topic, messages), () => chronicle.platform.topics);
});
