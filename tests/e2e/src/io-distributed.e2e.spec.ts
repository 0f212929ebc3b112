import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, uniqueTopicPrefix, type GatewayClient, type TestDatabase } from '@chronicle/testing';
import { distributedEnv, startDistributed, type ServiceProcess } from './service-processes.js';
import { ioFunctionsScenario } from './io-functions.scenario.js';
import { ioTasksScenario } from './io-tasks.scenario.js';

const TOKEN = 'e2e-io-distributed-admin-token-0123';
const SECRET_E2E_TOKEN = Buffer.from('t0ps3cret').toString('base64'); // read by secret('E2E_TOKEN') (Kestra's SECRET_<KEY>, base64)

// Distributed: gateway, projection and two executors as OS processes over Kafka. The gateway stores
// the uploaded file, the workers read and write files and KV pairs, the gateway serves the result:
// all through Postgres (chunked storage, kv_entries), nothing through a local folder.
describe('internal storage and KV in distributed mode (services as OS processes), end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;

  beforeAll(async () => {
    db = await createTestDatabase('e2e_io_distributed');
    const env = distributedEnv(db.url, uniqueTopicPrefix('io'), `ADMIN=${TOKEN}`, { SECRET_E2E_TOKEN });
    client = await startDistributed(services, env, TOKEN, ['executor-1', 'executor-2'].map((name) => ({ app: 'executor', name, env: { CHRONICLE_INSTANCE_ID: name } })), { CHRONICLE_INSTANCE_ID: 'gateway' });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  ioTasksScenario(() => client);
  ioFunctionsScenario(() => client);
});
