import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, uniqueTopicPrefix, type GatewayClient, type TestDatabase } from '@chronicle/testing';
import { distributedEnv, startDistributed, type ServiceProcess } from './service-processes.js';
import { rewindScenario } from './rewind.scenario.js';
import { webhookRunOptionsScenario } from './webhook-run-options.scenario.js';
import { wrappersScenario } from './wrappers.scenario.js';

const TOKEN = 'e2e-model-distributed-admin-token-012';
const OPERATOR = 'e2e-model-distributed-operator-token-1';

// Cloudomation's execution model (issue 15: rewind, wrappers) in distributed mode: each service
// its own OS process over the real Kafka and Postgres.
describe('savepoints and rewind, wrappers, webhook run options in distributed mode, end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_model_distributed');
    const env = distributedEnv(db.url, uniqueTopicPrefix('model'), `ADMIN=${TOKEN},OPERATOR=${OPERATOR}`);
    client = await startDistributed(services, env, TOKEN, [
      { app: 'executor', name: 'executor', env: { CHRONICLE_INSTANCE_ID: 'executor' } },
      { app: 'scheduler', name: 'scheduler' },
    ], { CHRONICLE_INSTANCE_ID: 'gateway' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  rewindScenario(() => client, OPERATOR);
  webhookRunOptionsScenario(() => client);
  wrappersScenario(() => client);
});
