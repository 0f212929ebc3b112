import { afterAll, beforeAll, describe } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { startService, type ServiceProcess } from './service-processes.js';
import { rewindScenario } from './rewind.scenario.js';
import { webhookRunOptionsScenario } from './webhook-run-options.scenario.js';
import { wrappersScenario } from './wrappers.scenario.js';

const TOKEN = 'e2e-model-distributed-admin-token-012';
const OPERATOR = 'e2e-model-distributed-operator-token-1';
const READY = /(executor|scheduler|projection) ready|gateway listening/;

// Cloudomation's execution model (issue 15: rewind, wrappers) in distributed mode: each service
// its own OS process over the real Kafka and Postgres.
describe('savepoints and rewind, wrappers, webhook run options in distributed mode, end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_model_distributed');
    const port = await freePort();
    const env: NodeJS.ProcessEnv = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('model'),
      CHRONICLE_TOKENS: `ADMIN=${TOKEN},OPERATOR=${OPERATOR}`,
      CHRONICLE_LOG_LEVEL: 'info',
    };
    const projection = startService('projection', 'projection', env);
    services.push(projection);
    await projection.waitFor(/projection ready/);
    const gateway = startService('gateway', 'gateway', { ...env, PORT: String(port), CHRONICLE_INSTANCE_ID: 'gateway' });
    const executor = startService('executor', 'executor', { ...env, CHRONICLE_INSTANCE_ID: 'executor' });
    const scheduler = startService('scheduler', 'scheduler', env);
    services.push(gateway, executor, scheduler);
    await Promise.all([gateway, executor, scheduler].map((s) => s.waitFor(READY)));
    client = new GatewayClient(`http://127.0.0.1:${port}`, TOKEN);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  rewindScenario(() => client, OPERATOR);
  webhookRunOptionsScenario(() => client);
  wrappersScenario(() => client);
});
