import { afterAll, beforeAll, describe } from 'vitest';
import { createTestDatabase, testKafkaBrokers, uniqueTopicPrefix, type GatewayClient, type TestDatabase } from '@chronicle/testing';
import { kafkaOverloadScenario, OVERLOAD_ENV, overloadScenario } from './overload.scenario.js';
import { distributedEnv, startDistributed, type ServiceProcess } from './service-processes.js';

const TOKEN = 'e2e-overload-distributed-token-0123456789';

// The gateway learns of ends over the Kafka updates topic, the scheduler from the log.
describe('admission control in distributed mode, end to end', () => {
  let db: TestDatabase;
  const services: ServiceProcess[] = [];
  let client: GatewayClient;
  const topicPrefix = uniqueTopicPrefix('dovl');

  beforeAll(async () => {
    db = await createTestDatabase('e2e_dist_overload');
    const env = distributedEnv(db.url, topicPrefix, `ADMIN=${TOKEN}`, OVERLOAD_ENV);
    client = await startDistributed(services, env, TOKEN, [{ app: 'executor', name: 'executor' }, { app: 'scheduler', name: 'scheduler' }]);
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await db?.drop();
  });

  overloadScenario(() => client);
  kafkaOverloadScenario(() => ({ client, brokers: testKafkaBrokers(), topicPrefix }));
});
