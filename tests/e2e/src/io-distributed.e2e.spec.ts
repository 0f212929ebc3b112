import { afterAll, beforeAll, describe } from 'vitest';
import { freePort } from '@chronicle/dev-infra';
import { createTestDatabase, GatewayClient, testKafkaBrokers, uniqueTopicPrefix, type TestDatabase } from '@chronicle/testing';
import { startService, type ServiceProcess } from './service-processes.js';
import { ioFunctionsScenario } from './io-functions.scenario.js';
import { ioTasksScenario } from './io-tasks.scenario.js';

const TOKEN = 'e2e-io-distributed-admin-token-0123';
const SECRET_E2E_TOKEN = Buffer.from('t0ps3cret').toString('base64'); // read by secret('E2E_TOKEN') (Kestra's SECRET_<KEY>, base64)
const READY = /(executor|projection) ready|gateway listening/;

// Distributed: gateway, projection and two executors as OS processes over Kafka. The gateway stores
// the uploaded file, the workers read and write files and KV pairs, the gateway serves the result:
// all through Postgres (chunked storage, kv_entries), nothing through a local folder.
describe('internal storage and KV in distributed mode (services as OS processes), end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_io_distributed');
    const port = await freePort();
    const env = {
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testKafkaBrokers().join(','),
      CHRONICLE_TOPIC_PREFIX: uniqueTopicPrefix('io'),
      CHRONICLE_TOKENS: `ADMIN=${TOKEN}`,
      CHRONICLE_LOG_LEVEL: 'info',
      SECRET_E2E_TOKEN,
    };
    const projection = startService('projection', 'projection', env);
    services.push(projection);
    await projection.waitFor(/projection ready/);
    const gateway = startService('gateway', 'gateway', { ...env, PORT: String(port), CHRONICLE_INSTANCE_ID: 'gateway' });
    const executors = ['executor-1', 'executor-2'].map((name) => startService('executor', name, { ...env, CHRONICLE_INSTANCE_ID: name }));
    services.push(gateway, ...executors);
    await Promise.all([gateway.waitFor(READY), ...executors.map((e) => e.waitFor(READY))]);
    client = new GatewayClient(`http://127.0.0.1:${port}`, TOKEN);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  ioTasksScenario(() => client);
  ioFunctionsScenario(() => client);
});
